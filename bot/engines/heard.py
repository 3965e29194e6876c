"""What a window's text says: speech or silence, a phrase Whisper invents for silence, and the
languages guessed over a clip's windows."""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence

from bot.engines.long_form import LOG_PROB_THRESHOLD, is_loop
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


def is_heard(window: WindowText, no_speech_threshold: float) -> bool:
    """Whisper's silence rule, plus known hallucinations dropped when the window is doubtful.

    Silent: no-speech is likely (above ``no_speech_threshold``) and the text unlikely (average
    log-probability at most -1), as in Whisper and faster-whisper; here a repetition loop left
    after every retry counts as unlikely too, however sure of it the model was (noise decoded
    without the VAD loops "1-2-3-4-4-4…"). Doubtful: either of the two.
    """
    unlikely = window.avg_logprob <= LOG_PROB_THRESHOLD or is_loop(window.text)
    if window.no_speech_prob > no_speech_threshold and unlikely:
        return False
    doubtful = unlikely or window.no_speech_prob > DOUBTFUL_NO_SPEECH
    return bool(window.text) and not (doubtful and is_hallucination(window.text))


def is_hallucination(text: str) -> bool:
    """Whether ``text`` is one of the phrases Whisper is known to invent for silence or noise."""
    words = text.lower().translate(str.maketrans("", "", string.punctuation)).split()
    return bool(HALLUCINATION.search(" ".join(words)))
