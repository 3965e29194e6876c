"""Whisper: the spoken language (with its probability), the transcript and an English translation.

One model per process, loaded once. Each clip is encoded once: the encoder output of its 30 s
windows (one batch) feeds language detection, transcription and translation, where faster-whisper's
``transcribe()`` would encode twice for detection and again for each task. Decoding runs at
temperature 0 with a token cap per window, so it is fast and deterministic (faster-whisper's
temperature fallback is neither); a window caught in a repetition loop (Whisper's compression-ratio
test) is decoded again with beam search, which is deterministic too.

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
import re
import string
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Protocol

import numpy as np
from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

from bot.config import SpeechSettings, display_name
from bot.domain.results import SpeechResult
from bot.engines.audio import SAMPLE_RATE
from bot.engines.whisper import (
    FasterWhisper,
    OpenAIWhisper,
    Task,
    Whisper,
    WindowText,
    fetch_whisper_model,
)

WINDOW_SECONDS = 30
WINDOW_SAMPLES = WINDOW_SECONDS * SAMPLE_RATE
MIN_SPEECH_SAMPLES = SAMPLE_RATE // 10
BATCH_WINDOWS = 8
"""Windows encoded and decoded together; longer audio goes through in several batches."""
LOG_PROB_THRESHOLD = -1.0
"""Whisper's rule: a window is silent when no-speech is likely *and* the text is this unlikely."""
DOUBTFUL_NO_SPEECH = 0.2
"""Above this no-speech probability, a known hallucination is dropped."""
FALLBACK_BEAM_SIZE = 5
DEFAULT_TRANSLATION_MODEL = "medium"
HALLUCINATION = re.compile(
    r"^(you|bye|thank you|thanks)$"
    r"|^(thank you|thanks)( (so|very) much)? for (watching|listening)"
    r"|^(please )?(like and )?subscribe"
    r"|^(subtitles|subtitled|captions|captioned|transcribed|translated) by"
    r"|amara ?org"
)

log = logging.getLogger(__name__)


class Recognizer(Protocol):
    """What the rest of the bot needs from a speech backend."""

    model_name: str

    def recognize(self, samples: np.ndarray) -> SpeechResult:
        """Blocking: 16 kHz mono float32 samples in, what was said out."""
        ...

    async def recognize_async(self, samples: np.ndarray) -> SpeechResult:
        """:meth:`recognize` in a worker thread."""
        ...


class _Recognizer:
    """The shared pipeline: VAD → one encoder pass → language → transcript → translation.

    A model whose name contains "turbo" (large-v3-turbo) was not trained to translate: its
    translations come from a second model, ``settings.translation_model`` (default ``medium``),
    loaded lazily on the first non-English clip, which encodes the clip a second time. If that model
    cannot be loaded, the result carries no translation and says why in ``translation_missing``
    (its prompt falls back to the transcript); the load is not retried.
    """

    backend: ClassVar[type[Whisper]]

    def __init__(self, settings: SpeechSettings) -> None:
        self.settings = settings
        model = fetch_whisper_model(settings, settings.model)
        self.model_name = display_name(model)
        self.whisper = self.backend(settings, model)
        self._translates = "turbo" not in model.lower()
        self._translator: Whisper | None = None
        self._translator_error: str | None = None
        self._translator_lock = threading.Lock()

    def recognize(self, samples: np.ndarray) -> SpeechResult:
        """What was said in ``samples`` (16 kHz mono float32). Blocking: call from a thread."""
        audio = np.ascontiguousarray(samples, dtype=np.float32)
        if audio.ndim != 1:
            raise ValueError(f"expected mono samples, got shape {audio.shape}")
        duration = audio.size / SAMPLE_RATE
        speech = speech_windows(audio) if self.settings.vad else fixed_windows(audio)
        if sum(window.size for window in speech) < MIN_SPEECH_SAMPLES:
            return self._nothing_heard(duration)
        encoded = _encode(self.whisper, speech)
        per_window = [probs for batch in encoded for probs in self.whisper.language_probs(batch)]
        language, probability = pick_language(per_window, speech)
        windows = self._decode(self.whisper, encoded, "transcribe", language)
        heard = [is_heard(w, self.settings.no_speech_threshold) for w in windows]
        transcript = _join(windows, heard)
        if not transcript:
            return self._nothing_heard(duration)
        translation = missing = None
        if language != "en":
            translation, missing = self._translate(speech, encoded, language, heard)
        return SpeechResult(
            language=language,
            language_probability=probability,
            transcript=transcript,
            translation=translation,
            duration=duration,
            model=self.model_name,
            translation_missing=missing,
        )

    async def recognize_async(self, samples: np.ndarray) -> SpeechResult:
        """:meth:`recognize` in a worker thread, so the event loop keeps running."""
        return await asyncio.to_thread(self.recognize, samples)

    def _translate(
        self,
        speech: Sequence[np.ndarray],
        encoded: list[Any],
        language: str,
        heard: Sequence[bool],
    ) -> tuple[str | None, str | None]:
        """The English text of the windows kept in ``heard``, or (None, why it is missing)."""
        whisper = self._translation_model()
        if whisper is None:
            return None, self._translator_error
        if whisper is not self.whisper:
            encoded = _encode(whisper, speech)
        return _join(self._decode(whisper, encoded, "translate", language), heard) or None, None

    def _decode(
        self, whisper: Whisper, encoded: list[Any], task: Task, language: str
    ) -> list[WindowText]:
        """Decode all batches; windows caught in a repetition loop again with beam search."""
        beam_size = self.settings.beam_size
        texts = []
        for batch in encoded:
            windows = whisper.decode(batch, task, language, beam_size)
            if beam_size < FALLBACK_BEAM_SIZE and any(w.repetitive for w in windows):
                retry = whisper.decode(batch, task, language, FALLBACK_BEAM_SIZE)
                windows = [b if a.repetitive else a for a, b in zip(windows, retry, strict=True)]
            texts.extend(windows)
        return texts

    def _translation_model(self) -> Whisper | None:
        if self._translates:
            return self.whisper
        with self._translator_lock:
            if self._translator is None and self._translator_error is None:
                name = self.settings.translation_model or DEFAULT_TRANSLATION_MODEL
                try:
                    model = fetch_whisper_model(self.settings, name)
                    self._translator = self.backend(self.settings, model)
                except (OSError, RuntimeError, ValueError) as error:
                    self._translator_error = (
                        f"{self.model_name} cannot translate, and the translation model "
                        f"{display_name(name)} is not available"
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


def load_recognizer(settings: SpeechSettings) -> Recognizer:
    """Load the backend named by ``settings.backend`` (blocking: seconds to minutes)."""
    if settings.backend == "openai-whisper":
        return OpenAIWhisperRecognizer(settings)
    return SpeechRecognizer(settings)


def speech_windows(audio: np.ndarray) -> list[np.ndarray]:
    """The speech Silero VAD hears, joined into windows of at most 30 s that end at pauses.

    A clip with less than 30 s of speech gives one window, the same audio as faster-whisper's
    ``transcribe(vad_filter=True)`` decodes; longer speech is cut as its batched pipeline cuts it.
    """
    options = VadOptions(max_speech_duration_s=WINDOW_SECONDS)
    chunks = get_speech_timestamps(audio, options, sampling_rate=SAMPLE_RATE)
    windows, _ = collect_chunks(audio, chunks, SAMPLE_RATE, max_duration=WINDOW_SECONDS)
    return [window for window in windows if window.size]


def fixed_windows(audio: np.ndarray) -> list[np.ndarray]:
    """All of ``audio`` in consecutive 30 s windows (no VAD)."""
    return [audio[start : start + WINDOW_SAMPLES] for start in range(0, audio.size, WINDOW_SAMPLES)]


def pick_language(
    per_window: Sequence[dict[str, float]], windows: Sequence[np.ndarray]
) -> tuple[str, float]:
    """The most probable language over all windows, each weighted by its length."""
    total = sum(window.size for window in windows)
    mixed: Counter[str] = Counter()
    for probabilities, window in zip(per_window, windows, strict=True):
        for language, probability in probabilities.items():
            mixed[language] += probability * window.size / total
    language, probability = mixed.most_common(1)[0]
    return language, min(probability, 1.0)


def is_heard(window: WindowText, no_speech_threshold: float) -> bool:
    """Whisper's silence rule, plus known hallucinations dropped when the window is doubtful.

    Silent: no-speech is likely (above ``no_speech_threshold``) and the text unlikely (average
    log-probability at most -1), as in Whisper and faster-whisper. Doubtful: either of the two.
    """
    unlikely = window.avg_logprob <= LOG_PROB_THRESHOLD
    if window.no_speech_prob > no_speech_threshold and unlikely:
        return False
    doubtful = unlikely or window.no_speech_prob > DOUBTFUL_NO_SPEECH
    return bool(window.text) and not (doubtful and is_hallucination(window.text))


def is_hallucination(text: str) -> bool:
    """Whether ``text`` is one of the phrases Whisper is known to invent for silence or noise."""
    words = text.lower().translate(str.maketrans("", "", string.punctuation)).split()
    return bool(HALLUCINATION.search(" ".join(words)))


def _encode(whisper: Whisper, windows: Sequence[np.ndarray]) -> list[Any]:
    """The encoder output of all windows, in batches of at most ``BATCH_WINDOWS``."""
    return [
        whisper.encode(windows[start : start + BATCH_WINDOWS])
        for start in range(0, len(windows), BATCH_WINDOWS)
    ]


def _join(windows: Iterable[WindowText], keep: Iterable[bool]) -> str:
    return " ".join(w.text for w, kept in zip(windows, keep, strict=True) if kept and w.text)
