"""The queue's two stages, as they run a job: fetch its inputs, listen (speech), then draw.

:class:`Stages` is a collaborator of :class:`bot.queue.lifecycle.JobQueue`: it owns the running
work (the speech slots, the draw slots, the tasks), and records what happens to a job through the
small :class:`JobHost` interface the queue implements. Its tasks run on the event loop; the engine
threads only read a draw's stop flag and report steps through a
:class:`~bot.queue.events.StepRelay`.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Protocol

from tenacity import AsyncRetrying, stop_after_attempt, wait_exponential

from bot.config import GenerationDefaults, ImageSettings, Limits
from bot.domain.choices import choose_model
from bot.domain.errors import GENERIC_ERROR, UserFacingError
from bot.domain.jobs import EventKind, Job, JobRequest, JobState
from bot.domain.messages import Message
from bot.domain.options import GenerationOptions
from bot.domain.prompts import fit_prompt
from bot.infra.tasks import stop_tasks
from bot.queue.eta import DrawClock, QueueStats, cost_units
from bot.queue.events import StepRelay
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
    clock: DrawClock = field(default_factory=DrawClock)


class JobHost(Protocol):
    """What the stages need of their queue: the next job in its order, and the transitions it
    publishes and records."""

    def take_next_ready(self) -> Job | None:
        """The next job ready to draw in the queue's order, taken out of it; None if none."""
        ...

    async def changed(self, job: Job) -> None: ...
    async def finish(
        self, job: Job, state: JobState, error: Message | None = None, kind: str | None = None
    ) -> None: ...
    async def requeue(self, job: Job) -> None: ...
    def publish(self, job: Job, kind: EventKind) -> None: ...
    def publish_positions(self) -> None: ...


@dataclass
class StageOptions:
    """How the stages run and check jobs (see :class:`bot.queue.lifecycle.JobQueue`)."""

    limits: Limits
    listening: int
    """Clips heard at once."""
    fetch: Fetch | None = None
    prompt_check: PromptCheck | None = None
    image: ImageSettings | None = None


class Stages:
    """Fetching, the speech stage and the image stage of a queue (its :class:`JobHost`)."""

    def __init__(
        self, host: JobHost, runner: StageRunner, options: StageOptions, stats: QueueStats
    ) -> None:
        self._host = host
        self._runner = runner
        self._fetch = options.fetch
        self._prompt_check = options.prompt_check
        self._limits = options.limits
        self._image = options.image
        self._stats = stats
        self.running: dict[str, Running] = {}
        """Jobs drawing now, by id, in the order they started."""
        self.draw_slots = 1
        self.serving = False
        """Starting work: between the queue's start and its hold."""
        self._speech_slots = asyncio.Semaphore(options.listening)
        self._listeners: set[asyncio.Task[None]] = set()
        self._drawers: set[asyncio.Task[None]] = set()

    async def stop(self, grace: float, interrupt_timeout: float) -> None:
        """Start nothing more; running draws get ``grace`` seconds to finish, then are
        interrupted (abandoned after ``interrupt_timeout``); listening is cancelled."""
        self.serving = False
        if self._drawers and grace > 0:
            await asyncio.wait(set(self._drawers), timeout=grace)
        for running in self.running.values():
            running.stop.set()
        if self._drawers:
            _, late = await asyncio.wait(set(self._drawers), timeout=interrupt_timeout)
            if late:
                log.warning(
                    "the image stage did not stop in %.0f s; abandoning it", interrupt_timeout
                )
            for task in late:
                task.cancel()
        await stop_tasks(self._listeners)

    def validate(self, request: JobRequest) -> None:
        """Raise :class:`UserFacingError` for a request the stages would refuse."""
        options = request.options
        has_audio = request.has_audio
        if request.audio is not None:
            self._check_audio_size(request.audio)
        # with audio, the heard words become the prompt: they are checked once heard
        self._check_options(options, prompt_required=not has_audio)
        if not has_audio and self._prompt_check is not None:
            self._prompt_check(request, options.prompt)
        if request.variation is not None:
            request.variation.validate()

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
            async with asyncio.timeout(FETCH_TIMEOUT):
                return await fetch(url)

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

    async def _fail(self, job: Job, error: Exception, stage: str) -> None:
        if isinstance(error, UserFacingError):
            await self._host.finish(job, JobState.FAILED, error.message, error.kind)
        else:
            log.error("job %s failed while %s", job.id, stage, exc_info=error)
            await self._host.finish(job, JobState.FAILED, GENERIC_ERROR, "internal")

    # ---- speech stage ----------------------------------------------------------------------

    async def _listen(self, job: Job) -> None:
        async with self._speech_slots:
            if job.finished:
                return
            job.state = JobState.LISTENING
            await self._host.changed(job)
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
            await self._host.finish(job, JobState.FAILED, NO_SPEECH_ERROR, "no_speech")
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
            await self._host.finish(job, JobState.FAILED, error.message, error.kind)
            return
        if job.request.transcribe_only:
            await self._host.finish(job, JobState.DONE)
            return
        job.state = JobState.WAITING
        await self._host.changed(job)
        self.kick()

    def start_listening(self, job: Job) -> None:
        task = asyncio.create_task(self._listen(job), name=f"listen-{job.id}")
        self._listeners.add(task)
        task.add_done_callback(self._listener_done)

    def _listener_done(self, task: asyncio.Task[None]) -> None:
        self._listeners.discard(task)
        log_crash(task)

    # ---- image stage -----------------------------------------------------------------------

    def kick(self) -> None:
        """Start drawing the next ready jobs while a draw slot is free.

        Each draw runs on a task of its own that ends with its job, rather than a stage idling on
        an event: an idle bot has no pending task (which also keeps offline Discord tests settled).
        """
        while (
            self.serving
            and len(self.running) < self.draw_slots
            and (job := self._host.take_next_ready()) is not None
        ):
            task = asyncio.create_task(self._draw(self._claim(job)), name=f"draw-{job.id}")
            self._drawers.add(task)
            task.add_done_callback(self._drawer_done)

    def _drawer_done(self, task: asyncio.Task[None]) -> None:
        self._drawers.discard(task)
        log_crash(task)
        self.kick()

    def _claim(self, job: Job) -> Running:
        """Put a job taken out of the order into a draw slot."""
        running = self.running[job.id] = Running(job)
        job.state = JobState.DRAWING
        job.started_at = time.time()
        job.timings["queue_wait"] = job.started_at - job.created_at
        job.step, job.steps = 0, job.options.steps
        return running

    async def _draw(self, running: Running) -> None:
        job, options = running.job, running.job.options
        await self._host.changed(job)
        self._host.publish_positions()
        progress = StepRelay(
            asyncio.get_running_loop(), lambda step, preview: self._progress(running, step, preview)
        )
        mode = job.request.preview  # off: a runner that knows no previews draws it all the same
        previews = {"on_preview": progress.on_preview, "preview_check": mode == "checked"}
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
        del self.running[job.id]
        job.preview = None  # the result replaces it
        if running.cancelled:
            await self._host.finish(job, JobState.CANCELLED)
        elif failure is None:
            job.timings["draw"] = drawing = running.clock.drawing_seconds(job.steps)
            loading = running.clock.loading_seconds(job.steps)
            if loading is not None:
                job.timings["load"] = loading
            self._stats.add_draw(drawing, cost_units(options))
            job.images, job.step = list(images), job.steps
            await self._host.finish(job, JobState.DONE)
        elif running.stop.is_set():  # not cancelled, so interrupted by stop()
            await self._host.requeue(job)
        else:
            await self._fail(job, failure, "drawing")

    def _progress(
        self, running: Running, step: tuple[int, int] | None, preview: bytes | None
    ) -> None:
        """On the loop: the newest step and live preview of a running draw (none once it ended:
        a preview never follows the result)."""
        job = running.job
        if job.id not in self.running:
            return
        if step is not None:
            done, total = step
            running.clock.stepped(done)
            job.step, job.steps = done, total
        if preview is not None:
            job.preview = preview
        self._host.publish(job, "progress")


def log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("task %s crashed", task.get_name(), exc_info=task.exception())
