"""The distributed backend: the bot keeps the queue, GPU workers run its stages, through SAQ on Redis.

The bot process runs the embedded :class:`~bot.queue.lifecycle.JobQueue` unchanged, so fair order, per-user
limits, positions, events, the store and restart recovery stay in one place. Its stage runner is
:class:`RemoteEngines`: ``listen`` and ``draw`` each become a SAQ job that a ``python -m bot
worker`` process (:mod:`bot.distributed.worker`) takes from Redis, and the queue draws as many jobs at once as
the ready workers have draw slots (each worker's ``image.batch_jobs``; one worker per GPU).

Delivery is at least once, the reply exactly once: a worker touches its running stages (SAQ's job
heartbeat), and the workers' sweepers run a stage again whose worker stopped touching it; the bot
reads each stage's result once and finishes each job once. A stage's SAQ key is derived from the
bot's job id, so a restarted bot attaches to a stage still queued, running or finished instead of
drawing it again. Progress and completion arrive through SAQ's pub/sub notifications, on a
subscription of the project's own that survives Redis restarts
(:mod:`bot.distributed.notifications`); a stage is read again after each re-subscription. While
Redis is unreachable the bot refuses new jobs with a friendly message; stages in flight are sent
again when it is back (under the same key, so one that Redis kept is not queued twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from redis.exceptions import RedisError
from saq.job import Job as StageJob
from saq.job import Status
from saq.queue.redis import RedisQueue

from bot.config import Settings
from bot.distributed.blobs import blob_store
from bot.distributed.notifications import StageNotifications
from bot.distributed.protocol import (
    DRAW_QUEUE,
    LISTEN_QUEUE,
    VERSION,
    WORKER_PREFIX,
    WorkerInfo,
    connect,
    goodbye,
    outcome,
    queue,
    read_heartbeats,
    redacted,
    stage_key,
    stage_options,
)
from bot.domain.errors import UserFacingError
from bot.domain.options import GenerationOptions, Variation
from bot.domain.records import known_fields
from bot.domain.results import GeneratedImage, PreviewCallback, SpeechResult, StepCallback
from bot.infra.tasks import stop_tasks
from bot.queue.lifecycle import JobQueue

log = logging.getLogger(__name__)

WATCH_SECONDS = 1.0
"""How often the bot checks Redis and reads the heartbeats."""
TICK_SECONDS = 0.1
"""How often a waiting stage looks at its (local) stop flag and at Redis being reachable."""
RECHECK_SECONDS = 2.0
"""A waiting stage reads its job again after this long without a notification (one it missed)."""
LOST_WORKER_SECONDS = 30.0
"""How long ``status`` mentions a worker that vanished without saying goodbye."""
ATTACHABLE = {Status.NEW, Status.QUEUED, Status.ACTIVE, Status.COMPLETE, Status.FAILED}
"""A stage found under a job's key in these states is that job's: the bot waits for it."""


class StageStopped(Exception):
    """A remote stage given up because its ``should_stop()`` turned true."""


class _Lost(Exception):
    """Redis no longer knows the stage: it restarted without its data."""


class RemoteEngines:
    """The workers' engines as the bot process sees them: the queue's stage runner (each stage a
    SAQ job), and what replies and ``/status`` show of the engines, from the workers' heartbeats."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._redis = connect(settings.queue.redis_url)
        self._queues = {
            "listen": queue(self._redis, LISTEN_QUEUE),
            "draw": queue(self._redis, DRAW_QUEUE),
        }
        self.notifications = StageNotifications(
            connect(settings.queue.redis_url, read_timeout=None),
            [stage_queue.job_id("*") for stage_queue in self._queues.values()],
        )
        self._blobs = blob_store(settings.queue.blob_dir, settings.queue.blob_threshold_bytes)
        self._tasks: list[asyncio.Task[None]] = []
        self._detached = False
        self.checked = False
        """Whether the bot has asked Redis yet (``status`` says "connecting" until then)."""
        self.available = False
        """Whether Redis answered the last time the bot asked."""
        self.workers: dict[str, WorkerInfo] = {}
        """Live workers by name, as of the last heartbeats read."""
        self.lost: dict[str, float] = {}
        """Workers whose heartbeat expired (they died), by name: when that was noticed."""
        self.on_capacity: Callable[[int], None] = lambda draw_slots: None
        """Called with the draw slots of the ready workers, every time their heartbeats are read."""

    @property
    def ready(self) -> bool:
        return self.available and any(worker.ready for worker in self.workers.values())

    @property
    def status(self) -> str:
        if not self.checked:
            return "connecting to the job queue (Redis)"
        if not self.available:
            return "the job queue (Redis) is unreachable"
        ready = sum(worker.ready for worker in self.workers.values())
        lost = [
            name
            for name, when in self.lost.items()
            if time.monotonic() - when < LOST_WORKER_SECONDS
        ]
        note = f"; worker {lost[-1]} was lost, its jobs go to the others" if lost else ""
        if ready:
            return f"{ready} worker{'s' * (ready > 1)} ready{note}"
        starting = next(iter(self.workers.values()), None)
        waiting = (
            f"worker {starting.name}: {starting.status}" if starting else "waiting for a worker"
        )
        return waiting + note

    @property
    def device(self) -> str:
        workers = self.workers.values()
        return ", ".join(f"{w.device} ({w.name})" for w in workers) or "no worker connected"

    @property
    def speech_models(self) -> list[str]:
        """The Whisper models loaded in any worker."""
        return sorted({model for worker in self.workers.values() for model in worker.speech_models})

    @property
    def model_name(self) -> str:
        ready = (worker.model for worker in self.workers.values() if worker.ready)
        return next(ready, self._settings.image.display_name)

    def start_loading(self) -> None:
        """Start following Redis and the workers' heartbeats (idempotent)."""
        if not self._tasks:
            self._tasks = [asyncio.create_task(self._watch(), name="redis-watch")]
            self.notifications.start()

    def detach(self) -> None:
        """From now on a stage told to stop is left running on its worker, for the next bot to
        adopt (the bot is shutting down), instead of being aborted."""
        self._detached = True

    async def close(self) -> None:
        await stop_tasks(self._tasks)
        await self.notifications.close()
        disconnects = [stage_queue.disconnect() for stage_queue in self._queues.values()]
        await goodbye(*disconnects, self._redis.aclose())

    # ---- the stage runner ------------------------------------------------------------------

    async def listen(
        self,
        audio: bytes,
        filename: str | None = None,
        *,
        model: str | None = None,
        language: str | None = None,
        job_id: str,
    ) -> SpeechResult:
        request = {"audio": audio, "filename": filename, "model": model, "language": language}
        return SpeechResult.from_dict(await self._run("listen", job_id, request))

    async def draw(
        self,
        options: GenerationOptions,
        on_step: StepCallback,
        should_stop: Callable[[], bool],
        *,
        variation: Variation | None = None,
        safety_check: bool = True,
        job_id: str,
        on_preview: PreviewCallback | None = None,
        preview_check: bool = False,
    ) -> list[GeneratedImage]:
        """The draw stage on a worker; its live previews travel with its progress (a worker of
        an older version sends none)."""
        preview = "off" if on_preview is None else "checked" if preview_check else "shown"
        request = {
            "options": options.to_dict(),
            "variation": asdict(variation) if variation else None,
            "safety_check": safety_check,
            "preview": preview,
        }
        progress = _Progress(on_step, on_preview)
        reply = await self._run("draw", job_id, request, progress, should_stop)
        return [GeneratedImage(**known_fields(GeneratedImage, image)) for image in reply]

    async def _run(
        self,
        stage: str,
        job_id: str,
        kwargs: dict[str, Any],
        progress: _Progress | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> Any:
        """Have a worker run one stage, or find it already run or running; return its reply.
        Sent again after Redis lost it."""
        stage_queue, key = self._queues[stage], stage_key(stage, job_id)
        while True:
            while not self.available:
                if should_stop():
                    raise StageStopped
                await asyncio.sleep(TICK_SECONDS)
            try:
                job = await self._attach(stage_queue, key, stage, kwargs)
                if job is not None:
                    return await self._follow(job, progress, should_stop)
                await asyncio.sleep(TICK_SECONDS)  # an aborted stage still holds the key
            except _Lost:
                log.warning("Redis lost stage %s; sending it again", key)
            except (RedisError, OSError) as error:
                self._unreachable(error)

    async def _attach(
        self, stage_queue: RedisQueue, key: str, stage: str, kwargs: dict[str, Any]
    ) -> StageJob | None:
        """The stage under ``key``: the one already there (a previous bot's, or one Redis kept
        through an outage), else a new one; None while an aborted one still holds the key."""
        job = await stage_queue.job(key)
        if job is not None and job.status in ATTACHABLE:
            if job.attempts or job.status is not Status.QUEUED:
                log.info("attaching to stage %s (%s)", key, job.status.value)
            return job
        options = stage_options(stage)
        return await stage_queue.enqueue(stage, key=key, v=VERSION, **options, **kwargs)

    async def _follow(
        self, job: StageJob, progress: _Progress | None, should_stop: Callable[[], bool]
    ) -> Any:
        """Wait for the stage's result, passing on its progress; abort it if it should stop."""
        stage_queue = job.get_queue()
        with self.notifications.watching(job.id) as changed:  # before the first read
            while True:
                changed.clear()
                current = await stage_queue.job(job.key)
                if current is None:
                    raise _Lost
                if current.status is Status.COMPLETE:
                    return outcome(await self._unwrap(current.result))
                if current.status in (Status.FAILED, Status.ABORTED):  # (aborting: swept, retried)
                    raise RuntimeError(f"stage {job.key} {current.status.value}: {current.error}")
                if progress is not None:
                    progress.read(current.meta)
                await self._next_change(changed, current, should_stop)

    async def _next_change(
        self, changed: asyncio.Event, job: StageJob, should_stop: Callable[[], bool]
    ) -> None:
        deadline = time.monotonic() + RECHECK_SECONDS
        while not changed.is_set() and time.monotonic() < deadline:
            if should_stop():
                if not self._detached:
                    await job.get_queue().abort(job, "cancelled by the bot")
                raise StageStopped
            if not self.available:
                raise ConnectionError("Redis is unreachable")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(TICK_SECONDS):
                    await changed.wait()

    async def _unwrap(self, reply: dict[str, Any]) -> dict[str, Any]:
        if "blob" not in reply:
            return reply
        if self._blobs is None:
            raise RuntimeError("a worker sent a result through queue.blob_dir, unset in the bot")
        return await asyncio.to_thread(self._blobs.unwrap, reply)

    # ---- Redis and the workers -------------------------------------------------------------

    async def _watch(self) -> None:
        while True:
            try:
                await self._check()
            except Exception:
                log.exception("reading the workers' heartbeats failed; trying again")
            await asyncio.sleep(WATCH_SECONDS)

    async def _check(self) -> None:
        try:
            keys = [key async for key in self._redis.scan_iter(match=WORKER_PREFIX + "*")]
            beats = await self._redis.mget(keys) if keys else []
        except (RedisError, OSError) as error:
            self._unreachable(error)
            workers = {}
        else:
            if not self.available:
                log.info("Redis is reachable; taking jobs")
            self.available = True
            workers = {worker.name: worker for worker in read_heartbeats(beats)}
        finally:
            self.checked = True
        now = time.monotonic()
        if self.available:
            for name in self.workers.keys() - workers.keys():
                self.lost[name] = now
        for name, when in list(self.lost.items()):
            if name in workers or now - when >= LOST_WORKER_SECONDS:
                del self.lost[name]
        self.workers = workers
        self.on_capacity(sum(w.draw_slots for w in workers.values() if w.ready))

    def _unreachable(self, error: Exception) -> None:
        if self.available:
            log.warning("Redis is unreachable (%s); refusing new jobs until it is back", error)
        elif not self.checked:  # once at start: the admin's to fix
            log.warning(
                "Redis at %s is unreachable (%s): new requests are refused until it answers. "
                "Fix: start Redis, or point queue.redis_url at it",
                redacted(self._settings.queue.redis_url),
                error,
            )
        self.available = False


class _Progress:
    """Passes on what a running draw's ``meta`` tells (see ``bot/distributed/protocol.py``):
    its newest step and live preview, each once."""

    def __init__(self, on_step: StepCallback, on_preview: PreviewCallback | None) -> None:
        self._on_step, self._on_preview = on_step, on_preview
        self._step: list[int] | None = None
        self._preview = -1

    def read(self, meta: dict[str, Any]) -> None:
        step, preview = meta.get("step"), meta.get("preview")
        if step is not None and step != self._step:
            self._step = step
            self._on_step(*step)
        if self._on_preview is not None and preview is not None and preview[0] != self._preview:
            self._preview = preview[0]
            self._on_preview(preview[1])


class RedisJobQueue(JobQueue):
    """The queue of the distributed backend: the embedded one, drawing on every ready worker at
    once and refusing new jobs while Redis is unreachable."""

    def __init__(self, engines: RemoteEngines, *args: Any, **kwargs: Any) -> None:
        """As :class:`JobQueue`, with the workers' engines as the stage runner."""
        super().__init__(engines, *args, **kwargs)
        self._engines = engines
        self.set_draw_slots(0)  # until workers are seen
        engines.on_capacity = self.set_draw_slots

    def check_admission(self, user_id: int, *, user_limit: int | None = None) -> None:
        super().check_admission(user_id, user_limit=user_limit)
        if not self._engines.available:
            raise UserFacingError("queue-unavailable", kind="queue_unavailable")

    async def stop(self, *, grace: float = 0.0) -> None:
        """Stop serving; draws still running on workers are left to them, for the next bot."""
        self._engines.detach()
        await super().stop(grace=grace)
        await self._engines.close()
