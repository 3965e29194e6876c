"""A clip's speech in windows on their way through Whisper.

Speech is cut into windows of at most 30 s at pauses (Silero VAD), encoded in batches of one
length (Whisper's 30 s, or with ``speech.fit_context`` 10 or 20 s fitted to the speech), its
language detected, and decoded by Whisper's long-form rules (:mod:`bot.engines.long_form`):
with timestamps, cut to the window's audio, checked, decoded again when a check fails, and
continued from its last timestamp when it stopped early. Rows of every window and task of a
batch are decoded together.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from faster_whisper.vad import VadOptions, get_speech_timestamps

from bot.config import SpeechSettings
from bot.engines.audio import SAMPLE_RATE
from bot.engines.long_form import Heard, attempts, best, cut, join
from bot.engines.whisper import FULL_FRAMES, Prompt, Task, Whisper, WindowText

WINDOW_SECONDS = 30
WINDOW_SAMPLES = WINDOW_SECONDS * SAMPLE_RATE
CONTEXT_SECONDS = (10, 20, WINDOW_SECONDS)
"""Encoder windows a clip's speech is fitted to (few sizes, so that clips share batches); larger
minimums (15, 20 s) or more silence were no closer to the 30 s window (``bench/speech_windows.py``)."""
CONTEXT_MARGIN_SECONDS = 1.0
"""Silence left after the speech in a fitted window, as Whisper always saw some."""
BATCH_WINDOWS = 8
"""Windows encoded together; more go through in several batches."""
TOKENS_PER_SECOND: dict[Task, float] = {"transcribe": 25.0, "translate": 10.0}
"""The most tokens a second of speech can need: a transcript in a script the tokenizer spells
in bytes (Hindi, Thai: 15-18 a second; Latin, Cyrillic and CJK 5-7), an English translation (5-7).
Text beyond that is a repetition loop, which otherwise runs to ``speech.max_new_tokens``; a
decode that reaches its limit goes on from its last timestamp."""
TOKEN_SLACK = 16
MIN_REST_SPEECH_MS = 250
"""A decode that stopped early goes on only where the rest of its window holds this much speech."""
TOKEN_LIMIT_STEP = 16
"""Limits are rounded up to this, so that the rows of a batch stop in few rounds."""


@dataclass
class Window:
    """One window of a clip's speech on its way through the model."""

    audio: np.ndarray
    frames: int
    detect: bool
    languages: dict[str, float] = field(default_factory=dict)
    prompts: list[Prompt] = field(default_factory=list)
    texts: dict[Task, WindowText] = field(default_factory=dict)


Batch = tuple[list[Window], Any]
"""Windows of one length and their encoder output, row for row."""


def speech_windows(audio: np.ndarray) -> list[np.ndarray]:
    """Where Silero VAD hears speech: spans of the clip's own audio of at most 30 s that end at
    pauses, the silence before, between and after them left out.

    Within a window the audio stays as it was said, pauses and background included, as
    ``transcribe()`` hears the whole file: the speech alone, joined end to end (as
    ``transcribe(vad_filter=True)`` and the batched pipeline decode it), changes what Whisper
    hears (the Arabic numbers one to six, read with pauses over a noisy background, came out
    as digits, 0.17 more word error). A clip of up to 30 s from its first word to its last is
    one window.
    """
    options = VadOptions(max_speech_duration_s=WINDOW_SECONDS)
    windows: list[tuple[int, int]] = []
    for chunk in get_speech_timestamps(audio, options, sampling_rate=SAMPLE_RATE):
        if windows and chunk["end"] - windows[-1][0] <= WINDOW_SAMPLES:
            windows[-1] = (windows[-1][0], chunk["end"])
        else:
            windows.append((chunk["start"], chunk["end"]))
    return [audio[start:end] for start, end in windows if end > start]


def holds_speech(audio: np.ndarray) -> bool:
    """Whether Silero VAD hears speech in ``audio`` (at least ``MIN_REST_SPEECH_MS`` of it)."""
    options = VadOptions(min_speech_duration_ms=MIN_REST_SPEECH_MS)
    return bool(get_speech_timestamps(audio, options, sampling_rate=SAMPLE_RATE))


def fixed_windows(audio: np.ndarray) -> list[np.ndarray]:
    """All of ``audio`` in consecutive 30 s windows (no VAD)."""
    return [audio[start : start + WINDOW_SAMPLES] for start in range(0, audio.size, WINDOW_SAMPLES)]


def context_frames(samples: int, settings: SpeechSettings) -> int:
    """Mel frames the encoder sees for a window: fitted to its speech, or Whisper's 30 s.

    Only speech found by the VAD is fitted: raw audio (``vad = false``) may be silence, which
    Whisper judges reliably only in its full window (a fitted one hears "2-3-4-4-4…")."""
    if not (settings.fit_context and settings.vad):
        return FULL_FRAMES
    needed = samples / SAMPLE_RATE + CONTEXT_MARGIN_SECONDS
    return 100 * next((s for s in CONTEXT_SECONDS if s >= needed), WINDOW_SECONDS)


def larger(frames: int) -> int:
    """The next window size up from ``frames``, or the full window."""
    return 100 * next((s for s in CONTEXT_SECONDS if 100 * s > frames), WINDOW_SECONDS)


def token_limit(task: Task, samples: int) -> int:
    """The most tokens worth decoding for ``task`` from a window of ``samples`` of speech."""
    needed = TOKENS_PER_SECOND[task] * samples / SAMPLE_RATE + TOKEN_SLACK
    return TOKEN_LIMIT_STEP * math.ceil(needed / TOKEN_LIMIT_STEP)


def encode(whisper: Whisper, windows: Sequence[Window]) -> list[Batch]:
    """The encoder output of all windows, in batches of at most ``BATCH_WINDOWS`` of one length."""
    by_frames: defaultdict[int, list[Window]] = defaultdict(list)
    for window in windows:
        by_frames[window.frames].append(window)
    return [
        (
            group[i : i + BATCH_WINDOWS],
            whisper.encode([w.audio for w in group[i : i + BATCH_WINDOWS]], frames),
        )
        for frames, group in by_frames.items()
        for i in range(0, len(group), BATCH_WINDOWS)
    ]


def detect(whisper: Whisper, batches: list[Batch]) -> None:
    """Language probabilities of the windows whose language was not given."""
    for windows, encoded in batches:
        rows = [i for i, window in enumerate(windows) if window.detect]
        if rows:
            for i, probabilities in zip(rows, whisper.language_probs(encoded[rows]), strict=True):
                windows[i].languages = probabilities


def decode(whisper: Whisper, batches: list[Batch], settings: SpeechSettings) -> None:
    """Every prompt of every window decoded to its ``texts``: checked and decoded again as
    Whisper's fallback does, cut to the window's audio, and a decode that stopped before the
    end of its audio continued from its last timestamp in a window of the rest."""
    rests: list[tuple[Window, Prompt, Heard, Window]] = []
    for windows, encoded in batches:
        for (i, prompt), heard in _with_fallback(whisper, windows, encoded, settings).items():
            window = windows[i]
            window.texts[prompt[0]] = _text(heard.text, heard)
            rest = window.audio[round((heard.done_at or 0) * SAMPLE_RATE) :]
            if heard.done_at is not None and holds_speech(rest):
                frames = context_frames(rest.size, settings)
                rests.append((window, prompt, heard, Window(rest, frames, False, prompts=[prompt])))
    if rests:
        decode(whisper, encode(whisper, [rest for *_, rest in rests]), settings)
        for window, (task, _), heard, rest in rests:
            window.texts[task] = _text(join([heard.text, rest.texts[task].text]), heard)


def _with_fallback(
    whisper: Whisper, windows: list[Window], encoded: Any, settings: SpeechSettings
) -> dict[tuple[int, Prompt], Heard]:
    """Each (window, prompt) row decoded until a decode passes the checks, or the best one."""
    tried: dict[tuple[int, Prompt], list[Heard]] = {
        (i, prompt): [] for i, window in enumerate(windows) for prompt in window.prompts
    }
    pending = list(tried)
    for attempt in attempts(settings):
        if not pending:
            break
        limits = [token_limit(task, windows[i].audio.size) for i, (task, _) in pending]
        rows = encoded[[i for i, _ in pending]]
        decoded = whisper.decode(rows, [prompt for _, prompt in pending], limits, attempt)
        for (i, prompt), row in zip(pending, decoded, strict=True):
            tried[(i, prompt)].append(cut(row, whisper.tokenizer(prompt), windows[i].audio.size))
        pending = [
            row for row in pending if not tried[row][-1].passes(settings.no_speech_threshold)
        ]
    return {row: best(heard) if row in pending else heard[-1] for row, heard in tried.items()}


def _text(text: str, heard: Heard) -> WindowText:
    return WindowText(text, heard.decoded.avg_logprob, heard.decoded.no_speech_prob)
