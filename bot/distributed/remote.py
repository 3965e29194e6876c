"""The distributed backend: the bot keeps the queue, GPU workers run its stages, through arq on Redis.

The bot process runs the embedded :class:`~bot.queue.lifecycle.JobQueue` unchanged, so fair order, per-user
limits, positions, events, the store and restart recovery stay in one place. Its stage runner is
:class:`RemoteEngines`: ``listen`` and ``draw`` each become an arq job that a ``python -m bot
worker`` process (:mod:`bot.distributed.worker`) takes from Redis, and the queue draws as many jobs at once as
the ready workers have draw slots (each worker's ``image.batch_jobs``; one worker per GPU).

Delivery is at least once, the reply exactly once: a worker renews its claim on a running job (arq's
in-progress key) ``LEASE_SECONDS`` at a time, so a killed worker's job goes back to the others
within a lease; the bot reads each stage's result once and finishes each job once. While Redis is
unreachable the bot refuses new jobs with a friendly message; stages in flight are sent again when
it is back (under the same arq job id, so one that Redis kept is not queued twice). Everything
crosses Redis as msgpack, never pickle.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import msgpack
from arq.connections import ArqRedis
from arq.constants import abort_jobs_ss, result_key_prefix
from arq.jobs import deserialize_result
from arq.utils import timestamp_ms
from redis.asyncio import ConnectionPool
from redis.exceptions import RedisError

from bot.config import Limits, QueueSettings, Settings
from bot.domain.errors import UserFacingError
from bot.domain.options import GenerationOptions, Variation
from bot.domain.results import GeneratedImage, SpeechResult, StepCallback
from bot.queue.lifecycle import JobQueue, PromptCheck
from bot.queue.stages import Fetch

if TYPE_CHECKING:
    from bot.infra.store import JobStore

log = logging.getLogger(__name__)

LISTEN_QUEUE = "s2i:listen"
DRAW_QUEUE = "s2i:draw"
WORKER_PREFIX = "s2i:worker:"
"""``+ name``: a worker's heartbeat, a :class:`WorkerInfo` that expires unless renewed."""
PROGRESS_PREFIX = "s2i:progress:"
"""``+ arq job id``: the latest ``[done, total]`` of a running draw."""
LEASE_SECONDS = 10.0
"""How long a worker's claim on a job outlives its last renewal."""
TEND_SECONDS = 0.5
"""How often a worker renews its claim and shares its latest step."""
HEARTBEAT_SECONDS = 1.0
HEARTBEAT_TTL_SECONDS = 3.0
WATCH_SECONDS = 1.0
"""How often the bot checks Redis and reads the heartbeats."""
POLL_SECONDS = 0.2
"""How often the bot looks for a stage's result, progress and cancellation."""
RESULT_TTL_SECONDS = 600
"""Results a bot never collected (it was away) expire after this."""

QUEUE_UNAVAILABLE = (
    "My job queue is unreachable right now, so I can't take new requests. "
    "Please try again in a minute."
)


def pack(data: Any) -> bytes:
    return msgpack.packb(data, default=_describe)


def unpack(raw: bytes) -> Any:
    return msgpack.unpackb(raw)


def _describe(value: object) -> str:
    """arq records a failed job's exception: it travels as text."""
    if isinstance(value, BaseException):
        return f"{type(value).__name__}: {value}"
    raise TypeError(f"cannot serialize {type(value).__name__}")


def connect(url: str) -> ArqRedis:
    """A Redis client for arq that fails fast while Redis is away (the callers retry)."""
    pool = ConnectionPool.from_url(
        url, socket_connect_timeout=2, socket_timeout=15, health_check_interval=15
    )
    return ArqRedis(pool, job_serializer=pack, job_deserializer=unpack)


def refusal(error: UserFacingError) -> dict[str, Any]:
    """A stage's reply when the user's input or a limit stopped it."""
    return {"error": str(error), "kind": error.kind}


@dataclass(frozen=True)
class WorkerInfo:
    """What a worker's heartbeat tells the bot."""

    name: str
    """``host:pid``."""
    model: str
    device: str
    speech_models: list[str]
    status: str
    ready: bool
    drawn: int = 0
    heard: int = 0
    drawing: str | None = None
    """The arq job id of a draw it is running (the oldest)."""
    draw_slots: int = 1
    """Draws it takes at once (``image.batch_jobs``: matching ones are drawn in one batch)."""


class StageStopped(Exception):
    """A remote stage given up because its ``should_stop()`` turned true."""


class _Lost(Exception):
    """Redis no longer knows the stage: it restarted without its data."""


class RemoteEngines:
    """The workers' engines as the bot process sees them: the queue's stage runner (each stage an
    arq job), and what replies and ``/status`` show of the engines, from the workers' heartbeats."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._redis = connect(settings.queue.redis_url)
        self._watcher: asyncio.Task[None] | None = None
        self.available = False
        """Whether Redis answered the last time the bot asked."""
        self.workers: dict[str, WorkerInfo] = {}
        """Live workers by name, as of the last heartbeats read."""
        self.on_capacity: Callable[[int], None] = lambda draw_slots: None
        """Called with the draw slots of the ready workers, every time their heartbeats are read."""

    @property
    def ready(self) -> bool:
        return self.available and any(worker.ready for worker in self.workers.values())

    @property
    def status(self) -> str:
        if not self.available:
            return "the job queue (Redis) is unreachable"
        ready = sum(worker.ready for worker in self.workers.values())
        if ready:
            return f"{ready} worker{'s' * (ready > 1)} ready"
        starting = next(iter(self.workers.values()), None)
        return f"worker {starting.name}: {starting.status}" if starting else "waiting for a worker"

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
        if self._watcher is None:
            self._watcher = asyncio.create_task(self._watch(), name="redis-watch")

    async def close(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            await asyncio.gather(self._watcher, return_exceptions=True)
        await self._redis.aclose()

    # ---- the stage runner ------------------------------------------------------------------

    async def listen(
        self, audio: bytes, filename: str | None = None, *, model: str | None = None
    ) -> SpeechResult:
        request = {"audio": audio, "filename": filename, "model": model}
        return SpeechResult(**await self._run("listen", LISTEN_QUEUE, request))

    async def draw(
        self,
        options: GenerationOptions,
        on_step: StepCallback,
        should_stop: Callable[[], bool],
        *,
        variation: Variation | None = None,
        safety_check: bool = True,
    ) -> list[GeneratedImage]:
        request = {
            "options": options.to_dict(),
            "variation": asdict(variation) if variation else None,
            "safety_check": safety_check,
        }
        reply = await self._run("draw", DRAW_QUEUE, request, on_step, should_stop)
        return [GeneratedImage(**image) for image in reply]

    async def _run(
        self,
        function: str,
        queue: str,
        kwargs: dict[str, Any],
        on_step: StepCallback | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> Any:
        """Have a worker run one stage; return its reply. Sent again after Redis was away."""
        job_id = uuid.uuid4().hex
        while True:
            while not self.available:
                if should_stop():
                    raise StageStopped
                await asyncio.sleep(POLL_SECONDS)
            try:
                # None when Redis still holds the job (or its result) from before an outage
                await self._redis.enqueue_job(function, _job_id=job_id, _queue_name=queue, **kwargs)
                return await self._outcome(job_id, queue, on_step, should_stop)
            except _Lost:
                log.warning("Redis lost %s job %s; sending it again", function, job_id)
            except (RedisError, OSError) as error:
                self._unreachable(error)

    async def _outcome(
        self,
        job_id: str,
        queue: str,
        on_step: StepCallback | None,
        should_stop: Callable[[], bool],
    ) -> Any:
        """Wait for the stage's result, passing on its progress; abort it if it should stop."""
        step = None
        while True:
            async with self._redis.pipeline(transaction=True) as reads:
                reads.get(result_key_prefix + job_id)
                reads.zscore(queue, job_id)
                reads.get(PROGRESS_PREFIX + job_id)
                raw, score, progress = await reads.execute()
            if raw is not None:
                result = deserialize_result(raw, deserializer=unpack)
                await self._redis.delete(result_key_prefix + job_id, PROGRESS_PREFIX + job_id)
                return _reply(result.success, result.result, result.function)
            if score is None:
                raise _Lost
            if on_step is not None and progress is not None and progress != step:
                step = progress
                on_step(*unpack(progress))
            if should_stop():
                await self._redis.zadd(abort_jobs_ss, {job_id: timestamp_ms()})
                raise StageStopped
            await asyncio.sleep(POLL_SECONDS)

    # ---- Redis and the workers -------------------------------------------------------------

    async def _watch(self) -> None:
        while True:
            try:
                workers = await self._read_workers()
            except (RedisError, OSError) as error:
                self._unreachable(error)
                workers = {}
            else:
                if not self.available:
                    log.info("Redis is reachable; taking jobs")
                self.available = True
            self.workers = workers
            self.on_capacity(sum(w.draw_slots for w in workers.values() if w.ready))
            await asyncio.sleep(WATCH_SECONDS)

    async def _read_workers(self) -> dict[str, WorkerInfo]:
        keys = [key async for key in self._redis.scan_iter(match=WORKER_PREFIX + "*")]
        beats = await self._redis.mget(keys) if keys else []
        workers = (WorkerInfo(**unpack(beat)) for beat in beats if beat is not None)
        return {worker.name: worker for worker in workers}

    def _unreachable(self, error: Exception) -> None:
        if self.available:
            log.warning("Redis is unreachable (%s); refusing new jobs until it is back", error)
        self.available = False


def _reply(success: bool, reply: Any, function: str) -> Any:
    """A stage's result: its payload, or the user-facing refusal or the failure it reports."""
    if not success:
        raise RuntimeError(f"the {function} stage failed on a worker: {reply}")
    if "error" in reply:
        raise UserFacingError(reply["error"], kind=reply["kind"])
    return reply["ok"]


class RedisJobQueue(JobQueue):
    """The queue of the distributed backend: the embedded one, drawing on every ready worker at
    once and refusing new jobs while Redis is unreachable."""

    def __init__(
        self,
        engines: RemoteEngines,
        settings: QueueSettings,
        limits: Limits,
        store: JobStore | None = None,
        prompt_check: PromptCheck | None = None,
        fetch: Fetch | None = None,
    ) -> None:
        super().__init__(engines, settings, limits, store, prompt_check, fetch)
        self._engines = engines
        self.set_draw_slots(0)  # until workers are seen
        engines.on_capacity = self.set_draw_slots

    def check_admission(self, user_id: int, *, user_limit: int | None = None) -> None:
        super().check_admission(user_id, user_limit=user_limit)
        if not self._engines.available:
            raise UserFacingError(QUEUE_UNAVAILABLE, kind="queue_unavailable")

    async def stop(self, *, grace: float = 0.0) -> None:
        await super().stop(grace=grace)
        await self._engines.close()
