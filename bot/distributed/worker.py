"""``python -m bot worker``: one GPU worker of the distributed backend (:mod:`bot.distributed.remote`).

It loads the engines once, then takes stage jobs from Redis through SAQ: ``image.batch_jobs`` draws
at a time, which its image engine draws in one batch when they match (run one worker per GPU, e.g.
with ``CUDA_VISIBLE_DEVICES``), speech ``queue.speech_workers`` at a time.
While a stage runs the worker touches it (SAQ's job heartbeat) and publishes a draw's latest step;
its sweeper runs again the stages of workers that stopped touching theirs (they died). A heartbeat
of its own tells the bot that it is alive and what it is doing. A lost Redis is waited out with the
models still loaded; SIGTERM hands running stages back at once, and the process has exited within
``shutdown.bound_seconds`` (:mod:`bot.infra.process`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import AsyncIterator, Awaitable
from dataclasses import asdict, dataclass, field
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError
from saq.job import Job as StageJob
from saq.worker import Worker as SaqWorker

from bot.config import Settings
from bot.distributed.blobs import BlobStore, blob_store
from bot.distributed.protocol import (
    DRAW_QUEUE,
    HEARTBEAT_SECONDS,
    HEARTBEAT_TTL_SECONDS,
    LISTEN_QUEUE,
    TEND_SECONDS,
    VERSION,
    WORKER_PREFIX,
    WorkerInfo,
    connect,
    failure,
    goodbye,
    refusal,
)
from bot.distributed.stage_queue import StageQueue
from bot.domain.errors import UserFacingError
from bot.domain.options import GenerationOptions, Variation
from bot.domain.records import known_fields
from bot.engines.hub import ModelLoadError
from bot.engines.runner import Engines
from bot.infra.metrics import HealthReport, MetricsServer
from bot.infra.process import ExitCode, run_process
from bot.infra.tasks import stop_task

log = logging.getLogger(__name__)

RECONNECT_SECONDS = 2.0
TICK_SECONDS = 0.25
SWEEP_SECONDS = 1
"""How often some worker looks for stages whose worker stopped touching them."""
ABORT_SECONDS = 0.5
"""How often a worker looks for aborts of its running stages."""
MAX_RESULT_BYTES = 64 * 1024 * 1024
"""The largest set of pictures sent back."""

NOT_REDIS = (
    'error: a worker serves the distributed queue: set queue.backend = "redis" (and '
    "queue.redis_url) in the config file, or S2I_QUEUE__BACKEND=redis, for the bot and its workers"
)


def run_worker(settings: Settings) -> int:
    """``python -m bot worker``: serve until SIGINT or SIGTERM; the process has exited within
    ``shutdown.bound_seconds`` of the first signal (running stages are handed back at once)."""
    if settings.queue.backend != "redis":
        print(NOT_REDIS, file=sys.stderr)
        return ExitCode.CONFIG
    run_process(
        lambda signals: _serve(settings, signals.requested), settings.shutdown.bound_seconds
    )


class _Taker(SaqWorker):
    """SAQ's worker, without its own signal handlers (this process has its own)."""

    SIGNALS: list[signal.Signals] = []  # noqa: RUF012 (SAQ's class attribute)


@dataclass
class _Worker:
    """This process: its engines, what its heartbeat reports, and its two stages as SAQ runs them."""

    engines: Engines
    blobs: BlobStore | None = None
    name: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    drawn: int = 0
    heard: int = 0
    drawing: list[str] = field(default_factory=list)
    """The stage keys of the draws running now, oldest first."""
    redis_reachable: bool = False
    """Whether the last heartbeat reached Redis."""

    def health(self) -> HealthReport:
        """For ``/healthz``: the models loaded, and Redis reachable."""
        engines = self.engines
        return HealthReport(
            {
                "models": engines.ready or engines.status,
                "queue": self.redis_reachable or "Redis unreachable",
            }
        )

    def info(self) -> WorkerInfo:
        engines = self.engines
        return WorkerInfo(
            name=self.name,
            model=engines.model_name,
            device=engines.device,
            speech_models=engines.speech_models,
            status=engines.status,
            ready=engines.ready,
            drawn=self.drawn,
            heard=self.heard,
            drawing=self.drawing[0] if self.drawing else None,
            draw_slots=engines.draw_slots if engines.ready else 0,
        )

    async def listen(
        self,
        ctx: dict[str, Any],
        *,
        audio: bytes,
        filename: str | None,
        model: str | None,
        language: str | None = None,
        **newer: Any,
    ) -> dict[str, Any]:
        """The speech stage; ``newer``: fields of a newer bot, ignored (an older bot sends no
        ``language``)."""
        async with _tending(ctx["job"]):
            try:
                speech = await self.engines.listen(audio, filename, model=model, language=language)
            except UserFacingError as error:
                return refusal(error)
            except Exception as error:
                log.exception("the speech stage failed")
                return failure(error)
        self.heard += 1
        return {"v": VERSION, "ok": asdict(speech)}

    async def draw(
        self,
        ctx: dict[str, Any],
        *,
        options: dict[str, Any],
        variation: dict[str, Any] | None,
        safety_check: bool,
        preview: str = "off",
        **newer: Any,
    ) -> dict[str, Any]:
        """The image stage; its live previews (``preview``: off, shown or checked; an older bot
        sends none) travel with its progress. ``newer``: fields of a newer bot, ignored."""
        job: StageJob = ctx["job"]
        steps = _Steps()
        stop = threading.Event()
        self.drawing.append(job.key)
        try:
            async with _tending(job, steps):
                images = await self.engines.draw(
                    GenerationOptions(**known_fields(GenerationOptions, options)),
                    steps.on_step,
                    stop.is_set,
                    variation=Variation(**known_fields(Variation, variation))
                    if variation
                    else None,
                    safety_check=safety_check,
                    on_preview=None if preview == "off" else steps.on_preview,
                    preview_check=preview == "checked",
                )
        except asyncio.CancelledError:
            stop.set()  # aborted, or handed back: the draw thread stops at its next step
            raise
        except UserFacingError as error:
            return refusal(error)
        except Exception as error:
            log.exception("the image stage failed")
            return failure(error)
        finally:
            self.drawing.remove(job.key)
        self.drawn += 1
        if sum(len(image.png) for image in images) > MAX_RESULT_BYTES:
            return refusal(UserFacingError("pictures-too-large", kind="too_large"))
        reply = {"v": VERSION, "ok": [asdict(image) for image in images]}
        return reply if self.blobs is None else await asyncio.to_thread(self.blobs.wrap, reply)


async def _serve(settings: Settings, stop: asyncio.Event) -> int:
    queue = settings.queue
    worker = _Worker(Engines(settings), blob_store(queue.blob_dir, queue.blob_threshold_bytes))
    redis = connect(settings.queue.redis_url)
    heartbeat = asyncio.create_task(_beat(redis, worker))
    metrics = MetricsServer(settings.metrics, worker.health) if settings.metrics.enabled else None
    if metrics is not None:
        await metrics.start()
    try:
        if not await _unless(stop, worker.engines.wait_ready()):
            return 0
        log.info("worker %s ready", worker.name)
        while not stop.is_set():
            if worker.redis_reachable:
                await _take_jobs(settings, worker, stop)
            else:
                log.warning("Redis is unreachable; retrying in %.0f s", RECONNECT_SECONDS)
                await _unless(stop, asyncio.sleep(RECONNECT_SECONDS))
    except ModelLoadError:
        return ExitCode.FAILED  # the engines logged it, with the fix
    finally:
        await stop_task(heartbeat)
        if metrics is not None:
            await metrics.stop()
        await goodbye(_leave(redis, worker.name))
        # The engines are left as they are: a model still loading cannot be interrupted, and
        # the process exits without waiting for it.
    return ExitCode.OK


async def _leave(redis: Redis, name: str) -> None:
    """Remove this worker's heartbeat (the bot sees it gone at once), then disconnect."""
    try:
        await redis.delete(WORKER_PREFIX + name)
    finally:
        await redis.aclose()


async def _unless(stop: asyncio.Event, work: Awaitable[None]) -> bool:
    """Await ``work`` unless ``stop`` is set first; True if it completed."""
    task, stopping = asyncio.ensure_future(work), asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    task.cancel()
    stopping.cancel()
    if task in done:
        task.result()
    return task in done


async def _beat(redis: Redis, worker: _Worker) -> None:
    """Tell the bot every second that this worker lives, and what it is doing."""
    ttl_ms = int(HEARTBEAT_TTL_SECONDS * 1000)
    while True:
        try:
            await redis.set(WORKER_PREFIX + worker.name, worker.info().payload(), px=ttl_ms)
            worker.redis_reachable = True
        except (RedisError, OSError):
            worker.redis_reachable = False
        await asyncio.sleep(HEARTBEAT_SECONDS)


async def _take_jobs(settings: Settings, worker: _Worker, stop: asyncio.Event) -> None:
    """Run SAQ's workers on the two stage queues until ``stop`` is set or Redis is lost. Stages
    still running are cancelled, which SAQ answers by queueing them again (if Redis answers; else
    the sweep of a worker runs them again once their heartbeat is stale)."""
    redis = connect(settings.queue.redis_url)
    stages = (
        (DRAW_QUEUE, worker.draw, worker.engines.draw_slots),
        (LISTEN_QUEUE, worker.listen, settings.queue.speech_workers),
    )
    takers = [
        _Taker(
            StageQueue(redis, name),
            [(function.__name__, function)],
            id=f"{worker.name}:{name}",
            concurrency=slots,
            timers={"sweep": SWEEP_SECONDS, "abort": ABORT_SECONDS},  # type: ignore[typeddict-item]
            dequeue_timeout=1.0,
        )
        for name, function, slots in stages
    ]
    runs = [asyncio.create_task(taker.start()) for taker in takers]
    try:
        while not stop.is_set() and worker.redis_reachable and not any(r.done() for r in runs):
            await _unless(stop, asyncio.sleep(TICK_SECONDS))
    finally:
        for taker in takers:
            await taker.stop()
        await asyncio.gather(*runs, return_exceptions=True)
        await goodbye(*(taker.queue.disconnect() for taker in takers))


class _Steps:
    """The newest ``(done, total)`` and live preview of a draw, set from the draw thread."""

    latest: tuple[int, int] | None = None
    preview: tuple[int, bytes] | None = None
    """A count (the bot passes each preview on once) and the JPEG."""

    def on_step(self, done: int, total: int) -> None:
        self.latest = (done, total)

    def on_preview(self, preview: bytes) -> None:
        self.preview = ((self.preview or (0, b""))[0] + 1, preview)

    def meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = {"step": list(self.latest)} if self.latest else {}
        return meta | ({"preview": list(self.preview)} if self.preview else {})


@contextlib.asynccontextmanager
async def _tending(job: StageJob, steps: _Steps | None = None) -> AsyncIterator[None]:
    """While a stage runs, touch it (SAQ's job heartbeat) and publish its latest step."""
    task = asyncio.create_task(_tend(job, steps))
    try:
        yield
    finally:
        await stop_task(task)  # no touch after the result


async def _tend(job: StageJob, steps: _Steps | None) -> None:
    while True:
        with contextlib.suppress(RedisError, OSError):
            meta = steps.meta() if steps is not None else {}
            await (job.update(meta=meta) if meta else job.update())
        await asyncio.sleep(TEND_SECONDS)
