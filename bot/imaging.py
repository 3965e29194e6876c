"""Text to image and variations with diffusers: one resident model per process, reproducible seeds.

Image ``i`` of a job is drawn from its own CPU ``torch.Generator`` seeded with ``seed + i``, so it
can be reproduced alone, on any device, whatever batch it was part of. A batch that runs out of
GPU memory is retried in halves. Variations (image to image) run on a second pipeline made from
the first with ``from_pipe``: the same modules, so no second copy of the weights.
"""

from __future__ import annotations

import asyncio
import functools
import io
import json
import logging
import math
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import torch
from diffusers import AutoPipelineForImage2Image, AutoPipelineForText2Image, DiffusionPipeline
from huggingface_hub.utils import are_progress_bars_disabled, enable_progress_bars
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from bot.config import ImageSettings
from bot.errors import UserFacingError
from bot.options import GenerationOptions, Variation
from bot.results import GeneratedImage, StepCallback

log = logging.getLogger(__name__)

PNG_PARAMETERS_KEY = "parameters"


class JobCancelled(Exception):
    """``should_stop()`` turned true while the job was running."""


class ImageGenerator:
    """Loads a diffusers text-to-image pipeline once and draws images and variations with it.

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

    @functools.cached_property
    def img2img_pipeline(self) -> DiffusionPipeline:
        """The image-to-image pipeline, made on first use from the resident one: same modules."""
        pipeline = AutoPipelineForImage2Image.from_pipe(self.pipeline)
        pipeline.set_progress_bar_config(disable=True)
        return pipeline

    def generate(
        self,
        options: GenerationOptions,
        on_step: StepCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
        *,
        variation: Variation | None = None,
        safety_check: bool = True,
    ) -> list[GeneratedImage]:
        """Draw ``options.count`` images, from ``variation``'s picture if given; blocking.

        ``on_step(done, total)`` counts denoising steps times images over the whole job, so it
        goes on rising across sub-batches (after an out-of-memory retry it restarts from the
        retried sub-batch); a variation runs about ``steps * strength`` steps. Without
        ``safety_check`` the model's safety checker is skipped for this call only. Raises
        :class:`JobCancelled` once ``should_stop()`` is true, and :class:`UserFacingError` when
        even one image does not fit in GPU memory.
        """
        with self._lock:
            request = self._request(options, variation)
            with _safety_checker_off(request.pipeline, not safety_check):
                return self._run_job(request, on_step, should_stop)

    async def generate_async(
        self,
        options: GenerationOptions,
        on_step: StepCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
        *,
        variation: Variation | None = None,
        safety_check: bool = True,
    ) -> list[GeneratedImage]:
        """``generate`` on this generator's worker thread; callbacks run on that thread."""
        loop = asyncio.get_running_loop()
        call = functools.partial(
            self.generate,
            options,
            on_step,
            should_stop,
            variation=variation,
            safety_check=safety_check,
        )
        return await loop.run_in_executor(self._executor, call)

    def close(self) -> None:
        """Stop the worker thread (after the job it is running, if any)."""
        self._executor.shutdown(wait=True)

    def _request(self, options: GenerationOptions, variation: Variation | None) -> _Request:
        """Pick the pipeline and the call arguments that differ between the two kinds of job."""
        if variation is None:
            inputs = {"width": options.width, "height": options.height}
            return _Request(options, self.pipeline, inputs)
        if int(options.steps * variation.strength) < 1:
            raise UserFacingError(
                f"A variation at strength {variation.strength:g} needs at least "
                f"{math.ceil(1 / variation.strength)} steps (got {options.steps})."
            )
        inputs = {
            "image": decode_init_image(variation.image, options),
            "strength": variation.strength,
        }
        extra = {"variation_of": variation.source, "strength": variation.strength}
        return _Request(options, self.img2img_pipeline, inputs, extra)

    def _run_job(
        self,
        request: _Request,
        on_step: StepCallback | None,
        should_stop: Callable[[], bool] | None,
    ) -> list[GeneratedImage]:
        """All images of one job, in batches that halve when GPU memory runs out."""
        options = request.options
        images: list[GeneratedImage] = []
        batch_size = options.count
        while len(images) < options.count:
            first = len(images)
            size = min(batch_size, options.count - first)
            step_end = _StepEnd(first, size, options.count, on_step, should_stop)
            try:
                images += self._run_batch(request, first, size, step_end)
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

    def _run_batch(
        self, request: _Request, first: int, size: int, step_end: _StepEnd
    ) -> list[GeneratedImage]:
        """One pipeline call for images ``first`` … ``first + size - 1`` of the job."""
        options = request.options
        seeds = [options.seed + first + i for i in range(size)]
        output = request.pipeline(
            prompt=options.prompt,
            negative_prompt=options.negative_prompt or None,
            num_images_per_prompt=size,
            num_inference_steps=options.steps,
            guidance_scale=options.guidance,
            generator=[torch.Generator("cpu").manual_seed(seed) for seed in seeds],
            callback_on_step_end=step_end,
            output_type="pil",
            **request.inputs,
        )
        nsfw = getattr(output, "nsfw_content_detected", None) or [False] * size
        return [
            GeneratedImage(
                png=encode_png(image, self._parameters(options, first + i) | request.parameters),
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
class _Request:
    """One job as the batch runner sees it: the pipeline to call and what sets its calls apart."""

    options: GenerationOptions
    pipeline: DiffusionPipeline
    inputs: dict[str, Any]
    """``width``/``height`` for text to image; ``image``/``strength`` for a variation."""
    parameters: dict[str, Any] = field(default_factory=dict)
    """Added to the PNG chunk: what the variation came from, and its strength."""


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


def decode_init_image(png: bytes, options: GenerationOptions) -> Image.Image:
    """A variation's picture as RGB at the job's size."""
    try:
        with Image.open(io.BytesIO(png)) as opened:
            image = opened.convert("RGB")
    except OSError as error:  # PIL's UnidentifiedImageError included
        raise UserFacingError("The picture to vary could not be read.") from error
    size = (options.width, options.height)
    return image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)


@contextmanager
def _safety_checker_off(pipeline: DiffusionPipeline, off: bool) -> Iterator[None]:
    """Take the safety checker out of ``pipeline`` while the block runs (when ``off``)."""
    checker = getattr(pipeline, "safety_checker", None)
    if not off or checker is None:  # SDXL pipelines have no checker at all
        yield
        return
    pipeline.safety_checker = None
    try:
        yield
    finally:
        pipeline.safety_checker = checker


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
