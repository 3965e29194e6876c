"""Whisper backends behind one small interface: encode windows once, then detect the language
and decode both tasks from the same encoder output, for windows of many clips at once.
faster-whisper (CTranslate2, the default; openai-whisper's PyTorch backend is in
:mod:`bot.engines.whisper_torch`); and fetching a model with a progress bar.

The encoder may see less than Whisper's 30 s (``frames`` below 3000 mel frames, whisper.cpp's
``audio_ctx``): CTranslate2's encoder takes shorter features as they are, openai-whisper's needs
its positional embedding cut. A batch holds windows of one length, so no row sees another's padding.
"""

from __future__ import annotations

import logging
import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from bot.config import SpeechSettings, is_a_path
from bot.engines.hub import ModelSource

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
    from huggingface_hub import snapshot_download

    source = whisper_source(settings, name)
    only_cached = source.check(local_files_only=settings.local_files_only)
    log.info("fetching Whisper model %s (%s)…", name, source.repo_id)
    with source.loading():
        return snapshot_download(
            source.repo_id,
            allow_patterns=WHISPER_FILES,
            cache_dir=settings.download_root,
            local_files_only=only_cached,
        )


def whisper_source(settings: SpeechSettings, name: str) -> ModelSource:
    """Where the faster-whisper model ``name`` (a size, a hub repo id) comes from; a name that is
    neither raises :class:`ModelLoadError`."""
    from faster_whisper.utils import _MODELS, available_models

    repo_id = name if "/" in name else _MODELS.get(name)
    source = ModelSource(
        "Whisper model", name, "speech.model", repo_id or name, settings.download_root, "model.bin"
    )
    if repo_id is None and not is_a_path(name):
        sizes = ", ".join(available_models())
        fix = f"set speech.model to one of {sizes}, a hub repo id or a local folder"
        raise source.error("there is no model by that name", fix)
    return source


def threads_per_worker(workers: int) -> int:
    """This process's cores shared out among ``workers`` model replicas, at least one each.

    More threads than cores, or threads that wait on each other for the decoder's small steps,
    cost more than they give (2 cores, Whisper base int8: 3.6 ms a step on one thread, 8.9 ms on
    two; CTranslate2's own default is 4 threads a replica).
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cores or 1) // workers)


@dataclass(frozen=True)
class WindowText:
    """The text heard in one window of audio (at most 30 s), and how sure the model was of it."""

    text: str
    avg_logprob: float
    no_speech_prob: float


@dataclass(frozen=True)
class Attempt:
    """How a window is decoded: greedy or beam search at temperature 0, or sampling at
    ``temperature`` (the best of ``best_of`` hypotheses), as Whisper's temperature fallback."""

    beam_size: int = 1
    temperature: float = 0.0
    best_of: int = 1


@dataclass(frozen=True)
class Decoded:
    """One row as the model decoded it: its tokens, timestamps included (no end of text), the
    average log-probability of its tokens and the no-speech probability."""

    tokens: tuple[int, ...]
    avg_logprob: float
    no_speech_prob: float


Prompt = tuple[Task, str]
"""What to decode from one row of encoder output: the task and the spoken language."""

TIMESTAMP_SECONDS = 0.02
"""Whisper's time per timestamp token (two mel frames)."""
MAX_INITIAL_TIMESTAMP = 1.0
"""The first timestamp is at most this (transcribe()'s ``max_initial_timestamp``)."""


class TextTokenizer(Protocol):
    """What the long-form rules need of a backend's tokenizer (faster-whisper's and
    openai-whisper's have it alike)."""

    timestamp_begin: int

    def decode(self, tokens: list[int]) -> str:
        """The text of ``tokens``, timestamp tokens left out."""
        ...


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
    def decode(
        self, encoded: Any, prompts: Sequence[Prompt], limits: Sequence[int], attempt: Attempt
    ) -> list[Decoded]:
        """Decode row i for ``prompts[i]`` with timestamp tokens, at most ``limits[i]`` tokens;
        each row gets what it would get decoded alone (up to sampling, at a temperature)."""

    @abstractmethod
    def tokenizer(self, prompt: Prompt) -> TextTokenizer:
        """The tokenizer that reads what was decoded for ``prompt``."""


class FasterWhisper(Whisper):
    """faster-whisper's CTranslate2 model, driven through its lower-level API.

    ``workers`` model replicas (CTranslate2's ``num_workers``) run that many batches at once,
    each on ``settings.cpu_threads`` threads on the CPU (0: :func:`threads_per_worker`).
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
            cpu_threads=settings.cpu_threads or threads_per_worker(workers),
            num_workers=workers,
            download_root=str(settings.download_root) if settings.download_root else None,
            local_files_only=settings.local_files_only,
        )
        self.max_new_tokens = min(settings.max_new_tokens, MAX_NEW_TOKENS)
        self._suppress: list[int] | None = None
        self._tokenizers: dict[Prompt, Any] = {}
        self.encode_batch: int | None = None if cuda else 1
        """Windows per encoder pass: all on a GPU; one on a CPU, where a batch costs more than
        its windows one by one (2 cores, 10 s windows: 4 in one pass 0.55 s, one by one 0.36 s)."""

    def encode(self, windows: Sequence[np.ndarray], frames: int = FULL_FRAMES) -> Any:
        import ctranslate2
        from faster_whisper.audio import pad_or_trim

        # As transcribe(): the last frame is padding.
        features = [pad_or_trim(self.model.feature_extractor(w)[:, :-1], frames) for w in windows]
        step = self.encode_batch or len(features)
        passes = [np.stack(features[i : i + step]) for i in range(0, len(features), step)]
        return np.concatenate(
            [
                np.array(
                    self.model.model.encode(ctranslate2.StorageView.from_array(batch), to_cpu=True)
                )
                for batch in passes
            ]
        )

    def language_probs(self, encoded: Any) -> list[dict[str, float]]:
        if not self.model.model.is_multilingual:
            return [{"en": 1.0}] * len(encoded)
        return [
            {token[2:-2]: probability for token, probability in window}
            for window in self.model.model.detect_language(_storage(encoded))
        ]

    def decode(
        self, encoded: Any, prompts: Sequence[Prompt], limits: Sequence[int], attempt: Attempt
    ) -> list[Decoded]:
        from faster_whisper.transcribe import get_suppressed_tokens

        starts = [list(self.tokenizer(p).sot_sequence) for p in prompts]
        if self._suppress is None:  # special tokens and non-speech symbols, for any task
            self._suppress = get_suppressed_tokens(self.tokenizer(prompts[0]), [-1])
        limits = [min(limit, self.max_new_tokens) for limit in limits]
        run = _Generation(self.model.model, encoded, starts, attempt, self._suppress)
        greedy = attempt.beam_size == 1 and attempt.temperature == 0
        rows = run.greedy(limits) if greedy else run.by_limit(limits)
        return [
            Decoded(tuple(row.tokens), row.logprob / (len(row.tokens) + 1), row.no_speech)
            for row in rows
        ]

    def tokenizer(self, prompt: Prompt) -> Any:
        from faster_whisper.tokenizer import Tokenizer

        tokenizer = self._tokenizers.get(prompt)
        if tokenizer is None:
            multilingual = self.model.model.is_multilingual
            tokenizer = Tokenizer(self.model.hf_tokenizer, multilingual, *prompt)
            self._tokenizers[prompt] = tokenizer
        return tokenizer


@dataclass
class _Row:
    """One row's tokens so far, their summed log-probability and the no-speech probability."""

    tokens: list[int] = field(default_factory=list)
    logprob: float = 0.0
    no_speech: float = 0.0


@dataclass(frozen=True)
class _Generation:
    """CTranslate2 ``generate`` over rows of encoder output that stop at limits of their own,
    with Whisper's timestamp rules (the prompts hold no ``<|notimestamps|>``)."""

    model: Any
    encoded: np.ndarray
    starts: list[list[int]]
    attempt: Attempt
    suppress: list[int]

    def greedy(self, limits: Sequence[int]) -> list[_Row]:
        """In rounds, each as far as the nearest limit: the rows that end or reach their limit
        leave, the others go on from their tokens. Greedy decoding goes on as if it had not
        stopped, timestamps included, and the log-probabilities add up, so a row gets what it
        would alone, and a row caught in a loop stops at its own limit, not the longest row's.
        CTranslate2 steps through the tokens given again (forced, one decoder step each), so a
        row that goes on pays its earlier steps twice; most rows end before the first limit."""
        rows = [_Row() for _ in self.starts]
        pending = list(range(len(rows)))
        while pending:
            first = not rows[pending[0]].tokens  # every pending row has as many tokens
            target = min(limits[i] for i in pending)
            results = self._generate(pending, [rows[i].tokens for i in pending], target, first)
            for i, result in zip(pending, results, strict=True):
                tokens = result.sequences_ids[0]
                row = rows[i]
                # A score is the log-probability of the new tokens over the sequence's length.
                row.logprob += result.scores[0] * len(tokens)
                if first:
                    row.no_speech = result.no_speech_prob
                row.tokens = tokens
            pending = [i for i in pending if len(rows[i].tokens) == target < limits[i]]
        return rows

    def by_limit(self, limits: Sequence[int]) -> list[_Row]:
        """Rows with the same limit decoded together (beam search and sampling cannot go on
        from a stop)."""
        decoded: dict[int, _Row] = {}
        for limit in set(limits):
            group = [i for i, row_limit in enumerate(limits) if row_limit == limit]
            results = self._generate(group, [[]] * len(group), limit)
            for i, result in zip(group, results, strict=True):
                tokens = result.sequences_ids[0]
                logprob = result.scores[0] * len(tokens)
                decoded[i] = _Row(tokens, logprob, result.no_speech_prob)
        return [decoded[i] for i in range(len(limits))]

    def _generate(
        self, rows: list[int], prefixes: list[list[int]], total: int, first: bool = True
    ) -> Any:
        attempt = self.attempt
        if attempt.temperature > 0:  # as generate_with_fallback()
            search = {
                "beam_size": 1,
                "num_hypotheses": attempt.best_of,
                "sampling_topk": 0,
                "sampling_temperature": attempt.temperature,
            }
        else:
            search = {"beam_size": attempt.beam_size}
        return self.model.generate(
            _storage(self.encoded[rows]),
            [self.starts[i] + prefix for i, prefix in zip(rows, prefixes, strict=True)],
            # CTranslate2 decodes up to max_length / 2 tokens, those given after the prompt included.
            max_length=2 * total,
            return_scores=True,
            return_no_speech_prob=first,
            suppress_blank=first,
            suppress_tokens=self.suppress,
            max_initial_timestamp_index=round(MAX_INITIAL_TIMESTAMP / TIMESTAMP_SECONDS),
            **search,
        )


def _storage(encoded: np.ndarray) -> Any:
    from faster_whisper.transcribe import get_ctranslate2_storage

    return get_ctranslate2_storage(encoded)
