"""The queue's two stages, as they run a job: fetch its inputs, listen (speech), then draw.

A mixin of :class:`bot.queue.lifecycle.JobQueue`: the stages' tasks are the queue's, on the event
loop; the engine threads only read a draw's stop flag and report steps through a
:class:`~bot.queue.events.StepRelay`.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from tenacity import AsyncRetrying, stop_after_attempt, wait_exponential

from bot.config import GenerationDefaults, ImageSettings, Limits
from bot.domain.choices import choose_model
from bot.domain.errors import UserFacingError
from bot.domain.jobs import EventKind, Job, JobState
from bot.domain.messages import Message
from bot.domain.options import GenerationOptions
from bot.domain.prompts import fit_prompt
from bot.queue.eta import QueueStats, cost_units
from bot.queue.events import StepRelay
from bot.queue.fairness import FairOrder
from bot.queue.protocols import PromptCheck, StageRunner

log = logging.getLogger(__name__)

Fetch = Callable[[str], Awaitable[bytes]]
"""Reads a user's upload (a voice message, a picture) from where it was sent."""

NO_SPEECH_ERROR = Message("no-speech")
FETCH_ATTEMPTS = 4
FETCH_TIMEOUT = 30.0
"""Seconds one download attempt may take."""


@dataclass
class Running:
    job: Job
    stop: threading.Event = field(default_factory=threading.Event)
    """Read by the draw thread through ``should_stop``."""
    cancelled: bool = False
    """Stopped by a user, rather than by shutdown."""
    first_step: tuple[float, int] | None = None
    """When the first step was reported, and how many were done then (model loading and other
    start-up time before it are not drawing time)."""


class Stages:
    """Fetching, the speech stage and the image stage of :class:`JobQueue`."""

    if TYPE_CHECKING:  # set and provided by JobQueue: at run time a missing one fails loudly
        _runner: StageRunner
        _fetch: Fetch | None
        _limits: Limits
        _image: ImageSettings | None
        _prompt_check: PromptCheck | None
        _active: dict[str, Job]
        _order: FairOrder
        _running: dict[str, Running]
        _draw_slots: int
        _started: bool
        _closing: bool
        _speech_slots: asyncio.Semaphore
        _listeners: set[asyncio.Task[None]]
        _drawers: set[asyncio.Task[None]]
        _stats: QueueStats
        _told_positions: dict[str, tuple[int, int]]

        async def _changed(self, job: Job) -> None: ...
        async def _finish(
            self, job: Job, state: JobState, error: Message | None = None, kind: str | None = None
        ) -> None: ...
        async def _fail(self, job: Job, error: Exception, stage: str) -> None: ...
        async def _requeue(self, job: Job) -> None: ...
        def _publish(self, job: Job, kind: EventKind) -> None: ...
        def _publish_positions(self) -> None: ...

    def _check_options(self, options: GenerationOptions, *, prompt_required: bool = True) -> None:
        """Check options against the limits of the model they name (its own steps, guidance
        and sizes: a turbo model draws at guidance 0), and that model's styles."""
        limits = self._limits
        if self._image is not None:
            model = choose_model(
                self._image, GenerationDefaults(), limits, options.model, fast=options.fast
            )
            limits = model.limits
        options.validate(limits, prompt_required=prompt_required, image=self._image)

    # ---- inputs ----------------------------------------------------------------------------

    async def _fetched(self, url: str, failure: str) -> bytes:
        """Download an upload, retrying with backoff; a clear error when Discord never gives it."""
        if self._fetch is None:
            raise RuntimeError("this queue has no way to fetch uploads")
        retrying = AsyncRetrying(
            stop=stop_after_attempt(FETCH_ATTEMPTS),
            wait=wait_exponential(multiplier=0.5, max=8),
            reraise=True,
        )
        fetch = self._fetch

        async def once() -> bytes:
            return await asyncio.wait_for(fetch(url), FETCH_TIMEOUT)

        try:
            return await retrying(once)
        except Exception as error:
            log.warning("could not fetch an upload (%s): %s", failure, error)
            raise UserFacingError(failure, kind="fetch_failed") from error

    async def _audio_of(self, job: Job) -> bytes:
        request = job.request
        if request.audio is None:
            assert request.audio_url is not None
            request.audio = await self._fetched(request.audio_url, "fetch-failed-recording")
            self._check_audio_size(request.audio)
        return request.audio

    def _check_audio_size(self, audio: bytes) -> None:
        if len(audio) > self._limits.max_audio_bytes:
            limit = self._limits.max_audio_bytes / 2**20
            raise UserFacingError("recording-too-large", kind="too_large", limit_mib=limit)

    async def _variation_of(self, job: Job) -> None:
        variation = job.request.variation
        if variation is not None and not variation.image and variation.image_url:
            image = await self._fetched(variation.image_url, "fetch-failed-picture")
            job.request.variation = replace(variation, image=image)

    # ---- speech stage ----------------------------------------------------------------------

    async def _listen(self, job: Job) -> None:
        async with self._speech_slots:
            if job.finished:
                return
            job.state = JobState.LISTENING
            await self._changed(job)
            began = time.monotonic()
            try:
                audio = await self._audio_of(job)
                speech = await self._runner.listen(
                    audio,
                    job.request.audio_filename,
                    model=job.request.speech_model,
                    language=job.request.language,
                    job_id=job.id,
                )
            except Exception as error:
                if not job.finished:
                    await self._fail(job, error, "listening")
                return
        if job.finished:  # cancelled while listening
            return
        job.timings["listen"] = seconds = time.monotonic() - began
        self._stats.add_listen(seconds)
        job.speech = speech
        if speech.no_speech:
            await self._finish(job, JobState.FAILED, NO_SPEECH_ERROR, "no_speech")
            return
        job.heard_prompt, _ = fit_prompt(speech.prompt, self._limits.max_prompt_chars)
        try:
            if self._prompt_check is not None:  # all that was heard, uncut, in any language
                for text in dict.fromkeys((speech.transcript, speech.translation)):
                    if text:
                        self._prompt_check(job.request, text)
            if not job.request.transcribe_only:
                self._check_options(job.options)
                if self._prompt_check is not None:
                    self._prompt_check(job.request, job.options.prompt)
        except UserFacingError as error:
            if error.kind == "banned":
                job.speech = None  # a transcript with a banned word is never shown
            await self._finish(job, JobState.FAILED, error.message, error.kind)
            return
        if job.request.transcribe_only:
            await self._finish(job, JobState.DONE)
            return
        job.state = JobState.WAITING
        await self._changed(job)
        self._kick()

    def _start_listening(self, job: Job) -> None:
        task = asyncio.create_task(self._listen(job), name=f"listen-{job.id}")
        self._listeners.add(task)
        task.add_done_callback(self._listener_done)

    def _listener_done(self, task: asyncio.Task[None]) -> None:
        self._listeners.discard(task)
        log_crash(task)

    # ---- image stage -----------------------------------------------------------------------

    def set_draw_slots(self, slots: int) -> None:
        """How many jobs may draw at once (the engine's batch size, or the live workers' slots).
        Fewer slots than running draws stop none; they only hold back the next ones. A change
        is published for every unfinished job, so their messages say what happened (workers
        gone, Redis unreachable) instead of freezing on a stale ETA."""
        slots, changed = max(slots, 0), max(slots, 0) != self._draw_slots
        self._draw_slots = slots
        if changed and self._started:
            for job in list(self._active.values()):
                self._publish(job, "state")
        self._kick()

    def _kick(self) -> None:
        """Start drawing the next ready jobs while a draw slot is free.

        Each draw runs on a task of its own that ends with its job, rather than a stage idling on
        an event: an idle bot has no pending task (which also keeps offline Discord tests settled).
        """
        while (
            self._started
            and not self._closing
            and len(self._running) < self._draw_slots
            and (job := self._next_ready()) is not None
        ):
            task = asyncio.create_task(self._draw(self._claim(job)), name=f"draw-{job.id}")
            self._drawers.add(task)
            task.add_done_callback(self._drawer_done)

    def _drawer_done(self, task: asyncio.Task[None]) -> None:
        self._drawers.discard(task)
        log_crash(task)
        self._kick()

    def _next_ready(self) -> Job | None:
        job_id = self._order.next(lambda job_id: self._active[job_id].ready)
        return None if job_id is None else self._active[job_id]

    def _claim(self, job: Job) -> Running:
        """Take a job out of the order into a draw slot (at once, so no other slot takes it)."""
        self._order.take(job.id)
        running = self._running[job.id] = Running(job)
        job.state = JobState.DRAWING
        job.started_at = time.time()
        job.timings["queue_wait"] = job.started_at - job.created_at
        job.step, job.steps = 0, job.options.steps
        self._told_positions.pop(job.id, None)
        return running

    async def _draw(self, running: Running) -> None:
        job, options = running.job, running.job.options
        await self._changed(job)
        self._publish_positions()
        progress = StepRelay(
            asyncio.get_running_loop(), lambda step, preview: self._progress(running, step, preview)
        )
        mode = job.request.preview  # off: a runner that knows no previews draws it all the same
        previews = {"on_preview": progress.on_preview, "preview_check": mode == "checked"}
        began = time.monotonic()
        failure: Exception | None = None
        try:
            await self._variation_of(job)
            images = await self._runner.draw(
                options,
                progress.on_step,
                running.stop.is_set,
                variation=job.request.variation,
                safety_check=job.request.safety_check,
                job_id=job.id,
                **({} if mode == "off" else previews),
            )
        except Exception as error:
            failure = error
        del self._running[job.id]
        job.preview = None  # the result replaces it
        if running.cancelled:
            await self._finish(job, JobState.CANCELLED)
        elif failure is None:
            job.timings["draw"] = time.monotonic() - began
            self._stats.add_draw(_drawing_seconds(running, began, job.steps), cost_units(options))
            job.images, job.step = list(images), job.steps
            await self._finish(job, JobState.DONE)
        elif running.stop.is_set():  # not cancelled, so interrupted by stop()
            await self._requeue(job)
        else:
            await self._fail(job, failure, "drawing")

    def _progress(
        self, running: Running, step: tuple[int, int] | None, preview: bytes | None
    ) -> None:
        """On the loop: the newest step and live preview of a running draw (none once it ended:
        a preview never follows the result)."""
        job = running.job
        if job.id not in self._running:
            return
        if step is not None:
            done, total = step
            if running.first_step is None:
                running.first_step = (time.monotonic(), done)
            job.step, job.steps = done, total
        if preview is not None:
            job.preview = preview
        self._publish(job, "progress")


def _drawing_seconds(running: Running, began: float, steps: int) -> float:
    """The draw's time, from its first step on, scaled to all its steps: a cold model's loading
    is not counted as drawing (it would make every ETA after a start far too long)."""
    now = time.monotonic()
    if running.first_step is None:
        return now - began
    at, done = running.first_step
    if steps <= done or now <= at:
        return now - began
    return (now - at) * steps / (steps - done)


def log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("task %s crashed", task.get_name(), exc_info=task.exception())
