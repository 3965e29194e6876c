"""The speech and image engines of one process: loaded once (with visible download progress),
then shared by the job queue and the local ``imagine`` command.

This module is the queue's :class:`bot.queue.protocols.StageRunner`: ``listen`` (decode + Whisper, CPU threads)
and ``draw`` (diffusers, one worker thread per device). Nothing here knows about Discord.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from bot.config import Settings, display_name
from bot.domain.options import GenerationOptions, Variation
from bot.domain.results import GeneratedImage, PreviewCallback, SpeechResult, StepCallback
from bot.engines.audio import decode_audio_async
from bot.engines.hub import ModelLoadError, ModelSource
from bot.engines.resident import ResidentModels

if TYPE_CHECKING:
    from bot.engines.imaging import ImageGenerator
    from bot.engines.speech import Recognizer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineStatus:
    """The one shape of what the engines are doing, so no caller can show a path: a model is kept
    as its setting and shown by :func:`display_name`; a failure by its user-safe sentence."""

    phase: Literal["starting", "loading", "warming", "ready", "failed"]
    what: str = ""
    model: str = ""
    error: ModelLoadError | None = None

    def __str__(self) -> str:
        if self.error is not None:
            return str(self.error)
        if self.phase == "loading":
            return f"loading {self.what} {display_name(self.model)}"
        return self.what if self.phase == "warming" else self.phase


class Engines:
    """Whisper and Stable Diffusion, loaded in the background once; ``ready`` when both are up."""

    def __init__(self, settings: Settings, *, speech: bool = True, images: bool = True) -> None:
        self.settings = settings
        self.generator: ImageGenerator | None = None
        self._status = EngineStatus("starting")
        self._wanted = (speech, images)
        self._loading: Future[None] | None = None
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="model-loader")
        self._recognizers = ResidentModels(
            self._load_recognizer, settings.speech.max_resident_models, kind="Whisper"
        )

    def start_loading(self) -> Future[None]:
        """Begin loading the models in a background thread (idempotent)."""
        if self._loading is None:
            self._loading = self._loader.submit(self._load)
        return self._loading

    @property
    def model_name(self) -> str:
        """The image model's name as shown in replies."""
        return self.settings.image.display_name

    @property
    def device(self) -> str:
        """Where the image model runs, for ``/status``."""
        return self.generator.device if self.generator else "not loaded yet"

    @functools.cached_property
    def draw_slots(self) -> int:
        """Jobs to hand to the image engine at once: it draws those that match in one batch
        (``image.batch_jobs``; auto: 4 on CUDA, 1 on CPU)."""
        image = self.settings.image
        device = image.device
        if device == "auto" and image.batch_jobs == "auto":
            import torch

            device = "cuda" if torch.cuda.is_available() else "cpu"
        return image.jobs_per_batch(device)

    @property
    def ready(self) -> bool:
        return self._loading is not None and self._loading.done() and not self._loading.exception()

    async def wait_ready(self) -> None:
        """Wait until the models are loaded; a load failure is raised here, to every waiter."""
        if self.ready:
            return
        await asyncio.wrap_future(self.start_loading())

    @property
    def status(self) -> str:
        """What the engines are doing, fit for users: ``ready``, ``loading Whisper base``, or why
        they could not load (models by display name, never a path)."""
        return str(self._status)

    @property
    def error(self) -> str | None:
        """Why the models could not be loaded (one sentence fit for users), if they could not."""
        return None if self._status.error is None else str(self._status.error)

    def _load(self) -> None:
        speech, images = self._wanted
        started = time.perf_counter()
        image = self.settings.image
        try:
            if speech:
                with self.recognizer():
                    pass
            if images:
                self._status = EngineStatus("loading", "image model", image.model)
                source = ModelSource(
                    "image model", image.model, "image.model", cache_dir=image.cache_dir,
                    marker="model_index.json",
                )  # fmt: skip
                only_cached = source.check(local_files_only=image.local_files_only)
                with source.loading():
                    from bot.engines.imaging import ImageGenerator

                    cached = image.model_copy(update={"local_files_only": only_cached})
                    self.generator = ImageGenerator(
                        cached, self.settings.limits, on_status=self._image_status
                    )
        except ModelLoadError as error:
            self._status = EngineStatus("failed", error=error)
            trace = error.__cause__ if error.unexpected else None
            log.error("%s", error.admin_message, exc_info=trace)
            raise
        self._status = EngineStatus("ready")
        log.info("models ready in %.1f s", time.perf_counter() - started)

    def _image_status(self, status: str | None) -> None:
        """An image model warming up (first use of a model; the pool names it by its choice
        name), or done: back to ``ready``."""
        if status:
            self._status = EngineStatus("warming", status)
        elif self.ready:
            self._status = EngineStatus("ready")

    @property
    def speech_models(self) -> list[str]:
        """The Whisper models loaded now (display names), least recently used first."""
        return [display_name(name) for name in self._recognizers.names]

    def recognizer(self, model: str | None = None) -> AbstractContextManager[Recognizer]:
        """The recognizer for ``model`` (None: the configured one), loaded on first use and kept
        while the ``with`` block runs. At most ``speech.max_resident_models`` stay loaded.
        Blocking: call it from a thread."""
        return self._recognizers.use(model or self.settings.speech.model)

    def _load_recognizer(self, name: str) -> Recognizer:
        from bot.engines.speech import load_recognizer

        speech = self.settings.speech
        before, self._status = self._status, EngineStatus("loading", "Whisper", name)
        source = speech.choices.get(name, name)
        key = "speech.choices" if name in speech.choices else "speech.model"
        try:
            with ModelSource("Whisper model", name, key).loading():
                return load_recognizer(
                    speech.model_copy(update={"model": source}),
                    workers=self.settings.queue.speech_workers,
                )
        except ModelLoadError as error:
            if self.ready:  # a server's choice, later: a failure at start is logged by _load
                log.error("%s", error.admin_message)
            raise
        finally:
            self._status = EngineStatus("ready") if self.ready else before

    async def listen(
        self,
        audio: bytes,
        filename: str | None = None,
        *,
        model: str | None = None,
        language: str | None = None,
        job_id: str | None = None,
    ) -> SpeechResult:
        """Decode ``audio`` and run Whisper (``model``, or the configured one) on it, in threads,
        in ``language`` when given (no detection), batched with the clips heard meanwhile
        (``job_id`` is unused here)."""
        decoded = await decode_audio_async(audio, self.settings.limits, filename=filename)
        return await self.hear(decoded.samples, model=model, language=language)

    async def hear(
        self, samples: np.ndarray, *, model: str | None = None, language: str | None = None
    ) -> SpeechResult:
        """Run Whisper on decoded 16 kHz audio, in threads (see :meth:`listen`)."""
        await self.wait_ready()
        async with self._recognizers.use_async(model or self.settings.speech.model) as recognizer:
            return await recognizer.recognize_async(samples, language)

    async def draw(
        self,
        options: GenerationOptions,
        on_step: StepCallback,
        should_stop: Callable[[], bool],
        *,
        variation: Variation | None = None,
        safety_check: bool = True,
        job_id: str | None = None,
        on_preview: PreviewCallback | None = None,
        preview_check: bool = False,
    ) -> list[GeneratedImage]:
        """Generate the images of one job on the image worker thread: ``options`` names the
        model, sampler, style and fast mode; ``variation`` draws from a picture (a variation,
        image prompt, upscale, zoom or pan: see :class:`Variation`; ``job_id`` is unused here);
        ``on_preview`` gets its live previews (checked first with ``preview_check``)."""
        await self.wait_ready()
        assert self.generator is not None, "image engine not loaded in this process"
        return await self.generator.generate_async(
            options,
            on_step=on_step,
            should_stop=should_stop,
            variation=variation,
            safety_check=safety_check,
            on_preview=on_preview,
            preview_check=preview_check,
        )

    def close(self) -> None:
        """Stop loading: a load in progress is let finish (a thread cannot be killed), so that
        nothing runs on while the interpreter exits."""
        self._loader.shutdown(wait=True, cancel_futures=True)
