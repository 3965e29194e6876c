"""Text to image with diffusers: one resident pipeline per process, reproducible seeds, progress.

Image ``i`` of a job is drawn from its own CPU ``torch.Generator`` seeded with ``seed + i``, so it
can be reproduced alone, on any device, whatever batch it was part of. A batch that runs out of
GPU memory is retried in halves.
"""

from __future__ import annotations

import asyncio
import functools
import io
import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import torch
from diffusers import AutoPipelineForText2Image, DiffusionPipeline
from huggingface_hub.utils import are_progress_bars_disabled, enable_progress_bars
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from bot.config import ImageSettings
from bot.errors import UserFacingError
from bot.options import GenerationOptions
from bot.results import GeneratedImage, StepCallback

log = logging.getLogger(__name__)

PNG_PARAMETERS_KEY = "parameters"


class JobCancelled(Exception):
    """``should_stop()`` turned true while the job was running."""


class ImageGenerator:
    """Loads a diffusers text-to-image pipeline once and draws images with it.

    ``generate`` is blocking and serialised by a lock (pipelines are not thread-safe);
    ``generate_async`` runs it on this generator's own worker thread.
    """

    def __init__(self, settings: ImageSettings) -> None:
        self.settings = settings
        self._model_name = settings.display_name
        self.device, self.dtype = resolve_device(settings)
        self.pipeline = load_pipeline(settings, self.device, self.dtype)
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="imaging")

    @property
    def model_name(self) -> str:
        """The model id, or only the folder name of a local model (no server paths in PNGs)."""
        return self._model_name

    def generate(
        self,
        options: GenerationOptions,
        on_step: StepCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> list[GeneratedImage]:
        """Draw ``options.count`` images; blocking.

        ``on_step(done, total)`` counts denoising steps times images over the whole job, so it
        goes on rising across sub-batches (after an out-of-memory retry it restarts from the
        retried sub-batch). Raises :class:`JobCancelled` once ``should_stop()`` is true, and
        :class:`UserFacingError` when even one image does not fit in GPU memory.
        """
        with self._lock:
            images: list[GeneratedImage] = []
            batch_size = options.count
            while len(images) < options.count:
                first = len(images)
                size = min(batch_size, options.count - first)
                step_end = _StepEnd(first, size, options.count, on_step, should_stop)
                try:
                    images += self._run_batch(options, first, size, step_end)
                    continue
                except torch.cuda.OutOfMemoryError:
                    pass  # recover below: until `except` ends, its traceback pins the tensors
                torch.cuda.empty_cache()
                if size == 1:
                    raise UserFacingError(
                        f"Not enough GPU memory for {options.count} images at "
                        f"{options.width}x{options.height}; try fewer or smaller.",
                        kind="out_of_memory",
                    )
                batch_size = size // 2
                log.warning("Out of GPU memory with %d images; retrying %d", size, batch_size)
            return images

    async def generate_async(
        self,
        options: GenerationOptions,
        on_step: StepCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> list[GeneratedImage]:
        """``generate`` on this generator's worker thread; callbacks run on that thread."""
        loop = asyncio.get_running_loop()
        call = functools.partial(self.generate, options, on_step, should_stop)
        return await loop.run_in_executor(self._executor, call)

    def close(self) -> None:
        """Stop the worker thread (after the job it is running, if any)."""
        self._executor.shutdown(wait=True)

    def _run_batch(
        self, options: GenerationOptions, first: int, size: int, step_end: _StepEnd
    ) -> list[GeneratedImage]:
        """One pipeline call for images ``first`` … ``first + size - 1`` of the job."""
        seeds = [options.seed + first + i for i in range(size)]
        output = self.pipeline(
            prompt=options.prompt,
            negative_prompt=options.negative_prompt or None,
            num_images_per_prompt=size,
            num_inference_steps=options.steps,
            guidance_scale=options.guidance,
            width=options.width,
            height=options.height,
            generator=[torch.Generator("cpu").manual_seed(seed) for seed in seeds],
            callback_on_step_end=step_end,
            output_type="pil",
        )
        nsfw = getattr(output, "nsfw_content_detected", None) or [False] * size
        return [
            GeneratedImage(
                png=encode_png(image, self._parameters(options, first + i)),
                index=first + i,
                seed=seeds[i],
                nsfw=bool(flagged),
            )
            for i, (image, flagged) in enumerate(zip(output.images, nsfw, strict=True))
        ]

    def _parameters(self, options: GenerationOptions, index: int) -> dict[str, Any]:
        return {
            "prompt": options.prompt,
            "negative_prompt": options.negative_prompt,
            "seed": options.seed + index,
            "guidance": options.guidance,
            "steps": options.steps,
            "width": options.width,
            "height": options.height,
            "model": self.model_name,
            "index": index,
        }


@dataclass(frozen=True)
class _StepEnd:
    """``callback_on_step_end`` for one sub-batch: reports job-wide progress, honours stop."""

    first: int
    size: int
    count: int
    on_step: StepCallback | None
    should_stop: Callable[[], bool] | None

    def __call__(
        self, pipeline: DiffusionPipeline, step: int, timestep: Any, kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        if self.should_stop is not None and self.should_stop():
            pipeline._interrupt = True  # diffusers' stop flag; raising also skips the VAE decode
            raise JobCancelled
        if self.on_step is not None:
            steps = pipeline.num_timesteps
            self.on_step(self.first * steps + self.size * (step + 1), self.count * steps)
        return {}


def resolve_device(settings: ImageSettings) -> tuple[str, torch.dtype]:
    """``auto``: CUDA with float16 when a GPU is present, else CPU with float32."""
    device = settings.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if settings.dtype == "auto":
        return device, torch.float16 if device == "cuda" else torch.float32
    return device, getattr(torch, settings.dtype)


def load_pipeline(settings: ImageSettings, device: str, dtype: torch.dtype) -> DiffusionPipeline:
    """Load (downloading with a progress bar if needed) and place the pipeline."""
    if are_progress_bars_disabled():
        enable_progress_bars()  # warns instead when HF_HUB_DISABLE_PROGRESS_BARS=1 is set
    extra: dict[str, Any] = {}
    if not settings.safety_checker:
        extra = {"safety_checker": None, "requires_safety_checker": False}
    log.info("Loading %s (%s, %s)", settings.model, device, dtype)
    pipeline = AutoPipelineForText2Image.from_pretrained(
        settings.model,
        dtype=dtype,
        variant=settings.variant,
        cache_dir=settings.cache_dir,
        local_files_only=settings.local_files_only,
        **extra,
    ).to(device)
    if settings.vae_slicing:
        pipeline.vae.enable_slicing()
    if settings.attention_slicing:
        pipeline.enable_attention_slicing()
    pipeline.set_progress_bar_config(disable=True)  # progress goes to the step callback
    return pipeline


def encode_png(image: Image.Image, parameters: dict[str, Any]) -> bytes:
    """PNG bytes with ``parameters`` as JSON in a ``parameters`` text chunk."""
    info = PngInfo()
    info.add_text(PNG_PARAMETERS_KEY, json.dumps(parameters))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def read_png_parameters(png: bytes) -> dict[str, Any]:
    """The parameters stored by :func:`encode_png`; empty for a PNG without them."""
    with Image.open(io.BytesIO(png)) as image:
        text = getattr(image, "text", {}).get(PNG_PARAMETERS_KEY)
    return json.loads(text) if text else {}
