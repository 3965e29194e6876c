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
import zlib
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol

import numpy as np
from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

from bot.audio import SAMPLE_RATE
from bot.config import SpeechSettings
from bot.results import SpeechResult

WINDOW_SECONDS = 30
WINDOW_SAMPLES = WINDOW_SECONDS * SAMPLE_RATE
MIN_SPEECH_SAMPLES = SAMPLE_RATE // 10
BATCH_WINDOWS = 8
"""Windows encoded and decoded together; longer audio goes through in several batches."""
LOG_PROB_THRESHOLD = -1.0
"""Whisper's rule: a window is silent when no-speech is likely *and* the text is this unlikely."""
DOUBTFUL_NO_SPEECH = 0.2
"""Above this no-speech probability, a known hallucination is dropped."""
COMPRESSION_RATIO_THRESHOLD = 2.4
"""Whisper's test for a repetition loop: text that zlib compresses more than this."""
FALLBACK_BEAM_SIZE = 5
MAX_NEW_TOKENS = 224
"""Whisper decodes at most half of its 448-token text context per window."""
DEFAULT_TRANSLATION_MODEL = "medium"
HALLUCINATION = re.compile(
    r"^(you|bye|thank you|thanks)$"
    r"|^(thank you|thanks)( (so|very) much)? for (watching|listening)"
    r"|^(please )?(like and )?subscribe"
    r"|^(subtitles|subtitled|captions|captioned|transcribed|translated) by"
    r"|amara ?org"
)

Task = Literal["transcribe", "translate"]
log = logging.getLogger(__name__)


WHISPER_FILES = [
    "config.json",
    "preprocessor_config.json",
    "model.bin",
    "tokenizer.json",
    "vocabulary.*",
]


def fetch_whisper_model(settings: SpeechSettings, name: str) -> str:
    """Return a local folder for a faster-whisper model name, downloading it with a progress bar.

    faster-whisper downloads silently (``download_model`` turns tqdm off); on a first start that is
    several GB, so we fetch it as it would, with huggingface_hub's console progress bars. Local
    paths and openai-whisper are passed through.
    """
    if settings.backend != "faster-whisper" or Path(name).exists():
        return name
    from faster_whisper.utils import _MODELS
    from huggingface_hub import snapshot_download

    repo_id = name if "/" in name else _MODELS.get(name)
    if repo_id is None:
        return name  # faster-whisper raises a clear "Invalid model size" error itself
    log.info("fetching Whisper model %s (%s)…", name, repo_id)
    return snapshot_download(
        repo_id,
        allow_patterns=WHISPER_FILES,
        cache_dir=settings.download_root,
        local_files_only=settings.local_files_only,
    )


class Recognizer(Protocol):
    """What the rest of the bot needs from a speech backend."""

    model_name: str

    def recognize(self, samples: np.ndarray) -> SpeechResult:
        """Blocking: 16 kHz mono float32 samples in, what was said out."""
        ...

    async def recognize_async(self, samples: np.ndarray) -> SpeechResult:
        """:meth:`recognize` in a worker thread."""
        ...


@dataclass(frozen=True)
class WindowText:
    """The text of one window of audio (at most 30 s)."""

    text: str
    avg_logprob: float
    no_speech_prob: float

    @property
    def repetitive(self) -> bool:
        """Caught in a repetition loop ("red-red-red-…"), by Whisper's compression-ratio test."""
        raw = self.text.encode()
        return len(raw) > COMPRESSION_RATIO_THRESHOLD * len(zlib.compress(raw))


class Whisper(ABC):
    """One loaded Whisper model: encode once, then detect and decode from the encoder output."""

    @abstractmethod
    def encode(self, windows: Sequence[np.ndarray]) -> Any:
        """Encode audio windows of at most 30 s in one batch."""

    @abstractmethod
    def language_probs(self, encoded: Any) -> list[dict[str, float]]:
        """Per window: language code → probability."""

    @abstractmethod
    def decode(self, encoded: Any, task: Task, language: str, beam_size: int) -> list[WindowText]:
        """Decode every window for ``task`` (greedy or beam, temperature 0, capped length)."""


class FasterWhisper(Whisper):
    """faster-whisper's CTranslate2 model, driven through its lower-level API."""

    def __init__(self, settings: SpeechSettings, model: str) -> None:
        import ctranslate2
        from faster_whisper import WhisperModel

        cuda = settings.device == "cuda" or (
            settings.device == "auto" and ctranslate2.get_cuda_device_count() > 0
        )
        compute_type = settings.compute_type
        if compute_type == "auto":
            compute_type = "float16" if cuda else "int8"
        self.model = WhisperModel(
            model,
            device="cuda" if cuda else "cpu",
            compute_type=compute_type,
            cpu_threads=settings.cpu_threads,
            download_root=str(settings.download_root) if settings.download_root else None,
            local_files_only=settings.local_files_only,
        )
        self.max_new_tokens = min(settings.max_new_tokens, MAX_NEW_TOKENS)

    def encode(self, windows: Sequence[np.ndarray]) -> Any:
        from faster_whisper.audio import pad_or_trim

        # As transcribe(): the last frame is padding.
        features = [pad_or_trim(self.model.feature_extractor(w)[:, :-1]) for w in windows]
        return self.model.encode(np.stack(features))

    def language_probs(self, encoded: Any) -> list[dict[str, float]]:
        if not self.model.model.is_multilingual:
            return [{"en": 1.0}] * encoded.shape[0]
        return [
            {token[2:-2]: probability for token, probability in window}
            for window in self.model.model.detect_language(encoded)
        ]

    def decode(self, encoded: Any, task: Task, language: str, beam_size: int) -> list[WindowText]:
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        multilingual = self.model.model.is_multilingual
        tokenizer = Tokenizer(self.model.hf_tokenizer, multilingual, task=task, language=language)
        prompt = [*tokenizer.sot_sequence, tokenizer.no_timestamps]
        results = self.model.model.generate(
            encoded,
            [prompt] * encoded.shape[0],
            beam_size=beam_size,
            # CTranslate2 decodes min(max_length / 2, max_length - len(prompt)) tokens.
            max_length=2 * self.max_new_tokens,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=get_suppressed_tokens(tokenizer, [-1]),
        )
        windows = []
        for result in results:
            tokens = result.sequences_ids[0]
            avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
            text = tokenizer.decode(tokens).strip()
            windows.append(WindowText(text, avg_logprob, result.no_speech_prob))
        return windows


class OpenAIWhisper(Whisper):
    """openai-whisper's PyTorch model (``pip install openai-whisper``), imported lazily."""

    def __init__(self, settings: SpeechSettings, model: str) -> None:
        import torch
        import whisper

        cuda = settings.device == "cuda" or (
            settings.device == "auto" and torch.cuda.is_available()
        )
        root = str(settings.download_root) if settings.download_root else None
        self.model = whisper.load_model(model, device="cuda" if cuda else "cpu", download_root=root)
        self.fp16 = cuda
        self.max_new_tokens = min(settings.max_new_tokens, MAX_NEW_TOKENS)
        self._lock = threading.Lock()
        """openai-whisper installs its kv-cache hooks on the shared model: one pass at a time."""

    def encode(self, windows: Sequence[np.ndarray]) -> Any:
        import torch
        import whisper

        n_mels, frames = self.model.dims.n_mels, whisper.audio.N_FRAMES
        mels = [
            whisper.pad_or_trim(whisper.log_mel_spectrogram(w, n_mels), frames) for w in windows
        ]
        dtype = torch.float16 if self.fp16 else torch.float32
        with self._lock, torch.inference_mode():
            return self.model.embed_audio(torch.stack(mels).to(self.model.device, dtype))

    def language_probs(self, encoded: Any) -> list[dict[str, float]]:
        import torch
        from whisper.decoding import detect_language

        if not self.model.is_multilingual:
            return [{"en": 1.0}] * encoded.shape[0]
        with self._lock, torch.inference_mode():
            return detect_language(self.model, encoded)[1]

    def decode(self, encoded: Any, task: Task, language: str, beam_size: int) -> list[WindowText]:
        import torch
        from whisper.decoding import DecodingOptions, decode

        options = DecodingOptions(
            task=task,
            language=language,
            temperature=0.0,
            beam_size=beam_size if beam_size > 1 else None,
            sample_len=self.max_new_tokens,
            without_timestamps=True,
            fp16=self.fp16,
        )
        with self._lock, torch.inference_mode():
            results = decode(self.model, encoded, options)
        return [WindowText(r.text.strip(), r.avg_logprob, r.no_speech_prob) for r in results]


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


def display_name(model: str) -> str:
    """A short name for a model setting: the name itself, a folder's name, or a hub repo id."""
    path = Path(model)
    if not path.exists():
        return model
    repo = next((part for part in path.parts if part.startswith("models--")), None)
    return repo.removeprefix("models--").replace("--", "/") if repo else path.stem


def _encode(whisper: Whisper, windows: Sequence[np.ndarray]) -> list[Any]:
    """The encoder output of all windows, in batches of at most ``BATCH_WINDOWS``."""
    return [
        whisper.encode(windows[start : start + BATCH_WINDOWS])
        for start in range(0, len(windows), BATCH_WINDOWS)
    ]


def _join(windows: Iterable[WindowText], keep: Iterable[bool]) -> str:
    return " ".join(w.text for w, kept in zip(windows, keep, strict=True) if kept and w.text)
