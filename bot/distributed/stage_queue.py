"""The workers' SAQ queue: SAQ's ``RedisQueue`` with what the stages need changed, and a patch to
its sweep carried here until SAQ has it (tobymao/saq#277, open).

- **The sweep (a patch).** SAQ's sweep takes every job in the active list whose status is not
  ``active`` for one a dead worker left behind, aborts it and queues it again. But a worker moves
  a job to the active list (``BLMOVE``) a moment *before* it marks it active, and a sweep in that
  moment aborts a job that is starting: the job then runs twice (on a busy machine, with a sweep
  every second, this happened several times a minute). And a sweep that waited for a stuck job
  to stop queued it again even when it had finished meanwhile: drawn twice. Here a job found
  queued in the active list is swept only when it is still there :data:`DEQUEUE_GRACE_SECONDS`
  later, and one that finished while the sweep waited is left finished. Otherwise as SAQ 0.26.
- **A cancel is final.** SAQ writes a stage's status without looking at what is stored: a worker
  touching or starting a stage as the bot aborts it writes ``active`` back over ``aborting``, and
  a worker stopped (SIGTERM) before it noticed the abort hands the stage back (``queued``): the
  next worker draws a job its user cancelled. Here each of those writes reads the stage in the
  same transaction (WATCH), and an abort stands: a touch keeps it, a hand-back or a retry
  finishes the stage as aborted instead of queueing it. Only a sweep's abort is followed by a
  retry (the sweep's own); a sweep's abort never replaces the bot's.
- **No stage made again.** SAQ's update writes the job whole, so a running draw's touch after
  Redis lost the stage (restarted empty) wrote it back as active: a record in no list, which no
  sweep sees and a bot follows for ever. Here an update of a stage Redis does not hold writes
  nothing; the bot finds the stage gone and sends it again.
- **No busy loop.** SAQ's worker asks again at once after a failed dequeue; while Redis is away
  (until the worker notices and stops taking jobs) each failure first waits a little.
- **No pub/sub.** The only listener a worker uses is the sweep's wait for an abort; it reads the
  job every :data:`POLL_SECONDS` (SAQ's polling listener) instead of SAQ's pub/sub listener, which
  busy-loops while Redis is away and whose wait restarts with every notification (a sweep
  waited for a whole draw, then queued the finished job again).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from redis.asyncio.client import Pipeline
from redis.exceptions import RedisError
from saq.job import Job, Status
from saq.queue.base import Queue
from saq.queue.redis import RedisQueue
from saq.types import ListenCallback

from bot.distributed.protocol import JOB_HEARTBEAT_SECONDS, pack, unpack

log = logging.getLogger(__name__)

SWEEP_ABORT_SECONDS = 1.0
"""How long a sweep waits for a stuck stage's worker to confirm its abort before running it again."""
DEQUEUE_GRACE_SECONDS = float(JOB_HEARTBEAT_SECONDS)
"""A job queued but in the active list this long was taken by a worker that died at once."""
POLL_SECONDS = 0.25
"""How often a wait for a job's change (the sweep's) reads the job, and a failed dequeue waits."""
ABORTS = (Status.ABORTING, Status.ABORTED)


class StageQueue(RedisQueue):
    """One of the workers' stage queues (draw or listen), its jobs in msgpack."""

    def __init__(self, redis: object, name: str) -> None:
        super().__init__(redis, name=name, dump=pack, load=unpack)  # type: ignore[arg-type]
        self._queued_in_active: dict[bytes, float] = {}
        """Jobs a sweep found queued in the active list, and when it first did."""

    def _aborted(self, stored: Job | None, unless: str | None) -> bool:
        """Whether ``stored`` is aborted, other than with the error ``unless``."""
        return stored is not None and stored.status in ABORTS and stored.error != unless

    async def _transaction(
        self, job: Job, write: Callable[[Pipeline, Job | None], None]
    ) -> list[Any]:
        """``write`` the stage (commands queued on a MULTI pipeline), given it as stored, in one
        transaction with the read: done again if the stage changed in between (WATCH). The
        commands' results."""

        async def run(pipe: Pipeline) -> None:
            stored = self.deserialize(await pipe.get(job.id))
            pipe.multi()
            write(pipe, stored)

        return await self.redis.transaction(run, job.id)

    async def _update(self, job: Job, status: Status | None = None, **kwargs: Any) -> None:
        """SAQ's, except that an abort stored meanwhile stays (its status and error), and a stage
        Redis no longer holds is not written back."""
        written = False

        def write(pipe: Pipeline, stored: Job | None) -> None:
            nonlocal written
            if stored is None:
                return
            if status is None or stored.status in ABORTS:
                job.status = stored.status
                if stored.status in ABORTS:
                    job.error = stored.error
            else:
                job.status = status
            pipe.set(job.id, self.serialize(job))
            written = True

        await self._transaction(job, write)
        if written:
            await self.notify(job)

    async def abort(self, job: Job, error: str, ttl: float = 5) -> None:
        """SAQ's, except that a sweep's abort does not replace the bot's (the sweep would then
        run again a stage its user cancelled)."""

        def write(pipe: Pipeline, stored: Job | None) -> None:
            if error == self.swept_error_message and self._aborted(stored, error):
                return
            job.status, job.error = Status.ABORTING, error
            pipe.lrem(self._queued, 0, job.id).zrem(self._incomplete, job.id)
            pipe.set(job.id, self.serialize(job)).setex(job.abort_id, int(ttl), error)
            pipe.publish(job.id, job.status)

        async with self._op_sem:
            results = await self._transaction(job, write)
        if not results:
            log.info("Not sweeping %s: the bot cancelled it", job.id)
        elif results[0]:  # it was only queued: no worker finishes the abort
            await self.finish(job, Status.ABORTED, error=error)
            await self.redis.delete(job.abort_id)
        else:
            await self.redis.lrem(self._active, 0, job.id)

    async def _retry(self, job: Job, error: str | None) -> None:
        """SAQ's, except that a stage aborted meanwhile (other than by this retry's own sweep)
        is finished as aborted, not queued: a worker stopped before it noticed the bot's abort
        hands the stage back."""
        aborted: Job | None = None
        delay = job.next_retry_delay()

        def write(pipe: Pipeline, stored: Job | None) -> None:
            nonlocal aborted
            aborted = stored if self._aborted(stored, error) else None
            if aborted is not None:
                return
            pipe.lrem(self._active, 1, job.id).lrem(self._queued, 1, job.id)
            if delay:
                pipe.zadd(self._incomplete, {job.id: time.time() + delay})
            else:
                pipe.zadd(self._incomplete, {job.id: job.scheduled}).rpush(self._queued, job.id)
            pipe.set(job.id, self.serialize(job))

        await self._transaction(job, write)
        if aborted is None:
            await self.notify(job)
        else:
            log.info("Not retrying %s: aborted (%s)", job.id, aborted.error)
            await self.finish(job, Status.ABORTED, error=aborted.error)

    async def dequeue(self, timeout: float = 0.0, poll_interval: float = 0.0) -> Job | None:
        try:
            return await super().dequeue(timeout, poll_interval)
        except (RedisError, OSError):
            await asyncio.sleep(POLL_SECONDS)
            raise

    async def listen(
        self,
        job_keys: Iterable[str],
        callback: ListenCallback,
        timeout: float | None = 10,
        poll_interval: float = 0.5,
    ) -> None:
        await Queue.listen(self, job_keys, callback, timeout, POLL_SECONDS)

    async def sweep(self, lock: int = 60, abort: float = SWEEP_ABORT_SECONDS) -> list[str]:
        """SAQ 0.26's sweep with the patch above."""
        if not self._cleanup_script:
            self._cleanup_script = self.redis.register_script(
                """
                local id_jobs = {}
                if redis.call('EXISTS', KEYS[1]) == 0 then
                    redis.call('SETEX', KEYS[1], ARGV[1], 1)
                    for i, v in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
                        id_jobs[i] = {v, redis.call('GET', v)}
                    end
                end
                return id_jobs
                """
            )
        id_jobs = await self._cleanup_script(
            keys=[self._sweep, self._active], args=[lock], client=self.redis
        )
        swept = []
        jobs = [(job_id, self.deserialize(job_bytes)) for job_id, job_bytes in id_jobs]
        now = time.monotonic()
        self._queued_in_active = {
            job_id: self._queued_in_active.get(job_id, now)
            for job_id, job in jobs
            if job is not None and job.status == Status.QUEUED
        }
        for job_id, job in jobs:
            if job is None:
                swept.append(job_id)
                async with self.redis.pipeline(transaction=True) as pipe:
                    await (
                        pipe.lrem(self._active, 0, job_id).zrem(self._incomplete, job_id).execute()
                    )
                log.info("Sweeping missing job %s", job_id)
                continue
            if job.status == Status.QUEUED:
                if now - self._queued_in_active[job_id] < DEQUEUE_GRACE_SECONDS:
                    continue  # a worker is taking it now
            elif job.status == Status.ACTIVE and not job.stuck:
                continue
            log.info("Sweeping job %s", job.info(log.isEnabledFor(logging.DEBUG)))
            swept.append(job_id)
            await self.abort(job, error=self.swept_error_message)
            try:
                await job.refresh(abort)
            except TimeoutError:
                log.info("Could not abort job %s", job_id)
                await job.refresh()
            if job.status in (Status.COMPLETE, Status.FAILED):
                continue  # it finished while the sweep waited: its result stands
            if job.retryable:
                await self.retry(job, error=self.swept_error_message)
            else:
                await self.finish(job, Status.ABORTED, error=self.swept_error_message)
        return [job_id.decode("utf-8") for job_id in swept]
