"""Whisper's rules for what a window's decode may say, for both backends alike.

What openai-whisper's and faster-whisper's ``transcribe()`` do to each 30 s window, here as
functions of one decoded row, so that the windows of many clips can be decoded in one batch:

- **Timestamps.** A window is decoded with Whisper's timestamp tokens, so its text comes in
  segments with a start and an end. A segment that starts after the window's audio has ended is
  text the audio does not hold (greedy decoding without timestamps ran on with the pattern of
  the speech until its token limit): it is dropped. A decode that stops before the end of its
  audio (cut off by its token limit, or ending on a segment's start: the model skipped a
  sentence) goes on from its last timestamp, as ``transcribe()`` seeks; unlike
  ``transcribe()``, only where the VAD hears speech in the rest (else it is the silence the VAD
  keeps after speech, where a new decode invents words).
- **Guards and temperature fallback** (``generate_with_fallback``): a decode that zlib
  compresses more than 2.4 times (a repetition loop), whose average log-probability is below
  -1, or that holds more words than a person says in its seconds of speech, is decoded again;
  a window judged silent (no-speech probability above the threshold, and unlikely text) is not.
  The retries are beam search at temperature 0 first (deterministic; it ends most loops), then
  sampling at 0.2 … 1.0 (best of 5); when all fail, the attempt with the best average
  log-probability among those that are no loop is kept.
- **Joining.** Windows end at pauses (Silero VAD), so their texts are joined in order; words
  that a window repeats from the end of the one before are dropped.

Not kept from ``transcribe()``: conditioning a window on the text of the one before. It would
decode a clip's windows one after the other (no batch across them or across clips); windows cut
at pauses and bounded by their timestamps need no previous text to end where their audio ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.config import SpeechSettings
from bot.engines.whisper import TIMESTAMP_SECONDS, Attempt, Decoded, TextTokenizer

COMPRESSION_RATIO_THRESHOLD = 2.4
"""Whisper's test for a repetition loop: text that zlib compresses more than this."""
LOG_PROB_THRESHOLD = -1.0
"""Below this average log-probability a decode is tried again (and, with a likely no-speech,
the window is silent)."""
FALLBACK_BEAM_SIZE = 5
BEST_OF = 5
WORDS_PER_SECOND = 4.5
WORD_SLACK = 3
"""People say about 3 words a second, 4 when fast (the seconds here include the pauses the VAD
keeps); more words than ``WORDS_PER_SECOND`` per second of speech + ``WORD_SLACK`` are text the
audio does not hold (a 25 s window decoded as a 58 s message held 4.9 a second)."""
MAX_BOUNDARY_WORDS = 12
"""A window's opening words that repeat the end of the window before are looked for this far."""
MIN_BOUNDARY_WORDS = 3
"""Fewer words repeated at a boundary may have been said twice ("no, no")."""
SAMPLES_PER_FRAME = 160
FRAMES_PER_SECOND = 100
"""Mel frames are 10 ms of 16 kHz audio."""
MIN_REST_FRAMES = FRAMES_PER_SECOND
"""A decode cut off less than this before the end of its audio is not continued."""


def attempts(settings: SpeechSettings) -> list[Attempt]:
    """The decodes a window goes through until one passes the guards."""
    first = Attempt(beam_size=settings.beam_size)
    retries = (
        [Attempt(beam_size=FALLBACK_BEAM_SIZE)] if settings.beam_size < FALLBACK_BEAM_SIZE else []
    )
    sampled = [Attempt(temperature=t, best_of=BEST_OF) for t in settings.temperatures if t > 0]
    return [first, *retries, *sampled]


@dataclass(frozen=True)
class Heard:
    """One decode of a window, cut to its audio."""

    decoded: Decoded
    text: str
    """The text of the segments that start within the window's audio."""
    whole_text: str
    """All that was decoded, what the guards look at."""
    seconds: float
    """Seconds of the window's audio."""
    done_at: float | None
    """Where the decode stopped before the end of the audio (its last timestamp), or None."""

    def silent(self, no_speech_threshold: float) -> bool:
        """Whisper's silence: no speech likely, and the text unlikely."""
        return (
            self.decoded.no_speech_prob > no_speech_threshold
            and self.decoded.avg_logprob < LOG_PROB_THRESHOLD
        )

    def too_many_words(self) -> bool:
        """More words within the audio's time than its seconds hold."""
        return too_many_words(self.text, self.seconds)

    def passes(self, no_speech_threshold: float) -> bool:
        """Whether this decode stands, or the window is decoded again (``needs_fallback``)."""
        if self.silent(no_speech_threshold):
            return True
        return not (
            is_loop(self.whole_text)
            or self.decoded.avg_logprob < LOG_PROB_THRESHOLD
            or self.too_many_words()
        )


def is_loop(text: str) -> bool:
    """Caught in a repetition loop ("red-red-red-…"), by Whisper's compression-ratio test."""
    from faster_whisper.transcribe import get_compression_ratio

    return get_compression_ratio(text) > COMPRESSION_RATIO_THRESHOLD


def too_many_words(text: str, seconds: float) -> bool:
    """More words in ``text`` than ``seconds`` of speech hold."""
    return len(text.split()) > WORDS_PER_SECOND * seconds + WORD_SLACK


def cut(decoded: Decoded, tokenizer: TextTokenizer, samples: int) -> Heard:
    """``decoded`` in segments by its timestamps (faster-whisper's own splitting), without the
    segments that start after the window's ``samples`` of audio; where it stopped, if before the
    end of its audio (no single timestamp at its end: cut off, or the model skipped on)."""
    from faster_whisper.transcribe import WhisperModel

    frames = samples // SAMPLES_PER_FRAME
    seconds = frames / FRAMES_PER_SECOND
    tokens = list(decoded.tokens)
    segments, seek, _ = WhisperModel._split_segments_by_timestamps(
        _TIMING,  # type: ignore[arg-type]  # the two attributes the method reads
        tokenizer=tokenizer,
        tokens=tokens,
        time_offset=0.0,
        segment_size=frames,
        segment_duration=seconds,
        seek=0,
    )
    kept = "".join(
        tokenizer.decode(segment["tokens"])
        for segment in segments
        if segment["start"] < seconds and segment["start"] < segment["end"]
    )
    # Stopped before the end of its audio (and not at the very start: no progress).
    stopped = seek > 0 and frames - seek >= MIN_REST_FRAMES
    return Heard(
        decoded,
        kept.strip(),
        tokenizer.decode(tokens).strip(),
        seconds,
        seek / FRAMES_PER_SECOND if stopped else None,
    )


@dataclass(frozen=True)
class _Timing:
    """What ``WhisperModel._split_segments_by_timestamps`` reads of its model: time per
    timestamp token and mel frames per encoder position."""

    time_precision: float = TIMESTAMP_SECONDS
    input_stride: int = 2


_TIMING = _Timing()


def best(tried: Sequence[Heard]) -> Heard:
    """When every attempt failed: the likeliest that is no repetition loop (or the likeliest)."""
    no_loop = [heard for heard in tried if not is_loop(heard.whole_text)]
    return max(no_loop or tried, key=lambda heard: heard.decoded.avg_logprob)


def join(texts: Iterable[str]) -> str:
    """Consecutive windows' texts as one, without the words a window repeats from the end of
    the one before (at least ``MIN_BOUNDARY_WORDS`` of them)."""
    joined: list[str] = []
    for text in texts:
        words = text.split()
        joined += words[_repeated(joined, words) :]
    return " ".join(joined)


def _repeated(before: list[str], words: list[str]) -> int:
    """How many of ``words``' first words repeat the last words of ``before``."""
    longest = min(MAX_BOUNDARY_WORDS, len(before), len(words))
    for size in range(longest, MIN_BOUNDARY_WORDS - 1, -1):
        if _plain(before[-size:]) == _plain(words[:size]):
            return size
    return 0


def _plain(words: list[str]) -> list[str]:
    return [re.sub(r"[^\w]", "", word.lower()) for word in words]
