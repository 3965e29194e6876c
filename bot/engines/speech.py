"""Whisper: the spoken language (with its probability), the transcript and an English translation.

One model per process, loaded once. Each clip is encoded once: the encoder output of its windows
feeds language detection, transcription and translation (``transcribe()`` would encode for each).
The encoder sees a window fitted to the speech (10, 20 or 30 s, as whisper.cpp's ``audio_ctx``;
``speech.fit_context``) instead of 30 s padded with silence; a clip whose language it names with
little confidence (``speech.refit_below``) has it detected again in the next larger window. Clips that arrive
together (``speech.batch_wait_ms``) are one batch: windows of each length encoded together, both
tasks of every clip decoded in one batched ``generate``; every row is computed alone, so a clip
gets the same result with or without company, and one cancelled meanwhile is dropped without
touching the others. Decoding runs at temperature 0 with a token limit per window that follows
the length of its speech (:func:`token_limit`: fast and deterministic, and a repetition loop
stops there); a window caught in a loop is decoded again with beam search.

Silence, noise and music never become a prompt: Silero VAD (shipped inside faster-whisper) drops
non-speech before encoding and cuts long speech into windows at pauses, as faster-whisper's batched
pipeline does, so no window starts mid-word; Whisper's own no-speech rule drops windows it judges
silent, and classic subtitle hallucinations ("Thank you for watching") are dropped when confidence
is low.

Backends: faster-whisper (CTranslate2, the default) and openai-whisper (PyTorch, an optional extra).
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import numpy as np
from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

from bot.config import SpeechSettings, display_name
from bot.domain.messages import Message
from bot.domain.results import SpeechResult
from bot.engines.audio import SAMPLE_RATE
from bot.engines.heard import is_heard, language_guesses
from bot.engines.hub import ModelLoadError
from bot.engines.speech_batch import BatchCollector, Request
from bot.engines.whisper import (
    FULL_FRAMES,
    FasterWhisper,
    OpenAIWhisper,
    Prompt,
    Task,
    Whisper,
    WindowText,
    fetch_whisper_model,
)

WINDOW_SECONDS = 30
WINDOW_SAMPLES = WINDOW_SECONDS * SAMPLE_RATE
MIN_SPEECH_SAMPLES = SAMPLE_RATE // 10
CONTEXT_SECONDS = (10, 20, WINDOW_SECONDS)
"""Encoder windows a clip's speech is fitted to (few sizes, so that clips share batches); larger
minimums (15, 20 s) or more silence were no closer to the 30 s window (``bench/speech_windows.py``)."""
CONTEXT_MARGIN_SECONDS = 1.0
"""Silence left after the speech in a fitted window, as Whisper always saw some."""
BATCH_WINDOWS = 8
"""Windows encoded together; more go through in several batches."""
FALLBACK_BEAM_SIZE = 5
TOKENS_PER_SECOND: dict[Task, float] = {"transcribe": 25.0, "translate": 10.0}
"""The most tokens a second of speech can need: a transcript in a script the tokenizer spells
in bytes (Hindi, Thai: 15-18 a second; Latin, Cyrillic and CJK 5-7), an English translation (5-7).
Text beyond that is a repetition loop, which otherwise runs to ``speech.max_new_tokens``."""
TOKEN_SLACK = 16
TOKEN_LIMIT_STEP = 16
"""Limits are rounded up to this, so that the rows of a batch stop in few rounds."""
DEFAULT_TRANSLATION_MODEL = "medium"

log = logging.getLogger(__name__)


class Recognizer(Protocol):
    """What the rest of the bot needs from a speech backend."""

    model_name: str

    def recognize(self, samples: np.ndarray, language: str | None = None) -> SpeechResult:
        """Blocking: 16 kHz mono float32 samples in, what was said out (in ``language`` if given,
        else in the language detected)."""
        ...

    async def recognize_async(
        self, samples: np.ndarray, language: str | None = None
    ) -> SpeechResult:
        """:meth:`recognize` in a worker thread, batched with the clips that arrive with it."""
        ...


@dataclass
class _Window:
    """One window of a clip's speech on its way through the model."""

    audio: np.ndarray
    frames: int
    detect: bool
    languages: dict[str, float] = field(default_factory=dict)
    prompts: list[Prompt] = field(default_factory=list)
    texts: dict[Task, WindowText] = field(default_factory=dict)


@dataclass
class _Clip:
    request: Request
    windows: list[_Window]

    @property
    def duration(self) -> float:
        return self.request.samples.size / SAMPLE_RATE

    @property
    def live(self) -> bool:
        return bool(self.windows) and not self.request.cancelled()


class _Recognizer:
    """The shared pipeline: VAD → one encoder pass → language → transcript and translation.

    A model whose name contains "turbo" (large-v3-turbo) was not trained to translate: its
    translations come from a second model, ``settings.translation_model`` (default ``medium``),
    loaded lazily on the first non-English clip, which encodes the clip a second time. If that model
    cannot be loaded, the result carries no translation and says why in ``translation_missing``
    (its prompt falls back to the transcript); the load is not retried.

    ``workers`` batches run at once (CTranslate2 model replicas).
    """

    backend: ClassVar[type[Whisper]]

    def __init__(self, settings: SpeechSettings, workers: int = 1) -> None:
        self.settings = settings
        self.workers = workers
        model = fetch_whisper_model(settings, settings.model)
        self.model_name = display_name(model)
        self.whisper = self.backend(settings, model, workers)
        self._translates = "turbo" not in model.lower()
        self._translator: Whisper | None = None
        self._translator_error: Message | None = None
        self._translator_lock = threading.Lock()
        self._collectors: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, BatchCollector]
        self._collectors = weakref.WeakKeyDictionary()

    def recognize(self, samples: np.ndarray, language: str | None = None) -> SpeechResult:
        """What was said in ``samples`` (16 kHz mono float32). Blocking: call from a thread."""
        result = self.recognize_many([Request.of(samples, language)])[0]
        assert result is not None, "a request that cannot be cancelled"
        return result

    async def recognize_async(
        self, samples: np.ndarray, language: str | None = None
    ) -> SpeechResult:
        """:meth:`recognize` in a worker thread, batched with the clips arriving meanwhile."""
        loop = asyncio.get_running_loop()
        collector = self._collectors.get(loop)
        if collector is None:
            collector = self._collectors[loop] = BatchCollector(
                self.recognize_many,
                wait=self.settings.batch_wait_ms / 1000,
                max_clips=self.settings.batch_clips,
                workers=self.workers,
            )
        return await collector.submit(samples, language)

    def recognize_many(self, requests: Sequence[Request]) -> list[SpeechResult | None]:
        """Each request's result, computed in one batch; None for a request cancelled meanwhile."""
        clips = [_Clip(r, self._windows(r)) for r in requests]
        live = [clip for clip in clips if clip.live]
        batches = _encode(self.whisper, [w for clip in live for w in clip.windows])
        _detect(self.whisper, batches)
        self._refit([clip for clip in live if self._unsure(clip)])
        foreign = any(_language(c) != "en" for c in live)
        translator = self._translation_model() if foreign else None
        for clip in live:
            if clip.request.cancelled():
                continue
            language = _language(clip)
            for window in clip.windows:
                window.prompts = [("transcribe", language)]
                if language != "en" and translator is self.whisper:
                    window.prompts.append(("translate", language))
        self._decode(self.whisper, batches)
        if translator is not None and translator is not self.whisper:
            self._translate_apart(translator, [c for c in live if c.live])
        return [None if clip.request.cancelled() else self._result(clip) for clip in clips]

    def _unsure(self, clip: _Clip) -> bool:
        """Heard in a fitted window, and its language named with little confidence."""
        fitted = any(window.frames < FULL_FRAMES for window in clip.windows)
        return (
            fitted
            and clip.request.language is None
            and (_guesses(clip)[0][1] < self.settings.refit_below)
        )

    def _refit(self, clips: list[_Clip]) -> None:
        """The language of these clips detected again in the next larger window; their fitted
        windows are still what is decoded. On the benchmark's unsure clips the next size names
        the 30 s window's language at half its cost, and decoding it instead of the fitted window
        heard nothing in one of them."""
        windows = [w for c in clips if c.live for w in c.windows if w.frames < FULL_FRAMES]
        larger = [_Window(w.audio, _larger(w.frames), True) for w in windows]
        _detect(self.whisper, _encode(self.whisper, larger))
        for window, again in zip(windows, larger, strict=True):
            window.languages = again.languages

    def _translate_apart(self, translator: Whisper, clips: Iterable[_Clip]) -> None:
        """Translations from a second model, which encodes the foreign clips' windows again."""
        pairs = [(w, _language(c)) for c in clips if _language(c) != "en" for w in c.windows]
        copies = [
            _Window(w.audio, w.frames, False, prompts=[("translate", lang)]) for w, lang in pairs
        ]
        self._decode(translator, _encode(translator, copies))
        for (window, _), copy in zip(pairs, copies, strict=True):
            window.texts.update(copy.texts)

    def _windows(self, request: Request) -> list[_Window]:
        audio = request.samples
        speech = speech_windows(audio) if self.settings.vad else fixed_windows(audio)
        if sum(window.size for window in speech) < MIN_SPEECH_SAMPLES:
            return []
        return [_Window(w, self._frames(w.size), request.language is None) for w in speech]

    def _frames(self, samples: int) -> int:
        """Mel frames the encoder sees for a window: fitted to its speech, or Whisper's 30 s.

        Only speech found by the VAD is fitted: raw audio (``vad = false``) may be silence, which
        Whisper judges reliably only in its full window (a fitted one hears "2-3-4-4-4…")."""
        if not (self.settings.fit_context and self.settings.vad):
            return FULL_FRAMES
        needed = samples / SAMPLE_RATE + CONTEXT_MARGIN_SECONDS
        return 100 * next((s for s in CONTEXT_SECONDS if s >= needed), WINDOW_SECONDS)

    def _result(self, clip: _Clip) -> SpeechResult:
        duration = clip.duration
        if not clip.windows:
            return self._nothing_heard(duration)
        transcripts = [w.texts["transcribe"] for w in clip.windows]
        heard = [is_heard(w, self.settings.no_speech_threshold) for w in transcripts]
        transcript = _join(transcripts, heard)
        if not transcript:
            return self._nothing_heard(duration)
        language = _language(clip)
        translation = missing = None
        if language != "en":
            if all("translate" in w.texts for w in clip.windows):
                translations = [w.texts["translate"] for w in clip.windows]
                translation = _join(translations, heard) or None
            else:
                missing = self._translator_error.to_dict() if self._translator_error else None
        return SpeechResult(
            language=language,
            language_probability=_guesses(clip)[0][1],
            transcript=transcript,
            translation=translation,
            duration=duration,
            model=self.model_name,
            translation_missing=missing,
            languages=_guesses(clip),
        )

    def _decode(self, whisper: Whisper, batches: list[tuple[list[_Window], Any]]) -> None:
        """Decode every prompt of every window, each at most :func:`token_limit` tokens; rows
        caught in a repetition loop again with beam search. Every row gets what it would alone."""
        beam_size = self.settings.beam_size
        for windows, encoded in batches:
            rows = [(i, prompt) for i, w in enumerate(windows) for prompt in w.prompts]
            for attempt in (beam_size, FALLBACK_BEAM_SIZE):
                if not rows:
                    break
                limits = [token_limit(task, windows[i].audio.size) for i, (task, _) in rows]
                encoded_rows = encoded[[i for i, _ in rows]]
                texts = whisper.decode(encoded_rows, [p for _, p in rows], attempt, limits)
                for (i, (task, _)), text in zip(rows, texts, strict=True):
                    windows[i].texts[task] = text
                if attempt >= FALLBACK_BEAM_SIZE:
                    break
                rows = [row for row, text in zip(rows, texts, strict=True) if text.repetitive]

    def _translation_model(self) -> Whisper | None:
        if self._translates:
            return self.whisper
        with self._translator_lock:
            if self._translator is None and self._translator_error is None:
                name = self.settings.translation_model or DEFAULT_TRANSLATION_MODEL
                try:
                    model = fetch_whisper_model(self.settings, name)
                    self._translator = self.backend(self.settings, model, self.workers)
                except (ModelLoadError, OSError, RuntimeError, ValueError) as error:
                    self._translator_error = Message.of(
                        "translation-unavailable",
                        model=self.model_name,
                        translator=display_name(name),
                    )
                    log.warning("%s: %s", self._translator_error, error)
        return self._translator

    def _nothing_heard(self, duration: float) -> SpeechResult:
        return SpeechResult(
            language=None,
            language_probability=0.0,
            transcript="",
            translation=None,
            duration=duration,
            model=self.model_name,
            no_speech=True,
        )


class SpeechRecognizer(_Recognizer):
    """The faster-whisper (CTranslate2) backend: CUDA float16 when a GPU is visible, else CPU int8."""

    backend = FasterWhisper


class OpenAIWhisperRecognizer(_Recognizer):
    """The openai-whisper (PyTorch) backend: ``settings.model`` is a name or a ``.pt`` checkpoint."""

    backend = OpenAIWhisper


def load_recognizer(settings: SpeechSettings, workers: int = 1) -> Recognizer:
    """Load the backend named by ``settings.backend`` (blocking: seconds to minutes), to run
    ``workers`` batches at once (``queue.speech_workers``)."""
    if settings.backend == "openai-whisper":
        return OpenAIWhisperRecognizer(settings, workers)
    return SpeechRecognizer(settings, workers)


def speech_windows(audio: np.ndarray) -> list[np.ndarray]:
    """The speech Silero VAD hears, joined into windows of at most 30 s that end at pauses.

    A clip with less than 30 s of speech gives one window, the same audio as faster-whisper's
    ``transcribe(vad_filter=True)`` decodes; longer speech is cut as its batched pipeline cuts it.
    """
    options = VadOptions(max_speech_duration_s=WINDOW_SECONDS)
    chunks = get_speech_timestamps(audio, options, sampling_rate=SAMPLE_RATE)
    windows, _ = collect_chunks(audio, chunks, SAMPLE_RATE, max_duration=WINDOW_SECONDS)
    return [window for window in windows if window.size]


def token_limit(task: Task, samples: int) -> int:
    """The most tokens worth decoding for ``task`` from a window of ``samples`` of speech."""
    needed = TOKENS_PER_SECOND[task] * samples / SAMPLE_RATE + TOKEN_SLACK
    return TOKEN_LIMIT_STEP * math.ceil(needed / TOKEN_LIMIT_STEP)


def fixed_windows(audio: np.ndarray) -> list[np.ndarray]:
    """All of ``audio`` in consecutive 30 s windows (no VAD)."""
    return [audio[start : start + WINDOW_SAMPLES] for start in range(0, audio.size, WINDOW_SAMPLES)]


def _encode(whisper: Whisper, windows: Sequence[_Window]) -> list[tuple[list[_Window], Any]]:
    """The encoder output of all windows, in batches of at most ``BATCH_WINDOWS`` of one length."""
    by_frames: defaultdict[int, list[_Window]] = defaultdict(list)
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


def _detect(whisper: Whisper, batches: list[tuple[list[_Window], Any]]) -> None:
    """Language probabilities of the windows whose language was not given."""
    for windows, encoded in batches:
        rows = [i for i, window in enumerate(windows) if window.detect]
        if rows:
            for i, probabilities in zip(rows, whisper.language_probs(encoded[rows]), strict=True):
                windows[i].languages = probabilities


def _larger(frames: int) -> int:
    """The next window size up from ``frames``, or the full window."""
    return 100 * next((s for s in CONTEXT_SECONDS if 100 * s > frames), WINDOW_SECONDS)


def _guesses(clip: _Clip) -> tuple[tuple[str, float], ...]:
    if clip.request.language is not None:
        return ((clip.request.language, 1.0),)
    return language_guesses(
        [w.languages for w in clip.windows], [w.audio.size for w in clip.windows]
    )


def _language(clip: _Clip) -> str:
    return _guesses(clip)[0][0]


def _join(windows: Iterable[WindowText], keep: Iterable[bool]) -> str:
    return " ".join(w.text for w, kept in zip(windows, keep, strict=True) if kept and w.text)
