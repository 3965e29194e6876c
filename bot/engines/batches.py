"""The batch runner's records: a job, its request (pipeline and inputs), the slices of a pipeline
call, the step callback (with the jobs' live previews), and the safety-checker switch."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from diffusers import DiffusionPipeline
from PIL import Image

from bot.domain.errors import UserFacingError
from bot.domain.options import GenerationOptions, Variation
from bot.domain.results import GeneratedImage, PreviewCallback, StepCallback
from bot.engines.models import ResidentModel
from bot.engines.previews import Previews, flagged, grid

PER_IMAGE = ("image", "mask_image")
"""Inputs that go to a pipeline call once per image drawn."""


class JobCancelled(Exception):
    """``should_stop()`` turned true while the job was running."""


@dataclass(eq=False)
class Job:
    """One call: what was asked, and the future that gets its images or its error."""

    options: GenerationOptions
    on_step: StepCallback | None
    should_stop: Callable[[], bool] | None
    variation: Variation | None
    safety_check: bool
    on_preview: PreviewCallback | None
    """Gets the job's live previews (``bot/engines/previews.py``); None: none are made."""
    preview_check: bool
    """Each preview must pass the safety checker (the job's flagged pictures would be hidden)."""
    future: Future[list[GeneratedImage]] = field(default_factory=Future)

    @property
    def batch_key(self) -> tuple[object, ...] | None:
        """Jobs with equal keys may share a pipeline call; None: drawn alone (a variation, or
        pictures at guidances of their own: ``chaos``)."""
        if self.variation is not None or self.options.spread:
            return None
        o = self.options
        drawing = (o.model, o.sampler, o.style, o.fast, o.width, o.height, o.steps, o.guidance)
        return (*drawing, self.safety_check, bool(o.negative_prompt))


@dataclass(eq=False)
class Request:
    """One job as the batch runner sees it: the pipeline to call, what sets its calls apart, and
    how far it got."""

    job: Job
    model: ResidentModel
    pipeline: DiffusionPipeline
    """The model's pipeline for this kind of job: text to image, image to image or inpainting."""
    inputs: dict[str, Any]
    """``width``/``height`` for text to image; ``image``/``strength`` (and ``mask_image``) else."""
    parameters: dict[str, Any] = field(default_factory=dict)
    """Added to the PNG chunk: the sampler, and what a variation came from and how it was made."""
    sampler: str = ""
    """The sampler drawn with (empty: the model's own scheduler)."""
    finish: Callable[[Image.Image], Image.Image] | None = None
    """Applied to each drawn picture (a zoom or pan pastes the original pixels back)."""
    tiled: bool = False
    """The VAE decodes in tiles (a picture larger than ``image.vae_tiling_above``)."""
    images: list[GeneratedImage] = field(default_factory=list)
    stopped: bool = False
    """``should_stop()`` was seen true: the job draws no more and its images are dropped."""
    error: UserFacingError | None = None
    previews: dict[int, Image.Image] = field(default_factory=dict)
    """The newest preview of each of its pictures, by index."""
    preview_flagged: bool = False
    """The safety checker flagged a preview: no more are shown."""

    @property
    def options(self) -> GenerationOptions:
        return self.job.options

    @property
    def size(self) -> tuple[int, int]:
        """The width and height its pictures are drawn at: a variation's, as its PNGs record
        them (``bot/engines/operations.py``), else the options'."""
        drawn = self.parameters
        return drawn.get("width", self.options.width), drawn.get("height", self.options.height)

    @property
    def wants_preview(self) -> bool:
        return self.job.on_preview is not None and not self.stopped and not self.preview_flagged

    def call_inputs(self, images: int, *, negative: bool) -> dict[str, Any]:
        """The inputs for a call drawing ``images`` images: the picture and mask once per image
        (SD3's image to image encodes one picture per generator), and, with a negative prompt
        on a family that needs it (FLUX.1), true classifier-free guidance."""
        inputs = {
            key: [value] * images if key in PER_IMAGE else value
            for key, value in self.inputs.items()
        }
        family = self.model.family
        if negative and family.negative == "true-cfg":
            inputs["true_cfg_scale"] = family.true_cfg_scale
        return inputs

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

    def show_preview(
        self, first: int, pictures: list[Image.Image], pipeline: DiffusionPipeline
    ) -> None:
        """Pictures ``first``… as they look now: the job's newest preview (all its pictures so
        far, as a grid), unless the checker flags one of them: then it gets no more."""
        if self.job.preview_check and flagged(pipeline, pictures):
            self.preview_flagged = True
            return
        for index, picture in enumerate(pictures, start=first):
            self.previews[index] = picture
        assert self.job.on_preview is not None
        self.job.on_preview(grid(self.previews, self.options.count))

    def settle(self) -> None:
        """Hand the outcome to the caller: the images, the error, or :class:`JobCancelled`."""
        if self.error is not None:
            self.job.future.set_exception(self.error)
        elif self.stopped:
            self.job.future.set_exception(JobCancelled())
        else:
            self.job.future.set_result(self.images)


@dataclass(frozen=True)
class Slice:
    """Images ``first`` … ``first + size - 1`` of one job, in one pipeline call."""

    request: Request
    first: int
    size: int


def next_part(requests: list[Request], batch_size: int) -> list[Slice]:
    """The next images to draw, at most ``batch_size``, oldest job first; one at a time of a job
    whose pictures have guidances of their own (a pipeline call has one guidance)."""
    part: list[Slice] = []
    room = batch_size
    for request in requests:
        size = min(request.left, 1 if request.options.spread else room)
        if size:
            part.append(Slice(request, len(request.images), size))
            room -= size
    return part


def out_of_memory(options: GenerationOptions) -> UserFacingError:
    return UserFacingError(
        "out-of-memory",
        kind="out_of_memory",
        count=options.count,
        width=str(options.width),
        height=str(options.height),
    )


@dataclass(frozen=True)
class StepEnd:
    """``callback_on_step_end`` for one pipeline call: reports each job's progress over the whole
    job, hands out live previews when one is due, and interrupts the call once every job in it
    should stop."""

    part: list[Slice]
    previews: Previews | None = None

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
        if self.previews is not None:
            self._preview(self.previews, pipeline, kwargs.get("latents"))
        return {}

    def _preview(
        self, previews: Previews, pipeline: DiffusionPipeline, latents: Any | None
    ) -> None:
        """Each job of the call that wants one gets its preview, when one is due."""
        rows, row, wanted = [], 0, []
        for piece in self.part:  # a slice's pictures are latents rows row … row + size - 1
            if piece.request.wants_preview:
                rows += range(row, row + piece.size)
                wanted.append(piece)
            row += piece.size
        if latents is None or not wanted:
            return
        size = wanted[0].request.size
        pixels = len(rows) * (size[0] // 8) * (size[1] // 8)
        if not previews.due(time.perf_counter(), pixels):
            return
        with previews.making(pixels):
            pictures = previews.decoder.pictures(latents[rows], size, pipeline.scheduler)
            for piece in wanted:
                mine, pictures = pictures[: piece.size], pictures[piece.size :]
                piece.request.show_preview(piece.first, mine, pipeline)


@contextmanager
def vae_tiling(pipeline: DiffusionPipeline, on: bool) -> Iterator[None]:
    """Decode (and encode) in tiles while the block runs (when ``on``): large pictures fit."""
    if not on:
        yield
        return
    pipeline.vae.enable_tiling()
    try:
        yield
    finally:
        pipeline.vae.disable_tiling()


@contextmanager
def safety_checker_off(pipeline: DiffusionPipeline, off: bool) -> Iterator[None]:
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
