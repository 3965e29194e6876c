"""Drawing with diffusers: text to image, variations and image prompts, upscales, zooms and pans,
on the resident models (``models.py``), with reproducible seeds.

Image ``i`` of a job is drawn from its own CPU ``torch.Generator`` seeded with ``seed + i``, so it
can be reproduced alone, on any device, whatever batch it was part of. A batch that runs out of
GPU memory is retried in halves. Drawing from a picture (``operations.py``) runs on pipelines made
from the model's with ``from_pipe``: the same modules, so no second copy of the weights.

Cross-request batching: ``generate_async`` calls wait in a list; the worker thread, when free,
takes the oldest with every waiting text-to-image job that has the same batch key (model, sampler,
style, fast mode, size, steps, guidance, safety switch, whether a negative prompt is given), up to ``batch_jobs`` jobs and
``max_batch_images`` images, and draws them in one pipeline call with a prompt, a negative prompt
and a generator per image. Each image is the one its job draws alone, up to float rounding that
depends on the batch size (at most ±1 on under 0.1 % of the pixel values, as for a job split in
parts).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import torch
from diffusers import DiffusionPipeline

from bot.config import ImageSettings, Limits
from bot.domain.options import GenerationOptions, Variation
from bot.domain.results import GeneratedImage, PreviewCallback, StepCallback
from bot.engines.batches import (
    Job,
    JobCancelled,
    Request,
    Slice,
    StepEnd,
    next_part,
    out_of_memory,
    safety_checker_off,
    vae_tiling,
)
from bot.engines.models import ModelPool
from bot.engines.operations import build_request
from bot.engines.pipelines import encode_png, resolve_device
from bot.engines.previews import Previews

log = logging.getLogger(__name__)

GATHER_SECONDS = 0.02
"""How long the free worker waits for more matching jobs before drawing a batch that is not full:
jobs the queue hands over together arrive a few milliseconds apart."""


class ImageGenerator:
    """Loads the default model at once (the others on first use) and draws with them.

    Every drawing runs on this generator's one worker thread (pipelines are not thread-safe, and
    on a CPU two threads' OpenMP teams slow each other). ``generate`` waits for it, blocking;
    ``generate_async`` awaits it, and the worker draws waiting jobs that match in one batch.
    """

    def __init__(
        self,
        settings: ImageSettings,
        limits: Limits | None = None,
        on_status: Callable[[str | None], None] | None = None,
    ) -> None:
        """``limits`` bound upscales, zooms and handed-in pictures; ``on_status`` hears
        "warming up image model …" while a model loads, then None."""
        self.settings = settings
        self.limits = limits or Limits()
        self.model_name = settings.default_model_name
        """The default model's name (a local model's folder name: no server paths in PNGs)."""
        self.device, _ = resolve_device(settings)
        self.batch_jobs = settings.jobs_per_batch(self.device)
        """The most jobs drawn together in one pipeline call."""
        self.models = ModelPool(settings, self.device, on_status)
        self.models.get(self.model_name)
        self._waiting: list[Job] = []
        """``generate_async`` jobs not taken by the worker yet, oldest first."""
        self._arrived = threading.Condition()
        """Guards ``_waiting``; notified when a job joins it."""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="imaging")

    @property
    def pipeline(self) -> DiffusionPipeline:
        """The default model's text-to-image pipeline (loaded again if it was evicted)."""
        return self.models.get(self.model_name).pipeline

    @property
    def img2img_pipeline(self) -> DiffusionPipeline:
        """The default model's image-to-image pipeline: the same modules."""
        return self.models.get(self.model_name).img2img

    def generate(
        self,
        options: GenerationOptions,
        on_step: StepCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
        *,
        variation: Variation | None = None,
        safety_check: bool = True,
        on_preview: PreviewCallback | None = None,
        preview_check: bool = False,
    ) -> list[GeneratedImage]:
        """Draw ``options.count`` images, from ``variation``'s picture if given (a variation,
        image prompt, upscale, zoom or pan: see :class:`Variation`), with ``options.model``, on
        the worker thread (not batched with other jobs); blocking.

        ``on_step(done, total)`` counts denoising steps times images over the whole job, so it
        goes on rising across sub-batches (after an out-of-memory retry it restarts from the
        retried sub-batch); a variation runs about ``steps * strength`` steps. Without
        ``safety_check`` the model's safety checker is skipped for this call only.
        ``on_preview(jpeg)`` gets live previews every ``image.preview_seconds`` (each first
        passing the safety checker with ``preview_check``: ``bot/engines/previews.py``). Raises
        :class:`JobCancelled` once ``should_stop()`` is true, and :class:`UserFacingError` when
        even one image does not fit in GPU memory.
        """
        job = self._named(
            Job(options, on_step, should_stop, variation, safety_check, on_preview, preview_check)
        )
        self._executor.submit(self._draw, [job])
        return job.future.result()

    async def generate_async(
        self,
        options: GenerationOptions,
        on_step: StepCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
        *,
        variation: Variation | None = None,
        safety_check: bool = True,
        on_preview: PreviewCallback | None = None,
        preview_check: bool = False,
    ) -> list[GeneratedImage]:
        """``generate`` on this generator's worker thread, in one batch with the waiting jobs it
        matches; callbacks run on that thread. A job stopped while others in its batch go on has
        its images dropped and raises :class:`JobCancelled` when the batch ends."""
        job = self._named(
            Job(options, on_step, should_stop, variation, safety_check, on_preview, preview_check)
        )
        with self._arrived:
            self._waiting.append(job)
            self._arrived.notify()
        self._executor.submit(self._draw_next)
        return await asyncio.wrap_future(job.future)

    def _named(self, job: Job) -> Job:
        """``job`` naming its model (the default one when it names none), so that batches match."""
        if not job.options.model:
            job.options = job.options.with_changes(model=self.model_name)
        return job

    def close(self) -> None:
        """Stop the worker thread (after the jobs handed to it)."""
        self._executor.shutdown(wait=True)

    def _draw_next(self) -> None:
        """On the worker thread: draw the oldest waiting job with those it can share a batch
        with (nothing when an earlier call took them all)."""
        batch = self._take_batch()
        if batch:
            self._draw(batch)

    def _take_batch(self) -> list[Job]:
        """Take the oldest waiting job and the matching ones, giving a batch that is not full
        ``GATHER_SECONDS`` for more to arrive."""
        deadline = time.monotonic() + GATHER_SECONDS
        with self._arrived:
            while True:
                self._waiting = [job for job in self._waiting if not job.future.cancelled()]
                batch = self._batch_of(self._waiting)
                left = deadline - time.monotonic()
                if not batch or self._full(batch) or left <= 0:
                    break
                self._arrived.wait(left)
            for job in batch:
                self._waiting.remove(job)
        return [job for job in batch if job.future.set_running_or_notify_cancel()]

    def _batch_of(self, waiting: list[Job]) -> list[Job]:
        """The first job with the later ones that match it, within the batch limits."""
        if not waiting:
            return []
        first, *others = waiting
        batch = [first]
        if first.batch_key is None:
            return batch
        images = first.options.count
        for job in others:
            if len(batch) == self.batch_jobs:
                break
            fits = images + job.options.count <= self.settings.max_batch_images
            if job.batch_key == first.batch_key and fits:
                batch.append(job)
                images += job.options.count
        return batch

    def _full(self, batch: list[Job]) -> bool:
        images = sum(job.options.count for job in batch)
        return (
            batch[0].batch_key is None
            or len(batch) >= self.batch_jobs
            or images >= self.settings.max_batch_images
        )

    def _draw(self, jobs: list[Job]) -> None:
        """On the worker thread: draw ``jobs`` (one, or text-to-image jobs with one batch key)
        together, and settle each one's future."""
        requests = []
        for job in jobs:
            try:
                requests.append(build_request(job, self.models, self.settings, self.limits))
            except Exception as error:  # a UserFacingError, or a bug: never leave a future unset
                job.future.set_exception(error)
        if not requests:
            return
        try:
            first = requests[0]
            off = not first.job.safety_check
            with safety_checker_off(first.pipeline, off), vae_tiling(first.pipeline, first.tiled):
                self._run_job(requests)
        except Exception as error:  # the pipeline failed: every job in the batch fails with it
            for request in requests:
                request.job.future.set_exception(error)
            return
        for request in requests:
            request.settle()

    def _run_job(self, requests: list[Request]) -> None:
        """All images of ``requests`` (one job, or a batch of matching ones), in pipeline calls of
        at most ``max_batch_images`` that halve when GPU memory runs out. A stopped job leaves;
        the call is interrupted only when every job in it is stopped."""
        batch_size = self.settings.max_batch_images
        previews = self._previews(requests)
        while True:
            for request in requests:
                request.check_stop()
            part = next_part(requests, batch_size)
            if not part:
                return
            try:
                self._run_batch(part, StepEnd(part, previews))
                continue
            except JobCancelled:
                continue  # every job in the part stopped; the others go on
            except torch.cuda.OutOfMemoryError:
                pass  # recover below: until `except` ends, its traceback pins the tensors
            torch.cuda.empty_cache()
            size = sum(piece.size for piece in part)
            if size == 1:
                for request in requests:
                    if request.left:
                        request.error = out_of_memory(request.options)
                return
            batch_size = size // 2
            log.warning("Out of GPU memory with %d images; retrying %d", size, batch_size)

    def _previews(self, requests: list[Request]) -> Previews | None:
        """The live previews of a batch; None when no job in it wants them."""
        interval = self.settings.preview_seconds
        if interval <= 0 or not any(request.wants_preview for request in requests):
            return None
        return Previews(requests[0].model.decoder, interval)

    def _run_batch(self, part: list[Slice], step_end: StepEnd) -> None:
        """One pipeline call for the images in ``part``; each is added to its job's images
        (unless the job was stopped meanwhile)."""
        request = part[0].request  # the pipeline, guidance, steps and inputs of all of them
        options = request.options
        images = [(piece.request, piece.first + i) for piece in part for i in range(piece.size)]
        request.model.prepare(request.pipeline, request.sampler, options.style, options.fast)
        negative = [r.options.negative_prompt for r, _ in images]
        output = request.pipeline(
            prompt=[r.options.prompt for r, _ in images],
            negative_prompt=negative if any(negative) else None,  # SDXL: None means zeros
            num_images_per_prompt=1,
            num_inference_steps=options.steps,
            guidance_scale=options.guidance_of(part[0].first),  # one guidance: see next_part
            generator=[torch.Generator("cpu").manual_seed(r.options.seed + i) for r, i in images],
            callback_on_step_end=step_end,
            output_type="pil",
            **request.call_inputs(len(images), negative=any(negative)),
        )
        nsfw = getattr(output, "nsfw_content_detected", None) or [False] * len(images)
        for (owner, index), image, flagged in zip(images, output.images, nsfw, strict=True):
            if owner.stopped:
                continue  # stopped while the others in the call went on: dropped
            parameters = self._parameters(owner.options, index) | owner.parameters
            if owner.finish is not None:
                image = owner.finish(image)
            owner.images.append(
                GeneratedImage(
                    png=encode_png(image, parameters),
                    index=index,
                    seed=owner.options.seed + index,
                    nsfw=bool(flagged),
                )
            )

    def _parameters(self, options: GenerationOptions, index: int) -> dict[str, Any]:
        return {
            "prompt": options.prompt,
            "negative_prompt": options.negative_prompt,
            "seed": options.seed + index,
            "guidance": options.guidance_of(index),
            "steps": options.steps,
            "width": options.width,
            "height": options.height,
            "index": index,
        } | ({"chaos": options.chaos} if options.chaos else {})
