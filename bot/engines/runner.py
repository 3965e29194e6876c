"""The speech and image engines of one process: loaded once (with visible download progress),
then shared by the job queue and the local ``imagine`` command.

This module is the queue's :class:`bot.queue.protocols.StageRunner`: ``listen`` (decode + Whisper, CPU threads)
and ``draw`` (diffusers, one worker thread per device). Nothing here knows about Discord.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from bot.config import Settings
from bot.domain.options import GenerationOptions, Variation
from bot.domain.results import GeneratedImage, SpeechResult, StepCallback
from bot.engines.audio import decode_audio_async

if TYPE_CHECKING:
    from bot.engines.imaging import ImageGenerator
    from bot.engines.speech import Recognizer

log = logging.getLogger(__name__)


class Engines:
    """Whisper and Stable Diffusion, loaded in the background once; ``ready`` when both are up."""

    def __init__(self, settings: Settings, *, speech: bool = True, images: bool = True) -> None:
        self.settings = settings
        self.generator: ImageGenerator | None = None
        self.status = "starting"
        self._wanted = (speech, images)
        self._loading: Future[None] | None = None
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="model-loader")
        self._recognizers: OrderedDict[str, Recognizer] = OrderedDict()
        self._recognizers_lock = threading.Lock()
        self._model_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)

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

    def _load(self) -> None:
        speech, images = self._wanted
        started = time.perf_counter()
        try:
            if speech:
                self.recognizer_for(None)
            if images:
                from bot.engines.imaging import ImageGenerator

                self.status = f"loading image model {self.settings.image.model}"
                self.generator = ImageGenerator(
                    self.settings.image, self.settings.limits, on_status=self._image_status
                )
        except Exception as error:
            self.status = f"failed to load the models ({type(error).__name__}: {error})"
            log.exception("loading the models failed")
            raise
        self.status = "ready"
        log.info("models ready in %.1f s", time.perf_counter() - started)

    def _image_status(self, status: str | None) -> None:
        """An image model warming up (first use of a model), or done: back to ``ready``."""
        self.status = status or ("ready" if self.ready else self.status)

    @property
    def image_models(self) -> list[str]:
        """The image models loaded now, least recently used first."""
        return self.generator.models.resident if self.generator else []

    @property
    def speech_models(self) -> list[str]:
        """The Whisper models loaded now, least recently used first."""
        return list(self._recognizers)

    def recognizer_for(self, model: str | None) -> Recognizer:
        """The resident recognizer for ``model`` (None: the configured one), loaded on first use.
        At most ``speech.max_resident_models`` stay loaded; the least recently used leaves.
        Blocking: call it from a thread."""
        speech = self.settings.speech
        name = model or speech.model
        with self._recognizers_lock:
            if name in self._recognizers:
                self._recognizers.move_to_end(name)
                return self._recognizers[name]
        with self._model_locks[name]:  # one load per model, even when asked twice at once
            if name not in self._recognizers:
                from bot.engines.speech import load_recognizer

                self.status = f"loading Whisper {name}"
                source = speech.choices.get(name, name)
                recognizer = load_recognizer(
                    speech.model_copy(update={"model": source}),
                    workers=self.settings.queue.speech_workers,
                )
                with self._recognizers_lock:
                    self._recognizers[name] = recognizer
                    while len(self._recognizers) > speech.max_resident_models:
                        evicted, _ = self._recognizers.popitem(last=False)
                        log.info(
                            "unloaded Whisper %s (at most %d resident)",
                            evicted,
                            speech.max_resident_models,
                        )
                self.status = "ready" if self.ready else self.status
            return self._recognizers[name]

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
        recognizer = await asyncio.to_thread(self.recognizer_for, model)
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
    ) -> list[GeneratedImage]:
        """Generate the images of one job on the image worker thread: ``options`` names the
        model, sampler, style and fast mode; ``variation`` draws from a picture (a variation,
        image prompt, upscale, zoom or pan: see :class:`Variation`; ``job_id`` is unused here)."""
        await self.wait_ready()
        assert self.generator is not None, "image engine not loaded in this process"
        return await self.generator.generate_async(
            options,
            on_step=on_step,
            should_stop=should_stop,
            variation=variation,
            safety_check=safety_check,
        )

    def close(self) -> None:
        """Stop loading: a load in progress is let finish (a thread cannot be killed), so that
        nothing runs on while the interpreter exits."""
        self._loader.shutdown(wait=True, cancel_futures=True)
