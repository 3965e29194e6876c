"""What a window's texts say: speech or silence, text Whisper invents (a phrase it invents for
silence, a loop, more words than the audio holds), and the languages guessed over a clip's
windows."""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from bot.engines.long_form import LOG_PROB_THRESHOLD, is_loop, too_many_words
from bot.engines.whisper import WindowText

LANGUAGE_GUESSES = 3
"""Languages (with probabilities) a result lists, for a "wrong language?" choice."""
DOUBTFUL_NO_SPEECH = 0.2
"""Above this no-speech probability, a known hallucination is dropped."""
HALLUCINATION = re.compile(
    r"^(you|bye|thank you|thanks)$"
    r"|^(thank you|thanks)( (so|very) much)? for (watching|listening)"
    r"|^(please )?(like and )?subscribe"
    r"|^(subtitles|subtitled|captions|captioned|transcribed|translated) by"
    r"|amara ?org"
)


def language_guesses(
    per_window: Sequence[dict[str, float]], sizes: Sequence[int], top: int = LANGUAGE_GUESSES
) -> tuple[tuple[str, float], ...]:
    """The ``top`` most probable languages over all windows, each weighted by its length."""
    total = sum(sizes)
    mixed: Counter[str] = Counter()
    for probabilities, size in zip(per_window, sizes, strict=True):
        for language, probability in probabilities.items():
            mixed[language] += probability * size / total
    return tuple((language, min(p, 1.0)) for language, p in mixed.most_common(top))


class Verdict(NamedTuple):
    """What of one window stands: its transcript (``heard``), and its translation."""

    heard: bool
    translated: bool


def judge(
    transcript: WindowText,
    translation: WindowText | None,
    seconds: float,
    no_speech_threshold: float,
) -> Verdict:
    """Whether a window of ``seconds`` was heard (:func:`is_heard`), and its translation kept.

    A translation that its audio cannot hold (:func:`is_invented`), a known hallucination when
    either text is doubtful ("Please subscribe to my channel…" for 3 s of misheard French), or
    one as unlikely as its transcript after every retry ("and the the the" for 3.5 s of misheard
    French) is never drawn: the window's transcript stands, and a clip with no translation left
    draws its transcript and says why. The transcript is what was heard, and dropping it would
    lose the words a doubtful window got right (a misheard German clip's transcript was half
    right where its translation looped).
    """
    heard = is_heard(transcript, no_speech_threshold)
    if translation is None or not translation.text:
        return Verdict(heard, heard)
    doubtful = is_doubtful(transcript) or is_doubtful(translation)
    invented = (
        is_invented(translation.text, seconds)
        or (doubtful and is_hallucination(translation.text))
        or (is_unlikely(transcript) and is_unlikely(translation))
    )
    return Verdict(heard, heard and not invented)


def is_heard(window: WindowText, no_speech_threshold: float) -> bool:
    """Whisper's silence rule, no repetition loop, and known hallucinations dropped when the
    window is doubtful.

    Silent: no-speech is likely (above ``no_speech_threshold``) and the text unlikely (average
    log-probability at most -1), as in Whisper and faster-whisper. A repetition loop left after
    every retry (beam search and sampling all looped: noise decoded without the VAD,
    "1-2-3-4-4-4…", or Thai "ดาดาดา…" for French) is not speech however sure of it the model was.
    """
    if window.no_speech_prob > no_speech_threshold and is_unlikely(window):
        return False
    return bool(window.text) and not (
        is_loop(window.text) or (is_doubtful(window) and is_hallucination(window.text))
    )


def is_invented(text: str, seconds: float) -> bool:
    """Text its audio cannot hold: a repetition loop (by compression ratio, which also catches
    loops in scripts without spaces), or more words than ``seconds`` of speech hold."""
    return is_loop(text) or too_many_words(text, seconds)


def is_unlikely(window: WindowText) -> bool:
    """Text the model gave an average log-probability of at most -1."""
    return window.avg_logprob <= LOG_PROB_THRESHOLD


def is_doubtful(window: WindowText) -> bool:
    """Unlikely, a repetition loop, or no speech somewhat likely."""
    return is_unlikely(window) or is_loop(window.text) or window.no_speech_prob > DOUBTFUL_NO_SPEECH


def is_hallucination(text: str) -> bool:
    """Whether ``text`` is one of the phrases Whisper is known to invent for silence or noise."""
    words = text.lower().translate(str.maketrans("", "", string.punctuation)).split()
    return bool(HALLUCINATION.search(" ".join(words)))
