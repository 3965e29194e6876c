"""The speech and image engines of one process: loaded once (with visible download progress),
then shared by the job queue and the local ``imagine`` command.

This module is the queue's :class:`bot.jobs.StageRunner`: ``listen`` (decode + Whisper, CPU threads)
and ``draw`` (diffusers, one worker thread per device). Nothing here knows about Discord.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from bot.audio import decode_audio_async
from bot.config import Settings, SpeechSettings
from bot.options import GenerationOptions, Variation
from bot.results import GeneratedImage, SpeechResult, StepCallback

if TYPE_CHECKING:
    from bot.imaging import ImageGenerator
    from bot.speech import Recognizer

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

    faster-whisper downloads silently; on a first start that is several GB, so we fetch it here
    with huggingface_hub's console progress bars. Local paths and openai-whisper are passed through.
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


class Engines:
    """Whisper and Stable Diffusion, loaded in the background once; ``ready`` when both are up."""

    def __init__(self, settings: Settings, *, speech: bool = True, images: bool = True) -> None:
        self.settings = settings
        self.recognizer: Recognizer | None = None
        self.generator: ImageGenerator | None = None
        self.status = "starting"
        self._wanted = (speech, images)
        self._loading: Future[None] | None = None
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="model-loader")

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
        if speech:
            from bot.speech import load_recognizer

            self.status = f"loading Whisper {self.settings.speech.model}"
            self.recognizer = load_recognizer(self._local_speech_settings())
        if images:
            from bot.imaging import ImageGenerator

            self.status = f"loading image model {self.settings.image.model}"
            self.generator = ImageGenerator(self.settings.image)
        self.status = "ready"
        log.info("models ready in %.1f s", time.perf_counter() - started)

    def _local_speech_settings(self) -> SpeechSettings:
        speech = self.settings.speech
        return speech.model_copy(update={"model": fetch_whisper_model(speech, speech.model)})

    async def listen(self, audio: bytes, filename: str | None = None) -> SpeechResult:
        """Decode ``audio`` and run Whisper on it (in threads)."""
        decoded = await decode_audio_async(audio, self.settings.limits, filename=filename)
        await self.wait_ready()
        assert self.recognizer is not None, "speech engine not loaded in this process"
        return await self.recognizer.recognize_async(decoded.samples)

    async def draw(
        self,
        options: GenerationOptions,
        on_step: StepCallback,
        should_stop: Callable[[], bool],
        *,
        variation: Variation | None = None,
        safety_check: bool = True,
    ) -> list[GeneratedImage]:
        """Generate the images of one job on the image worker thread."""
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
        self._loader.shutdown(wait=False, cancel_futures=True)
