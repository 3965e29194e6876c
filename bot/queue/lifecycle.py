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
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.config import ImageSettings, Limits, QueueSettings
from bot.domain.errors import UserFacingError
from bot.domain.jobs import EventKind, Job, JobEvent, JobRequest, JobState, QueueSnapshot
from bot.domain.messages import Message
from bot.queue.eta import QueueStats
from bot.queue.events import Subscription
from bot.queue.fairness import FairOrder
from bot.queue.protocols import PromptCheck, StageRunner, Subscriber
from bot.queue.stages import Fetch, StageOptions, Stages

if TYPE_CHECKING:
    from bot.infra.store import JobStore

log = logging.getLogger(__name__)

FINISHED_KEPT = 32
"""Finished jobs kept in memory (with their images) for :meth:`JobQueue.get` and ``wait``."""
INTERRUPT_TIMEOUT = 2.0
"""Seconds ``stop()`` waits for an interrupted draw to return (at its next step) before leaving
it: it stays recorded as drawing and runs again after the restart (within the process's stop
bound, ``shutdown.margin_seconds``)."""


class JobQueue:
    """The embedded backend: one process; one draw slot until :meth:`set_draw_slots` says more.

    The caller opens and closes the store. Call :meth:`start`, then :meth:`recover` once. The
    stages (:class:`~bot.queue.stages.Stages`) run the jobs; this class is their
    :class:`~bot.queue.stages.JobHost`: it owns the jobs, their order, events and records.
    """

    def __init__(
        self,
        runner: StageRunner,
        settings: QueueSettings,
        limits: Limits,
        store: JobStore | None = None,
        prompt_check: PromptCheck | None = None,
        fetch: Fetch | None = None,
        listening: int | None = None,
        image: ImageSettings | None = None,
    ) -> None:
        """``fetch`` reads uploads given by URL (``JobRequest.audio_url``, ``Variation.image_url``);
        ``listening``: clips heard at once (default ``queue.speech_workers``; the engines batch
        clips that arrive together, so more than one per worker keeps their batches full);
        ``image``: the image models, each with its own limits, that jobs are checked against."""
        self._settings = settings
        self._store = store
        self._active: dict[str, Job] = {}
        """Unfinished jobs, in arrival order."""
        self._finished: OrderedDict[str, Job] = OrderedDict()
        self._order = FairOrder()
        """Unfinished jobs that are not drawing yet."""
        self._started = False
        self._closing = False
        """Holding: admitting jobs without running them."""
        self._stopped = False
        self._waiters: dict[str, asyncio.Future[Job]] = {}
        self._subscriptions: list[Subscription] = []
        self._told_positions: dict[str, tuple[int, int]] = {}
        self._positions_due = False
        self._stats = QueueStats()
        options = StageOptions(
            limits, listening or settings.speech_workers, fetch, prompt_check, image
        )
        self._stages = Stages(self, runner, options, self._stats)
        self._running = self._stages.running
        """Jobs drawing now (the stages' own), by id, in the order they started."""

    # ---- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        self._started = True
        self._stages.serving = not self._closing
        self._stages.kick()

    def hold(self) -> None:
        """Start no more work: new jobs are still admitted and recorded, published as held (they
        run after the restart, from :meth:`recover`). The first step of a graceful stop."""
        self._closing = True
        self._stages.serving = False

    def set_draw_slots(self, slots: int) -> None:
        """How many jobs may draw at once (the engine's batch size, or the live workers' slots).
        Fewer slots than running draws stop none; they only hold back the next ones. A change
        is published for every unfinished job, so their messages say what happened (workers
        gone, Redis unreachable) instead of freezing on a stale ETA."""
        slots = max(slots, 0)
        changed, self._stages.draw_slots = slots != self._stages.draw_slots, slots
        if changed and self._started:
            for job in list(self._active.values()):
                self.publish(job, "state")
        self._stages.kick()

    async def stop(self, *, grace: float = 0.0) -> None:
        """Stop serving. Running draws get ``grace`` seconds to finish, then are interrupted
        and recorded as queued again, like every job still listening; the rest stay recorded.
        Pending :meth:`wait` calls are cancelled."""
        if self._stopped:
            return
        self._stopped = True
        self.hold()
        await self._stages.stop(grace, INTERRUPT_TIMEOUT)
        for job in list(self._active.values()):
            if job.state is JobState.LISTENING:
                await self.requeue(job)
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
                self._stages.validate(job.request)
            except UserFacingError as problem:
                reason = Message.of("not-resumable", reason=problem.message)
                await self.finish(job, JobState.FAILED, reason, "not_resumable")
            else:
                await self._admit(job)
            recovered.append(job)
        if recovered:
            log.info("recovered %d unfinished jobs", len(recovered))
        return recovered

    # ---- requests --------------------------------------------------------------------------

    def check_admission(self, user_id: int, *, user_limit: int | None = None) -> None:
        """Raise :class:`UserFacingError` if a new job of ``user_id`` would be refused now
        (queue full, or the user's limit — ``user_limit`` if the server set one)."""
        if len(self._active) >= self._settings.max_size:
            raise UserFacingError("queue-full", kind="queue_full", count=len(self._active))
        mine = len(self.jobs_of(user_id))
        if mine >= (user_limit or self._settings.per_user_limit):
            raise UserFacingError("user-limit", kind="user_limit", count=mine)

    async def submit(
        self, request: JobRequest, *, job_id: str | None = None, user_limit: int | None = None
    ) -> Job:
        """Admit a job (under ``job_id`` if given), or raise :class:`UserFacingError` (bad options,
        queue or user limit). The decision and the admission happen at once, with no wait between
        them, so concurrent requests of one user cannot pass its limit together."""
        self.check_admission(request.user_id, user_limit=user_limit)
        self._stages.validate(request)
        job = Job(request) if job_id is None else Job(request, id=job_id)
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
            await self.finish(job, JobState.CANCELLED)
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

    async def _admit(self, job: Job) -> None:
        self._active[job.id] = job
        self._order.add(job.id, job.request.user_id)
        self.publish(job, "state")
        self.publish_positions()
        if job.ready:
            self._stages.kick()
        elif not self._closing:
            self._stages.start_listening(job)
        await self._save(job)

    def take_next_ready(self) -> Job | None:
        job_id = self._order.next(lambda job_id: self._active[job_id].ready)
        if job_id is None:
            return None
        self._order.take(job_id)
        self._told_positions.pop(job_id, None)
        return self._active[job_id]

    def _waiting(self) -> list[Job]:
        """Jobs waiting for the image stage, in the order it would draw them were all ready."""
        return [self._active[job_id] for job_id in self._order.order()]

    # ---- transitions (the stages' JobHost) --------------------------------------------------

    async def changed(self, job: Job) -> None:
        self.publish(job, "state")
        await self._save(job)

    async def finish(
        self, job: Job, state: JobState, error: Message | None = None, kind: str | None = None
    ) -> None:
        job.state, job.error, job.error_kind = state, error, kind
        job.finished_at = time.time()
        job.request.audio = None  # kept in memory no longer than the job (up to 25 MiB)
        if job.request.variation is not None:
            job.request.variation = replace(job.request.variation, image=b"")
        if job.id in self._order:
            self._order.remove(job.id)
        self._active.pop(job.id, None)
        self._told_positions.pop(job.id, None)
        self._finished[job.id] = job
        while len(self._finished) > FINISHED_KEPT:
            self._finished.popitem(last=False)
        self._stats.finished[state.value] += 1
        self.publish(job, "state")
        self.publish_positions()
        await self._save(job)
        waiter = self._waiters.pop(job.id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(job)

    async def requeue(self, job: Job) -> None:
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

    def publish(
        self,
        job: Job,
        kind: EventKind,
        place: tuple[int, int] | None = None,
        eta: float | None = None,
    ) -> None:
        """Publish the job as it is; ``place`` and ``eta`` when the caller already knows them."""
        place = place or self.position(job.id)
        if kind != "progress" and job.id in self._order and place:
            self._told_positions[job.id] = place
        event = self._event(job, kind, place, eta)
        for subscription in list(self._subscriptions):
            subscription.deliver(event)

    def event(self, job_id: str) -> JobEvent | None:
        """A job known here as an event of its present state (for a subscriber that starts late)."""
        job = self.get(job_id)
        return None if job is None else self._event(job, "state", self.position(job_id), None)

    def _event(
        self, job: Job, kind: EventKind, place: tuple[int, int] | None, eta: float | None
    ) -> JobEvent:
        if place and eta is None:
            eta = self._eta(job)
        held = self._closing and not job.finished and job.id not in self._running
        return JobEvent.of(job, kind, place, len(self._order), eta, held=held)

    def publish_positions(self) -> None:
        """Soon, once for every change made until then: tell every waiting job whose place or the
        queue's length changed. A burst of requests handled in one turn of the loop moves every
        waiting job once, not once per request (which made a burst of 200 quadratic: the loop
        stalled for most of a second)."""
        if not self._positions_due:
            self._positions_due = True
            asyncio.get_running_loop().call_soon(self._publish_positions)

    def _publish_positions(self) -> None:
        """The order and the ETAs are worked out once for all the waiting jobs."""
        self._positions_due = False
        if self._stopped:
            return
        order = self._waiting()
        for number, (job, eta) in enumerate(zip(order, self._etas(order), strict=True), start=1):
            place = (number, len(order))
            if self._told_positions.get(job.id) != place:
                self.publish(job, "position", place, eta)

    def _eta(self, job: Job) -> float | None:
        """Seconds until the job's pictures are ready."""
        running = self._running.get(job.id)
        if running is not None:
            return self._stats.remaining(job, running.clock)
        order = self._waiting()
        return self._etas(order)[order.index(job)] if job in order else None

    def _etas(self, order: list[Job]) -> list[float | None]:
        running = ((r.job, r.clock) for r in self._running.values())
        return self._stats.etas(order, running, self._stages.draw_slots)
