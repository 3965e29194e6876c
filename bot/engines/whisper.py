"""Whisper backends behind one small interface: encode windows once, then detect the language
and decode both tasks from the same encoder output, for windows of many clips at once.
faster-whisper (CTranslate2, the default) and openai-whisper (PyTorch, an optional extra); and
fetching a model with a progress bar.

The encoder may see less than Whisper's 30 s (``frames`` below 3000 mel frames, whisper.cpp's
``audio_ctx``): CTranslate2's encoder takes shorter features as they are, openai-whisper's needs
its positional embedding cut. A batch holds windows of one length, so no row sees another's padding.
"""

from __future__ import annotations

import logging
import threading
import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from bot.config import SpeechSettings, is_a_path
from bot.engines.hub import ModelSource

COMPRESSION_RATIO_THRESHOLD = 2.4
"""Whisper's test for a repetition loop: text that zlib compresses more than this."""
MAX_NEW_TOKENS = 224
"""Whisper decodes at most half of its 448-token text context per window."""
FULL_FRAMES = 3000
"""Mel frames in Whisper's 30 s window (10 ms each); the encoder halves them."""

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
    several GB, so we fetch it as it would, with huggingface_hub's console progress bars. The hub
    is asked about the model first (:meth:`ModelSource.check`): an unknown name, a missing folder
    or an unreachable hub with nothing cached raises :class:`ModelLoadError` at once. Local paths
    and openai-whisper are passed through.
    """
    if settings.backend != "faster-whisper" or Path(name).expanduser().exists():
        return name
    from faster_whisper.utils import _MODELS, available_models
    from huggingface_hub import snapshot_download

    repo_id = name if "/" in name else _MODELS.get(name)
    source = ModelSource(
        "Whisper model", name, "speech.model", repo_id or name, settings.download_root, "model.bin"
    )
    if repo_id is None and not is_a_path(name):
        sizes = ", ".join(available_models())
        fix = f"set speech.model to one of {sizes}, a hub repo id or a local folder"
        raise source.error("there is no model by that name", fix)
    only_cached = source.check(local_files_only=settings.local_files_only)
    log.info("fetching Whisper model %s (%s)…", name, repo_id)
    with source.loading():
        return snapshot_download(
            repo_id,
            allow_patterns=WHISPER_FILES,
            cache_dir=settings.download_root,
            local_files_only=only_cached,
        )


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


Prompt = tuple[Task, str]
"""What to decode from one row of encoder output: the task and the spoken language."""


class Whisper(ABC):
    """One loaded Whisper model: encode once, then detect and decode from the encoder output.

    Encoder output is an array indexable by a list of rows (numpy or torch), so that one window's
    output can feed several prompts and be decoded again alone.
    """

    @abstractmethod
    def encode(self, windows: Sequence[np.ndarray], frames: int = FULL_FRAMES) -> Any:
        """Encode audio windows in one batch, each padded to ``frames`` mel frames (100 per s)."""

    @abstractmethod
    def language_probs(self, encoded: Any) -> list[dict[str, float]]:
        """Per row: language code → probability."""

    @abstractmethod
    def decode(self, encoded: Any, prompts: Sequence[Prompt], beam_size: int) -> list[WindowText]:
        """Decode row i for ``prompts[i]`` (greedy or beam, temperature 0, capped length)."""


class FasterWhisper(Whisper):
    """faster-whisper's CTranslate2 model, driven through its lower-level API.

    ``workers`` model replicas (CTranslate2's ``num_workers``) run that many batches at once,
    each on ``settings.cpu_threads`` threads on the CPU.
    """

    def __init__(self, settings: SpeechSettings, model: str, workers: int = 1) -> None:
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
            num_workers=workers,
            download_root=str(settings.download_root) if settings.download_root else None,
            local_files_only=settings.local_files_only,
        )
        self.max_new_tokens = min(settings.max_new_tokens, MAX_NEW_TOKENS)

    def encode(self, windows: Sequence[np.ndarray], frames: int = FULL_FRAMES) -> Any:
        import ctranslate2
        from faster_whisper.audio import pad_or_trim

        # As transcribe(): the last frame is padding.
        features = [pad_or_trim(self.model.feature_extractor(w)[:, :-1], frames) for w in windows]
        features = ctranslate2.StorageView.from_array(np.stack(features))
        return np.array(self.model.model.encode(features, to_cpu=True))

    def language_probs(self, encoded: Any) -> list[dict[str, float]]:
        if not self.model.model.is_multilingual:
            return [{"en": 1.0}] * len(encoded)
        return [
            {token[2:-2]: probability for token, probability in window}
            for window in self.model.model.detect_language(_storage(encoded))
        ]

    def decode(self, encoded: Any, prompts: Sequence[Prompt], beam_size: int) -> list[WindowText]:
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        multilingual = self.model.model.is_multilingual
        tokenizers = {
            prompt: Tokenizer(self.model.hf_tokenizer, multilingual, *prompt)
            for prompt in set(prompts)
        }
        any_tokenizer = next(iter(tokenizers.values()))
        results = self.model.model.generate(
            _storage(encoded),
            [[*tokenizers[p].sot_sequence, any_tokenizer.no_timestamps] for p in prompts],
            beam_size=beam_size,
            # CTranslate2 decodes min(max_length / 2, max_length - len(prompt)) tokens.
            max_length=2 * self.max_new_tokens,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            # The same for every task and language: special tokens and non-speech symbols.
            suppress_tokens=get_suppressed_tokens(any_tokenizer, [-1]),
        )
        windows = []
        for result, prompt in zip(results, prompts, strict=True):
            tokens = result.sequences_ids[0]
            avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
            text = tokenizers[prompt].decode(tokens).strip()
            windows.append(WindowText(text, avg_logprob, result.no_speech_prob))
        return windows


class OpenAIWhisper(Whisper):
    """openai-whisper's PyTorch model (``pip install openai-whisper``), imported lazily."""

    def __init__(self, settings: SpeechSettings, model: str, workers: int = 1) -> None:
        import torch
        import whisper

        cuda = settings.device == "cuda" or (
            settings.device == "auto" and torch.cuda.is_available()
        )
        root = str(settings.download_root) if settings.download_root else None
        self.model = whisper.load_model(model, device="cuda" if cuda else "cpu", download_root=root)
        self.fp16 = cuda
        self.max_new_tokens = min(settings.max_new_tokens, MAX_NEW_TOKENS)
        self._full_ctx = self.model.dims.n_audio_ctx
        self._lock = threading.Lock()
        """openai-whisper installs its kv-cache hooks on the shared model, and _context changes
        its dimensions: one pass at a time (``workers`` is not used)."""

    def encode(self, windows: Sequence[np.ndarray], frames: int = FULL_FRAMES) -> Any:
        import torch
        import torch.nn.functional as F
        import whisper

        mels = [
            whisper.pad_or_trim(whisper.log_mel_spectrogram(w, self.model.dims.n_mels), frames)
            for w in windows
        ]
        dtype = torch.float16 if self.fp16 else torch.float32
        encoder = self.model.encoder
        with self._lock, torch.inference_mode():
            x = torch.stack(mels).to(self.model.device, dtype)
            x = F.gelu(encoder.conv2(F.gelu(encoder.conv1(x)))).permute(0, 2, 1)
            # AudioEncoder.forward with the positional embedding cut to the window's length.
            x = (x + encoder.positional_embedding[: x.shape[1]]).to(x.dtype)
            for block in encoder.blocks:
                x = block(x)
            return encoder.ln_post(x)

    def language_probs(self, encoded: Any) -> list[dict[str, float]]:
        import torch
        from whisper.decoding import detect_language

        if not self.model.is_multilingual:
            return [{"en": 1.0}] * encoded.shape[0]
        with self._lock, self._context(encoded), torch.inference_mode():
            return detect_language(self.model, encoded)[1]

    def decode(self, encoded: Any, prompts: Sequence[Prompt], beam_size: int) -> list[WindowText]:
        import torch
        from whisper.decoding import DecodingOptions, decode

        windows: dict[int, WindowText] = {}
        for task, language in set(prompts):
            rows = [i for i, prompt in enumerate(prompts) if prompt == (task, language)]
            options = DecodingOptions(
                task=task,
                language=language,
                temperature=0.0,
                beam_size=beam_size if beam_size > 1 else None,
                sample_len=self.max_new_tokens,
                without_timestamps=True,
                fp16=self.fp16,
            )
            with self._lock, self._context(encoded), torch.inference_mode():
                results = decode(self.model, encoded[rows], options)
            for row, r in zip(rows, results, strict=True):
                windows[row] = WindowText(r.text.strip(), r.avg_logprob, r.no_speech_prob)
        return [windows[row] for row in range(len(prompts))]

    @contextmanager
    def _context(self, encoded: Any) -> Iterator[None]:
        """openai-whisper takes its input for encoder output when it is ``n_audio_ctx`` long."""
        self.model.dims.n_audio_ctx = encoded.shape[1]
        try:
            yield
        finally:
            self.model.dims.n_audio_ctx = self._full_ctx


def _storage(encoded: np.ndarray) -> Any:
    import ctranslate2

    return ctranslate2.StorageView.from_array(np.ascontiguousarray(encoded))
