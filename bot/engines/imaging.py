"""Text to image and variations with diffusers: one resident model per process, reproducible seeds.

Image ``i`` of a job is drawn from its own CPU ``torch.Generator`` seeded with ``seed + i``, so it
can be reproduced alone, on any device, whatever batch it was part of. A batch that runs out of
GPU memory is retried in halves. Variations (image to image) run on a second pipeline made from
the first with ``from_pipe``: the same modules, so no second copy of the weights.

Cross-request batching: ``generate_async`` calls wait in a list; the worker thread, when free,
takes the oldest with every waiting text-to-image job that has the same batch key (size, steps,
guidance, safety switch, whether a negative prompt is given), up to ``batch_jobs`` jobs and
``max_batch_images`` images, and draws them in one pipeline call with a prompt, a negative prompt
and a generator per image. Each image is the one its job draws alone, up to float rounding that
depends on the batch size (at most ±1 on under 0.1 % of the pixel values, as for a job split in
parts).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import torch
from diffusers import AutoPipelineForImage2Image, DiffusionPipeline

from bot.config import ImageSettings
from bot.domain.errors import UserFacingError
from bot.domain.options import GenerationOptions, Variation
from bot.domain.results import GeneratedImage, StepCallback
from bot.engines.pipelines import decode_init_image, encode_png, load_pipeline, resolve_device

log = logging.getLogger(__name__)

GATHER_SECONDS = 0.02
"""How long the free worker waits for more matching jobs before drawing a batch that is not full:
jobs the queue hands over together arrive a few milliseconds apart."""


class JobCancelled(Exception):
    """``should_stop()`` turned true while the job was running."""


class ImageGenerator:
    """Loads a diffusers text-to-image pipeline once and draws images and variations with it.

    Every drawing runs on this generator's one worker thread (pipelines are not thread-safe, and
    on a CPU two threads' OpenMP teams slow each other). ``generate`` waits for it, blocking;
    ``generate_async`` awaits it, and the worker draws waiting jobs that match in one batch.
    """

    def __init__(self, settings: ImageSettings) -> None:
        self.settings = settings
        self.model_name = settings.display_name
        """The model id, or only the folder name of a local model (no server paths in PNGs)."""
        self.device, self.dtype = resolve_device(settings)
        self.batch_jobs = settings.jobs_per_batch(self.device)
        """The most jobs drawn together in one pipeline call."""
        self.pipeline = load_pipeline(settings, self.device, self.dtype)
        self._waiting: list[_Job] = []
        """``generate_async`` jobs not taken by the worker yet, oldest first."""
        self._arrived = threading.Condition()
        """Guards ``_waiting``; notified when a job joins it."""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="imaging")

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
        """Draw ``options.count`` images, from ``variation``'s picture if given, on the worker
        thread (not batched with other jobs); blocking.

        ``on_step(done, total)`` counts denoising steps times images over the whole job, so it
        goes on rising across sub-batches (after an out-of-memory retry it restarts from the
        retried sub-batch); a variation runs about ``steps * strength`` steps. Without
        ``safety_check`` the model's safety checker is skipped for this call only. Raises
        :class:`JobCancelled` once ``should_stop()`` is true, and :class:`UserFacingError` when
        even one image does not fit in GPU memory.
        """
        job = _Job(options, on_step, should_stop, variation, safety_check)
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
    ) -> list[GeneratedImage]:
        """``generate`` on this generator's worker thread, in one batch with the waiting jobs it
        matches; callbacks run on that thread. A job stopped while others in its batch go on has
        its images dropped and raises :class:`JobCancelled` when the batch ends."""
        job = _Job(options, on_step, should_stop, variation, safety_check)
        with self._arrived:
            self._waiting.append(job)
            self._arrived.notify()
        self._executor.submit(self._draw_next)
        return await asyncio.wrap_future(job.future)

    def close(self) -> None:
        """Stop the worker thread (after the jobs handed to it)."""
        self._executor.shutdown(wait=True)

    def _draw_next(self) -> None:
        """On the worker thread: draw the oldest waiting job with those it can share a batch
        with (nothing when an earlier call took them all)."""
        batch = self._take_batch()
        if batch:
            self._draw(batch)

    def _take_batch(self) -> list[_Job]:
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

    def _batch_of(self, waiting: list[_Job]) -> list[_Job]:
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

    def _full(self, batch: list[_Job]) -> bool:
        images = sum(job.options.count for job in batch)
        return (
            batch[0].batch_key is None
            or len(batch) >= self.batch_jobs
            or images >= self.settings.max_batch_images
        )

    def _draw(self, jobs: list[_Job]) -> None:
        """On the worker thread: draw ``jobs`` (one, or text-to-image jobs with one batch key)
        together, and settle each one's future."""
        requests = []
        for job in jobs:
            try:
                requests.append(self._request(job))
            except Exception as error:  # a UserFacingError, or a bug: never leave a future unset
                job.future.set_exception(error)
        if not requests:
            return
        try:
            first = requests[0]
            with _safety_checker_off(first.pipeline, not first.job.safety_check):
                self._run_job(requests)
        except Exception as error:  # the pipeline failed: every job in the batch fails with it
            for request in requests:
                request.job.future.set_exception(error)
            return
        for request in requests:
            request.settle()

    def _request(self, job: _Job) -> _Request:
        """Pick the pipeline and the call arguments that differ between the two kinds of job."""
        options, variation = job.options, job.variation
        if variation is None:
            inputs = {"width": options.width, "height": options.height}
            return _Request(job, self.pipeline, inputs)
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
        return _Request(job, self.img2img_pipeline, inputs, extra)

    def _run_job(self, requests: list[_Request]) -> None:
        """All images of ``requests`` (one job, or a batch of matching ones), in pipeline calls of
        at most ``max_batch_images`` that halve when GPU memory runs out. A stopped job leaves;
        the call is interrupted only when every job in it is stopped."""
        batch_size = self.settings.max_batch_images
        while True:
            for request in requests:
                request.check_stop()
            part = _next_part(requests, batch_size)
            if not part:
                return
            try:
                self._run_batch(part, _StepEnd(part))
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
                        request.error = _out_of_memory(request.options)
                return
            batch_size = size // 2
            log.warning("Out of GPU memory with %d images; retrying %d", size, batch_size)

    def _run_batch(self, part: list[_Slice], step_end: _StepEnd) -> None:
        """One pipeline call for the images in ``part``; each is added to its job's images
        (unless the job was stopped meanwhile)."""
        request = part[0].request  # the pipeline, guidance, steps and inputs of all of them
        options = request.options
        images = [(piece.request, piece.first + i) for piece in part for i in range(piece.size)]
        negative = [r.options.negative_prompt for r, _ in images]
        output = request.pipeline(
            prompt=[r.options.prompt for r, _ in images],
            negative_prompt=negative if any(negative) else None,  # SDXL: None means zeros
            num_images_per_prompt=1,
            num_inference_steps=options.steps,
            guidance_scale=options.guidance,
            generator=[torch.Generator("cpu").manual_seed(r.options.seed + i) for r, i in images],
            callback_on_step_end=step_end,
            output_type="pil",
            **request.inputs,
        )
        nsfw = getattr(output, "nsfw_content_detected", None) or [False] * len(images)
        for (owner, index), image, flagged in zip(images, output.images, nsfw, strict=True):
            if owner.stopped:
                continue  # stopped while the others in the call went on: dropped
            parameters = self._parameters(owner.options, index) | owner.parameters
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
            "guidance": options.guidance,
            "steps": options.steps,
            "width": options.width,
            "height": options.height,
            "model": self.model_name,
            "index": index,
        }


@dataclass(eq=False)
class _Job:
    """One call: what was asked, and the future that gets its images or its error."""

    options: GenerationOptions
    on_step: StepCallback | None
    should_stop: Callable[[], bool] | None
    variation: Variation | None
    safety_check: bool
    future: Future[list[GeneratedImage]] = field(default_factory=Future)

    @property
    def batch_key(self) -> tuple[object, ...] | None:
        """Jobs with equal keys may share a pipeline call; None: a variation, drawn alone."""
        if self.variation is not None:
            return None
        o = self.options
        return (o.width, o.height, o.steps, o.guidance, self.safety_check, bool(o.negative_prompt))


@dataclass(eq=False)
class _Request:
    """One job as the batch runner sees it: the pipeline to call, what sets its calls apart, and
    how far it got."""

    job: _Job
    pipeline: DiffusionPipeline
    inputs: dict[str, Any]
    """``width``/``height`` for text to image; ``image``/``strength`` for a variation."""
    parameters: dict[str, Any] = field(default_factory=dict)
    """Added to the PNG chunk: what the variation came from, and its strength."""
    images: list[GeneratedImage] = field(default_factory=list)
    stopped: bool = False
    """``should_stop()`` was seen true: the job draws no more and its images are dropped."""
    error: UserFacingError | None = None

    @property
    def options(self) -> GenerationOptions:
        return self.job.options

    @property
    def left(self) -> int:
        """Images still to draw."""
        if self.stopped or self.error is not None:
            return 0
        return self.options.count - len(self.images)

    def check_stop(self) -> bool:
        """Whether the job is stopped, asking ``should_stop()`` until it says yes once."""
        if not self.stopped and self.job.should_stop is not None:
            self.stopped = self.job.should_stop()
        return self.stopped

    def report(self, done: int, total: int) -> None:
        if self.job.on_step is not None:
            self.job.on_step(done, total)

    def settle(self) -> None:
        """Hand the outcome to the caller: the images, the error, or :class:`JobCancelled`."""
        if self.error is not None:
            self.job.future.set_exception(self.error)
        elif self.stopped:
            self.job.future.set_exception(JobCancelled())
        else:
            self.job.future.set_result(self.images)


@dataclass(frozen=True)
class _Slice:
    """Images ``first`` … ``first + size - 1`` of one job, in one pipeline call."""

    request: _Request
    first: int
    size: int


def _next_part(requests: list[_Request], batch_size: int) -> list[_Slice]:
    """The next images to draw, at most ``batch_size``, oldest job first."""
    part: list[_Slice] = []
    room = batch_size
    for request in requests:
        size = min(request.left, room)
        if size:
            part.append(_Slice(request, len(request.images), size))
            room -= size
    return part


def _out_of_memory(options: GenerationOptions) -> UserFacingError:
    return UserFacingError(
        f"Not enough GPU memory for {options.count} images at "
        f"{options.width}x{options.height}; try fewer or smaller.",
        kind="out_of_memory",
    )


@dataclass(frozen=True)
class _StepEnd:
    """``callback_on_step_end`` for one pipeline call: reports each job's progress over the whole
    job, and interrupts the call once every job in it should stop."""

    part: list[_Slice]

    def __call__(
        self, pipeline: DiffusionPipeline, step: int, timestep: Any, kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        if all([piece.request.check_stop() for piece in self.part]):  # ask every job
            pipeline._interrupt = True  # diffusers' stop flag; raising also skips the VAE decode
            raise JobCancelled
        steps = pipeline.num_timesteps
        for piece in self.part:
            request = piece.request
            if not request.stopped:
                done = piece.first * steps + piece.size * (step + 1)
                request.report(done, request.options.count * steps)
        return {}


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
