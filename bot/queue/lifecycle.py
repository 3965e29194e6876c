"""The embedded job queue: bounded, fair across users, observable, restart-safe.

A job goes ``queued → (listening → waiting) → drawing → done | failed | cancelled``. Speech runs as
soon as a job arrives (a few at a time; the runner does the work in threads); the image stage draws
as many jobs at once as it has draw slots (the engine's ``image.batch_jobs`` here, the sum of the
live workers' with the distributed backend), taking users in turn (:mod:`bot.queue.fairness`).
Every change is published as a :class:`JobEvent` and recorded in the
:class:`~bot.infra.store.JobStore`, so a restart loses nothing. This class owns the queue layer's
concurrency: its tasks run on the event loop; only the stop flags are read by engine threads.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.config import Limits, QueueSettings
from bot.domain.errors import UserFacingError
from bot.domain.jobs import EventKind, Job, JobEvent, JobRequest, JobState, QueueSnapshot
from bot.queue.eta import QueueStats, cost_units
from bot.queue.events import StepRelay, Subscription
from bot.queue.fairness import FairOrder
from bot.queue.protocols import StageRunner, Subscriber

if TYPE_CHECKING:
    from bot.infra.store import JobStore

log = logging.getLogger(__name__)

PromptCheck = Callable[[JobRequest, str], None]
"""Raises :class:`UserFacingError` for a prompt a server does not allow (banned words)."""

GENERIC_ERROR = "Something went wrong on my side (it has been logged). Please try again."
NO_SPEECH_ERROR = (
    "I didn't hear any speech in that recording. Try again, speaking a little closer to the mic."
)
SHUTTING_DOWN = "I'm restarting right now; please try again in a minute."
RESUME_FAILED = "Your job could not be resumed after a restart: {reason}"

FINISHED_KEPT = 32
"""Finished jobs kept in memory (with their images) for :meth:`JobQueue.get` and ``wait``."""
INTERRUPT_TIMEOUT = 30.0
"""Seconds ``stop()`` waits for an interrupted draw to return before abandoning it."""


class JobQueue:
    """The embedded backend: one process; one draw slot until :meth:`set_draw_slots` says more.

    The caller opens and closes the store. Call :meth:`start`, then :meth:`recover` once.
    """

    def __init__(
        self,
        runner: StageRunner,
        settings: QueueSettings,
        limits: Limits,
        store: JobStore | None = None,
        prompt_check: PromptCheck | None = None,
    ) -> None:
        self._runner = runner
        self._prompt_check = prompt_check
        self._settings = settings
        self._limits = limits
        self._store = store
        self._active: dict[str, Job] = {}
        """Unfinished jobs, in arrival order."""
        self._finished: OrderedDict[str, Job] = OrderedDict()
        self._order = FairOrder()
        """Unfinished jobs that are not drawing yet."""
        self._running: dict[str, _Running] = {}
        """Jobs drawing now, by id, in the order they started."""
        self._draw_slots = 1
        self._started = False
        self._speech_slots = asyncio.Semaphore(settings.speech_workers)
        self._listeners: set[asyncio.Task[None]] = set()
        self._drawers: set[asyncio.Task[None]] = set()
        self._closing = False
        self._waiters: dict[str, asyncio.Future[Job]] = {}
        self._subscriptions: list[Subscription] = []
        self._told_positions: dict[str, tuple[int, int]] = {}
        self._stats = QueueStats()

    # ---- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        self._started = True
        self._kick()

    async def stop(self, *, grace: float = 0.0) -> None:
        """Stop serving. Running draws get ``grace`` seconds to finish, then are interrupted
        and recorded as queued again, like every job still listening; the rest stay recorded.
        Pending :meth:`wait` calls are cancelled."""
        if self._closing:
            return
        self._closing = True
        if self._drawers and grace > 0:
            await asyncio.wait(set(self._drawers), timeout=grace)
        for running in self._running.values():
            running.stop.set()
        if self._drawers:
            _, late = await asyncio.wait(set(self._drawers), timeout=INTERRUPT_TIMEOUT)
            if late:
                log.warning(
                    "the image stage did not stop in %.0f s; abandoning it", INTERRUPT_TIMEOUT
                )
            for task in late:
                task.cancel()
        for task in self._listeners:
            task.cancel()
        await asyncio.gather(*self._listeners, return_exceptions=True)
        for job in list(self._active.values()):
            if job.state is JobState.LISTENING:
                await self._requeue(job)
        for subscription in self._subscriptions:
            subscription.close()
        for waiter in self._waiters.values():
            waiter.cancel()

    async def recover(self) -> list[Job]:
        """Re-admit the jobs a previous run left unfinished, from scratch. Returns them all:
        resumed ones are queued again, those that cannot run any more are failed with a reason."""
        if self._store is None:
            return []
        recovered = []
        for stored in await self._store.unfinished():
            if stored.id in self._active:
                continue
            job = Job(stored.request, id=stored.id, created_at=stored.created_at)
            try:
                self._validate(job.request)
            except UserFacingError as problem:
                reason = RESUME_FAILED.format(reason=problem)
                await self._finish(job, JobState.FAILED, reason, "not_resumable")
            else:
                await self._admit(job)
            recovered.append(job)
        if recovered:
            log.info("recovered %d unfinished jobs", len(recovered))
        return recovered

    # ---- requests --------------------------------------------------------------------------

    def check_admission(self, user_id: int, *, user_limit: int | None = None) -> None:
        """Raise :class:`UserFacingError` if a new job of ``user_id`` would be refused now
        (shutting down, queue full, or the user's limit — ``user_limit`` if the server set one):
        cheap, for a check before any work."""
        if self._closing:
            raise UserFacingError(SHUTTING_DOWN, kind="shutting_down")
        if len(self._active) >= self._settings.max_size:
            raise UserFacingError(
                f"The queue is full ({len(self._active)} jobs). Please try again in a few minutes.",
                kind="queue_full",
            )
        mine = len(self.jobs_of(user_id))
        if mine >= (user_limit or self._settings.per_user_limit):
            raise UserFacingError(
                f"You already have {mine} jobs in the queue. Wait for one to finish, or cancel one.",
                kind="user_limit",
            )

    async def submit(self, request: JobRequest, *, user_limit: int | None = None) -> Job:
        """Admit a job, or raise :class:`UserFacingError` (bad options, queue or user limit)."""
        self.check_admission(request.user_id, user_limit=user_limit)
        self._validate(request)
        job = Job(request)
        await self._admit(job)
        return job

    async def cancel(self, job_id: str, by_user_id: int | None, *, force: bool = False) -> bool:
        """Cancel a job of ``by_user_id`` (any job with ``force``). A running draw stops at its
        next step and is then published as cancelled. False if not found, finished or not yours."""
        job = self._active.get(job_id)
        if job is None or not (force or by_user_id == job.request.user_id):
            return False
        running = self._running.get(job_id)
        if running is not None:
            running.cancelled = True
            running.stop.set()
        else:
            await self._finish(job, JobState.CANCELLED)
        return True

    async def update_reply(self, job_id: str, reply: dict[str, Any]) -> bool:
        """Merge routing data (e.g. the id of the message that shows the result) and record it;
        jobs no longer in memory are updated in the store. False for an unknown job."""
        job = self.get(job_id)
        if job is None and self._store is not None:
            job = await self._store.load(job_id)
        if job is None:
            return False
        job.request.reply.update(reply)
        await self._save(job)
        return True

    async def wait(self, job_id: str) -> Job:
        """The job once finished. Raises KeyError for an unknown job."""
        job = self.get(job_id)
        if job is None:
            raise KeyError(job_id)
        if job.finished:
            return job
        waiter = self._waiters.get(job_id)
        if waiter is None:
            waiter = self._waiters[job_id] = asyncio.get_running_loop().create_future()
        return await asyncio.shield(waiter)

    # ---- views -----------------------------------------------------------------------------

    def position(self, job_id: str) -> tuple[int, int] | None:
        """``(position, waiting)``: 1-based place in the image stage's order, 0 while drawing;
        None when the job is finished or unknown."""
        order = self._waiting()
        if job_id in self._running:
            return 0, len(order)
        for number, job in enumerate(order, start=1):
            if job.id == job_id:
                return number, len(order)
        return None

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback`` with every event; returns the unsubscribe function. A plain function
        is called at once; a coroutine function's calls run in order on a task of their own, where
        a newer progress or position event replaces an undelivered one of the same job."""
        subscription = Subscription(callback)
        self._subscriptions.append(subscription)

        def unsubscribe() -> None:
            if subscription in self._subscriptions:
                self._subscriptions.remove(subscription)
                subscription.close()

        return unsubscribe

    def get(self, job_id: str) -> Job | None:
        return self._active.get(job_id) or self._finished.get(job_id)

    def jobs_of(self, user_id: int) -> list[Job]:
        """The user's unfinished jobs, oldest first."""
        return [job for job in self._active.values() if job.request.user_id == user_id]

    def snapshot(self) -> QueueSnapshot:
        counts = Counter(job.state.value for job in self._active.values())
        counts.update(self._stats.finished)
        return QueueSnapshot(
            drawing=tuple(r.job for r in self._running.values()),
            waiting=tuple(self._waiting()),
            counts=dict(counts),
            avg_listen_seconds=self._stats.avg_listen_seconds,
            avg_draw_seconds=self._stats.avg_draw_seconds,
            jobs_done=self._stats.finished[JobState.DONE.value],
        )

    # ---- admission and order ---------------------------------------------------------------

    def _validate(self, request: JobRequest) -> None:
        options = request.options
        if request.audio is not None and len(request.audio) > self._limits.max_audio_bytes:
            limit = self._limits.max_audio_bytes / 2**20
            raise UserFacingError(
                f"That recording is too large (the limit is {limit:g} MiB).", kind="too_large"
            )
        # with audio, the heard words become the prompt: they are checked once heard
        options.validate(self._limits, prompt_required=request.audio is None)
        if request.audio is None and self._prompt_check is not None:
            self._prompt_check(request, options.prompt)
        if request.variation is not None:
            request.variation.validate()

    async def _admit(self, job: Job) -> None:
        self._active[job.id] = job
        self._order.add(job.id, job.request.user_id)
        self._publish(job, "state")
        self._publish_positions()
        if job.ready:
            self._kick()
        else:
            task = asyncio.create_task(self._listen(job), name=f"listen-{job.id}")
            self._listeners.add(task)
            task.add_done_callback(self._listener_done)
        await self._save(job)

    def _waiting(self) -> list[Job]:
        """Jobs waiting for the image stage, in the order it would draw them were all ready."""
        return [self._active[job_id] for job_id in self._order.order()]

    # ---- speech stage ----------------------------------------------------------------------

    async def _listen(self, job: Job) -> None:
        assert job.request.audio is not None
        async with self._speech_slots:
            if job.finished:
                return
            job.state = JobState.LISTENING
            await self._changed(job)
            began = time.monotonic()
            try:
                speech = await self._runner.listen(
                    job.request.audio,
                    job.request.audio_filename,
                    model=job.request.speech_model,
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
        try:
            job.options.validate(self._limits)
            if self._prompt_check is not None:
                self._prompt_check(job.request, job.options.prompt)
        except UserFacingError as error:
            await self._finish(job, JobState.FAILED, str(error), error.kind)
            return
        job.state = JobState.WAITING
        await self._changed(job)
        self._kick()

    def _listener_done(self, task: asyncio.Task[None]) -> None:
        self._listeners.discard(task)
        _log_crash(task)

    # ---- image stage -----------------------------------------------------------------------

    def set_draw_slots(self, slots: int) -> None:
        """How many jobs may draw at once (the engine's batch size, or the live workers' slots).
        Fewer slots than running draws stop none; they only hold back the next ones."""
        self._draw_slots = max(slots, 0)
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
        _log_crash(task)
        self._kick()

    def _next_ready(self) -> Job | None:
        job_id = self._order.next(lambda job_id: self._active[job_id].ready)
        return None if job_id is None else self._active[job_id]

    def _claim(self, job: Job) -> _Running:
        """Take a job out of the order into a draw slot (at once, so no other slot takes it)."""
        self._order.take(job.id)
        running = self._running[job.id] = _Running(job)
        job.state = JobState.DRAWING
        job.started_at = time.time()
        job.timings["queue_wait"] = job.started_at - job.created_at
        job.step, job.steps = 0, job.options.steps
        self._told_positions.pop(job.id, None)
        return running

    async def _draw(self, running: _Running) -> None:
        job, options = running.job, running.job.options
        await self._changed(job)
        self._publish_positions()
        progress = StepRelay(
            asyncio.get_running_loop(), lambda done, total: self._progress(job, done, total)
        )
        began = time.monotonic()
        failure: Exception | None = None
        try:
            images = await self._runner.draw(
                options,
                progress.on_step,
                running.stop.is_set,
                variation=job.request.variation,
                safety_check=job.request.safety_check,
                job_id=job.id,
            )
        except Exception as error:
            failure = error
        del self._running[job.id]
        if running.cancelled:
            await self._finish(job, JobState.CANCELLED)
        elif failure is None:
            job.timings["draw"] = seconds = time.monotonic() - began
            self._stats.add_draw(seconds, cost_units(options))
            job.images, job.step = list(images), job.steps
            await self._finish(job, JobState.DONE)
        elif running.stop.is_set():  # not cancelled, so interrupted by stop()
            await self._requeue(job)
        else:
            await self._fail(job, failure, "drawing")

    def _progress(self, job: Job, done: int, total: int) -> None:
        """On the loop: the latest step of a running draw."""
        if job.id not in self._running:
            return
        job.step, job.steps = done, total
        self._publish(job, "progress")

    # ---- transitions -----------------------------------------------------------------------

    async def _changed(self, job: Job) -> None:
        self._publish(job, "state")
        await self._save(job)

    async def _fail(self, job: Job, error: Exception, stage: str) -> None:
        if isinstance(error, UserFacingError):
            await self._finish(job, JobState.FAILED, str(error), error.kind)
        else:
            log.error("job %s failed while %s", job.id, stage, exc_info=error)
            await self._finish(job, JobState.FAILED, GENERIC_ERROR, "internal")

    async def _finish(
        self, job: Job, state: JobState, error: str | None = None, kind: str | None = None
    ) -> None:
        job.state, job.error, job.error_kind = state, error, kind
        job.finished_at = time.time()
        if job.id in self._order:
            self._order.remove(job.id)
        self._active.pop(job.id, None)
        self._told_positions.pop(job.id, None)
        self._finished[job.id] = job
        while len(self._finished) > FINISHED_KEPT:
            self._finished.popitem(last=False)
        self._stats.finished[state.value] += 1
        self._publish(job, "state")
        self._publish_positions()
        await self._save(job)
        waiter = self._waiters.pop(job.id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(job)

    async def _requeue(self, job: Job) -> None:
        """Record an interrupted job as queued again, for the next run's :meth:`recover`."""
        job.state, job.started_at, job.step = JobState.QUEUED, None, 0
        await self._save(job)

    async def _save(self, job: Job) -> None:
        if self._store is None:
            return
        try:
            await self._store.save(job)
        except Exception:
            log.exception("could not record job %s", job.id)

    # ---- events ----------------------------------------------------------------------------

    def _publish(
        self,
        job: Job,
        kind: EventKind,
        place: tuple[int, int] | None = None,
        eta: float | None = None,
    ) -> None:
        """Publish the job as it is; ``place`` and ``eta`` when the caller already knows them."""
        place = place or self.position(job.id)
        position, waiting = place if place else (None, len(self._order))
        if kind != "progress" and job.id in self._order and place:
            self._told_positions[job.id] = place
        event = JobEvent(
            kind=kind,
            job_id=job.id,
            state=job.state,
            request=job.request,
            prompt=job.options.prompt,
            position=position,
            queue_length=waiting,
            step=job.step,
            steps=job.steps,
            eta_seconds=(eta if eta is not None else self._eta(job)) if place else None,
            speech=job.speech,
            images=tuple(job.images),
            error=job.error,
            error_kind=job.error_kind,
        )
        for subscription in list(self._subscriptions):
            subscription.deliver(event)

    def _publish_positions(self) -> None:
        """Tell every waiting job whose place or the queue's length changed (the order and the
        ETAs are worked out once for all of them)."""
        order = self._waiting()
        for number, (job, eta) in enumerate(zip(order, self._etas(order), strict=True), start=1):
            place = (number, len(order))
            if self._told_positions.get(job.id) != place:
                self._publish(job, "position", place, eta)

    def _eta(self, job: Job) -> float | None:
        """Seconds until the job's pictures are ready."""
        if job.id in self._running:
            return self._stats.remaining(job)
        order = self._waiting()
        return self._etas(order)[order.index(job)] if job in order else None

    def _etas(self, order: list[Job]) -> list[float | None]:
        running = (r.job for r in self._running.values())
        return self._stats.etas(order, running, self._draw_slots)


@dataclass
class _Running:
    job: Job
    stop: threading.Event = field(default_factory=threading.Event)
    """Read by the draw thread through ``should_stop``."""
    cancelled: bool = False
    """Stopped by a user, rather than by shutdown."""


def _log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("task %s crashed", task.get_name(), exc_info=task.exception())
