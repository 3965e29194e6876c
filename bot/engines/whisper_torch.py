"""openai-whisper's PyTorch model as a :class:`~bot.engines.whisper.Whisper` backend
(``pip install openai-whisper``, imported lazily): encode windows fitted to their speech (the
positional embedding cut), detect the language and decode with timestamps as ``transcribe()``
does, through openai-whisper's own ``decode``."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from bot.config import SpeechSettings
from bot.engines.whisper import (
    FULL_FRAMES,
    MAX_INITIAL_TIMESTAMP,
    MAX_NEW_TOKENS,
    Attempt,
    Decoded,
    Prompt,
    Whisper,
)


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

    def decode(
        self, encoded: Any, prompts: Sequence[Prompt], limits: Sequence[int], attempt: Attempt
    ) -> list[Decoded]:
        import torch
        from whisper.decoding import DecodingOptions, decode

        decoded: dict[int, Decoded] = {}
        keys = [
            (*prompt, min(limit, self.max_new_tokens))
            for prompt, limit in zip(prompts, limits, strict=True)
        ]
        sampling = attempt.temperature > 0
        for task, language, limit in set(keys):
            rows = [i for i, key in enumerate(keys) if key == (task, language, limit)]
            options = DecodingOptions(
                task=task,
                language=language,
                temperature=attempt.temperature,
                beam_size=None if sampling or attempt.beam_size == 1 else attempt.beam_size,
                best_of=attempt.best_of if sampling else None,
                sample_len=limit,
                max_initial_timestamp=MAX_INITIAL_TIMESTAMP,
                fp16=self.fp16,
            )
            with self._lock, self._context(encoded), torch.inference_mode():
                results = decode(self.model, encoded[rows], options)
            for row, r in zip(rows, results, strict=True):
                decoded[row] = Decoded(tuple(r.tokens), r.avg_logprob, r.no_speech_prob)
        return [decoded[row] for row in range(len(prompts))]

    def tokenizer(self, prompt: Prompt) -> Any:
        from whisper.tokenizer import get_tokenizer

        task, language = prompt
        multilingual = self.model.is_multilingual
        return get_tokenizer(
            multilingual,
            num_languages=self.model.num_languages,
            language=language if multilingual else "en",
            task=task,
        )

    @contextmanager
    def _context(self, encoded: Any) -> Iterator[None]:
        """openai-whisper takes its input for encoder output when it is ``n_audio_ctx`` long."""
        self.model.dims.n_audio_ctx = encoded.shape[1]
        try:
            yield
        finally:
            self.model.dims.n_audio_ctx = self._full_ctx
