"""Fitting a spoken prompt into a length limit without cutting a word (or sentence) in half."""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"[.!?…]+[\"'”»)]*(?=\s|$)|[。！？]+[」』”）]*")
"""A sentence's end: ASCII punctuation before a space, or a CJK full stop (no space follows)."""
NO_SPACE_SCRIPT = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
"""Chinese and Japanese characters (and their punctuation): written without spaces between
words, so a cut between any two of them is a word boundary."""
TRAILING = " \t\n,;:、，；：-–—"
MIN_SENTENCE_SHARE = 0.5
"""A sentence boundary is used when it keeps at least this share of the limit; else a word's."""


def fit_prompt(text: str, limit: int) -> tuple[str, bool]:
    """``text`` cut to at most ``limit`` characters, and whether it was cut.

    The cut falls after the last whole sentence that fits when that keeps at least half of the
    limit, else at the last word boundary (between any two Chinese or Japanese characters too),
    else at the limit itself (one word longer than the limit).
    """
    if limit < 1:
        raise ValueError(f"limit must be positive, got {limit}")
    text = text.strip()
    if len(text) <= limit:
        return text, False
    head = text[:limit]
    sentences = [m.end() for m in SENTENCE_END.finditer(head)]
    if sentences and sentences[-1] >= MIN_SENTENCE_SHARE * limit:
        return head[: sentences[-1]], True
    cut = _last_word_boundary(text, limit)
    return (text[:cut].rstrip(TRAILING) or head), True


def _last_word_boundary(text: str, limit: int) -> int:
    """The largest ``i <= limit`` with a word boundary before ``text[i]``; ``limit`` if none."""
    for i in range(limit, 0, -1):
        before, after = text[i - 1], text[i]
        if after.isspace() or before.isspace():
            return i
        if NO_SPACE_SCRIPT.match(before) or NO_SPACE_SCRIPT.match(after):
            return i
    return limit
