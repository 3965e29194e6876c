"""Checks of what was heard in a long message of distinct sentences, that no machine changes:
key words counted, runs of words repeated, the length of the text against the speech's."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

REPEATED_RUN = 6
"""No run of this many words may appear twice (the sentences spoken share none)."""
WORD_COUNT_SLACK = 0.3
"""The words heard are within this fraction of the words spoken."""


def words(text: str | None) -> list[str]:
    """Lowercase words without punctuation (hyphenated words split)."""
    return re.findall(r"\w+", (text or "").lower())


def heard_once_in_order(text: str | None, keys: Sequence[str], spoken_words: int) -> None:
    """Each key word (or its plural) exactly once and in the order of ``keys``; no run of
    :data:`REPEATED_RUN` words twice; about as many words as were spoken."""
    heard = words(text)
    positions = []
    for key in keys:
        at = [i for i, word in enumerate(heard) if word in (key, key + "s")]
        assert len(at) == 1, f"{key!r} heard {len(at)} times in {text!r}"
        positions.append(at[0])
    assert positions == sorted(positions), f"sentences out of order in {text!r}"
    runs = Counter(tuple(heard[i : i + REPEATED_RUN]) for i in range(len(heard) - REPEATED_RUN + 1))
    twice = [" ".join(run) for run, count in runs.items() if count > 1]
    assert not twice, f"heard twice: {twice} in {text!r}"
    low, high = (1 - WORD_COUNT_SLACK) * spoken_words, (1 + WORD_COUNT_SLACK) * spoken_words
    assert low <= len(heard) <= high, f"{len(heard)} words heard, {spoken_words} spoken"
