"""Whisper: the spoken language (with its probability), the transcript and an English translation.

One model per process, loaded once. Each clip is encoded once: the encoder output of its windows
feeds language detection, transcription and translation (``transcribe()`` would encode for each).
The encoder sees Whisper's 30 s window. With ``speech.fit_context`` it sees a window fitted to
the speech instead (10, 20 or 30 s, as whisper.cpp's ``audio_ctx``: far less encoding, but some
clips heard worse), and a clip whose language it names with little confidence
(``speech.refit_below``) has it detected again in the next larger window. Clips that arrive
together (``speech.batch_wait_ms``) are one batch: windows of each length encoded together, both
tasks of every clip decoded in one batched ``generate``; every row is computed alone, so a clip
gets the same result with or without company, and one cancelled meanwhile is dropped without
touching the others. Decoding runs at temperature 0 with a token limit per window that follows
the length of its speech (:func:`token_limit`: fast and deterministic, and a repetition loop
stops there); a window caught in a loop is decoded again with beam search.

Silence, noise and music never become a prompt: Silero VAD (shipped inside faster-whisper) drops
the silence around the speech before encoding and cuts long speech into windows at pauses, so no
window starts mid-word; Whisper's own no-speech rule drops windows it judges silent, and classic
subtitle hallucinations ("Thank you for watching") are dropped when confidence is low. Nor does
text the audio cannot hold after every retry: a clip whose transcript loops in the language
named first is decoded again in the second (Whisper's wrong guess on a short clip); a looping
transcript's window is not heard; an invented translation (a loop, more words than its seconds
hold, a known hallucination, as unlikely as its transcript) is left out and the transcript
stands (:func:`bot.engines.heard.judge`).

Backends: faster-whisper (CTranslate2, the default) and openai-whisper (PyTorch, an optional extra).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

import numpy as np

from bot.config import SpeechSettings, display_name
from bot.domain.messages import Message
from bot.domain.results import SpeechResult
from bot.engines.audio import SAMPLE_RATE
from bot.engines.heard import judge, language_guesses
from bot.engines.hub import ModelLoadError
from bot.engines.long_form import is_loop, join
from bot.engines.speech_batch import BatchCollector, Request
from bot.engines.whisper import (
    FULL_FRAMES,
    FasterWhisper,
    Whisper,
    WindowText,
    fetch_whisper_model,
)
from bot.engines.whisper_torch import OpenAIWhisper
from bot.engines.windows import (
    Batch,
    Window,
    context_frames,
    decode,
    detect,
    encode,
    fixed_windows,
    larger,
    speech_windows,
)

MIN_SPEECH_SAMPLES = SAMPLE_RATE // 10
RUNNER_UP = 0.1
"""A clip whose transcript loops is decoded again in its second most likely language from this
probability on."""
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
class _Clip:
    request: Request
    windows: list[Window]
    language: str | None = None
    """The language it is decoded in, where not its most likely one (``_relanguage``)."""

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
        batches = encode(self.whisper, [w for clip in live for w in clip.windows])
        detect(self.whisper, batches)
        self._refit([clip for clip in live if self._unsure(clip)])
        self._decode(batches, live)
        self._relanguage(batches, [clip for clip in live if clip.live and _misheard(clip)])
        if any(_language(c) != "en" for c in live) and not self._translates:
            translator = self._translation_model()
            if translator is not None:
                self._translate_apart(translator, [c for c in live if c.live])
        return [None if clip.request.cancelled() else self._result(clip) for clip in clips]

    def _decode(self, batches: list[Batch], clips: list[_Clip]) -> None:
        """The windows of ``clips`` (none other of ``batches``) transcribed in each clip's
        language, and translated where it is not English and the model translates."""
        for windows, _ in batches:
            for window in windows:
                window.prompts = []
        for clip in clips:
            if clip.request.cancelled():
                continue
            language = _language(clip)
            for window in clip.windows:
                window.prompts = [("transcribe", language)]
                if language != "en" and self._translates:
                    window.prompts.append(("translate", language))
        decode(self.whisper, batches, self.settings)

    def _relanguage(self, batches: list[Batch], clips: list[_Clip]) -> None:
        """Clips whose transcript loops in their most likely language decoded again in the next
        one, if that is at least ``RUNNER_UP`` likely (Whisper base hears 3 s of espeak
        "Une petite fille mange une pomme…" as Thai at 0.63 and loops "ดาดาดา…"; in French,
        its second guess at 0.14, it hears "et une petite fille…"). Only clips that would
        otherwise be "nothing heard" change; the encoder output is reused."""
        for clip in clips:
            clip.language = _runner_up(clip)
        again = [clip for clip in clips if clip.language]
        if again:
            self._decode(batches, again)

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
        again = [Window(w.audio, larger(w.frames), True) for w in windows]
        detect(self.whisper, encode(self.whisper, again))
        for window, heard_again in zip(windows, again, strict=True):
            window.languages = heard_again.languages

    def _translate_apart(self, translator: Whisper, clips: Iterable[_Clip]) -> None:
        """Translations from a second model, which encodes the foreign clips' windows again."""
        pairs = [(w, _language(c)) for c in clips if _language(c) != "en" for w in c.windows]
        copies = [
            Window(w.audio, w.frames, False, prompts=[("translate", lang)]) for w, lang in pairs
        ]
        decode(translator, encode(translator, copies), self.settings)
        for (window, _), copy in zip(pairs, copies, strict=True):
            window.texts.update(copy.texts)

    def _windows(self, request: Request) -> list[Window]:
        audio = request.samples
        speech = speech_windows(audio) if self.settings.vad else fixed_windows(audio)
        if sum(window.size for window in speech) < MIN_SPEECH_SAMPLES:
            return []
        frames = [context_frames(w.size, self.settings) for w in speech]
        return [Window(w, f, request.language is None) for w, f in zip(speech, frames, strict=True)]

    def _result(self, clip: _Clip) -> SpeechResult:
        duration = clip.duration
        if not clip.windows:
            return self._nothing_heard(duration)
        language = _language(clip)
        translating = language != "en" and all("translate" in w.texts for w in clip.windows)
        transcripts = [w.texts["transcribe"] for w in clip.windows]
        verdicts = [
            judge(
                w.texts["transcribe"],
                w.texts["translate"] if translating else None,
                w.audio.size / SAMPLE_RATE,
                self.settings.no_speech_threshold,
            )
            for w in clip.windows
        ]
        transcript = _join(transcripts, [v.heard for v in verdicts])
        if not transcript:
            return self._nothing_heard(duration)
        translation = missing = None
        if translating:
            translations = [w.texts["translate"] for w in clip.windows]
            translation = _join(translations, [v.translated for v in verdicts]) or None
            if translation is None and any(v.heard and not v.translated for v in verdicts):
                missing = Message.of("translation-invented").to_dict()
        elif language != "en":
            missing = self._translator_error.to_dict() if self._translator_error else None
        return SpeechResult(
            language=language,
            language_probability=dict(_guesses(clip)).get(language, 0.0),
            transcript=transcript,
            translation=translation,
            duration=duration,
            model=self.model_name,
            translation_missing=missing,
            languages=_guesses(clip),
        )

    def _translation_model(self) -> Whisper | None:
        """The second model that translates for a model that cannot (loaded on first use)."""
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


def _guesses(clip: _Clip) -> tuple[tuple[str, float], ...]:
    if clip.request.language is not None:
        return ((clip.request.language, 1.0),)
    return language_guesses(
        [w.languages for w in clip.windows], [w.audio.size for w in clip.windows]
    )


def _language(clip: _Clip) -> str:
    return clip.language or _guesses(clip)[0][0]


def _runner_up(clip: _Clip) -> str | None:
    """The clip's second most likely language, if at least ``RUNNER_UP`` likely."""
    guesses = _guesses(clip)
    return guesses[1][0] if len(guesses) > 1 and guesses[1][1] >= RUNNER_UP else None


def _misheard(clip: _Clip) -> bool:
    """No language was given and every window's transcript is a repetition loop."""
    return clip.request.language is None and all(
        is_loop(w.texts["transcribe"].text) for w in clip.windows
    )


def _join(windows: Iterable[WindowText], keep: Iterable[bool]) -> str:
    return join(w.text for w, kept in zip(windows, keep, strict=True) if kept and w.text)
