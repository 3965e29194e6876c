"""``python -m bot worker``: one GPU worker of the distributed backend (:mod:`bot.distributed.remote`).

It loads the engines once, then takes stage jobs from Redis through arq: ``image.batch_jobs`` draws
at a time, which its image engine draws in one batch when they match (run one worker per GPU, e.g.
with ``CUDA_VISIBLE_DEVICES``), speech ``queue.speech_workers`` at a time.
While a job runs the worker renews its claim on it and shares the job's latest step; a heartbeat
tells the bot that it is alive and what it is doing. A lost Redis is waited out with the models
still loaded; the jobs it was running go back to the queue. SIGTERM hands running jobs back at once.
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

from arq.connections import ArqRedis
from arq.constants import in_progress_key_prefix
from arq.worker import Worker, func
from redis.exceptions import RedisError

from bot.config import Settings
from bot.distributed.remote import (
    DRAW_QUEUE,
    HEARTBEAT_SECONDS,
    HEARTBEAT_TTL_SECONDS,
    LEASE_SECONDS,
    LISTEN_QUEUE,
    PROGRESS_PREFIX,
    RESULT_TTL_SECONDS,
    TEND_SECONDS,
    WORKER_PREFIX,
    WorkerInfo,
    connect,
    pack,
    refusal,
    unpack,
)
from bot.domain.errors import UserFacingError
from bot.domain.options import GenerationOptions, Variation
from bot.engines.hub import ModelLoadError
from bot.engines.runner import Engines
from bot.infra.metrics import HealthReport, MetricsServer

log = logging.getLogger(__name__)

RECONNECT_SECONDS = 2.0
POLL_SECONDS = 0.25
"""How often arq looks for new jobs and for aborts."""
DRAW_TIMEOUT_SECONDS = 1800
LISTEN_TIMEOUT_SECONDS = 300
MAX_TRIES = 3
"""Runs of one stage at most (a job that keeps killing its workers fails after this)."""
MAX_RESULT_BYTES = 64 * 1024 * 1024
"""The largest set of pictures sent back through Redis."""

NOT_REDIS = (
    'error: a worker serves the distributed queue: set queue.backend = "redis" (and '
    "queue.redis_url) in the config file, or S2I_QUEUE__BACKEND=redis, for the bot and its workers"
)


def run_worker(settings: Settings) -> int:
    """``python -m bot worker``: serve until SIGINT or SIGTERM."""
    if settings.queue.backend != "redis":
        print(NOT_REDIS, file=sys.stderr)
        return 2
    return asyncio.run(_serve(settings))


@dataclass
class _Worker:
    """This process: its engines, and what its heartbeat reports."""

    engines: Engines
    name: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    drawn: int = 0
    heard: int = 0
    drawing: list[str] = field(default_factory=list)
    """The arq job ids of the draws running now, oldest first."""
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


async def _serve(settings: Settings) -> int:
    worker = _Worker(Engines(settings))
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
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
            try:
                await _take_jobs(settings, worker, stop)
            except (RedisError, OSError) as error:
                log.warning(
                    "Redis is unreachable (%s); retrying in %.0f s", error, RECONNECT_SECONDS
                )
                await _unless(stop, asyncio.sleep(RECONNECT_SECONDS))
    except ModelLoadError:
        return 1  # the engines logged it, with the fix
    except Exception:
        log.exception("worker %s failed", worker.name)
        return 1
    finally:
        heartbeat.cancel()
        if metrics is not None:
            await metrics.stop()
        with contextlib.suppress(RedisError, OSError):
            await redis.delete(WORKER_PREFIX + worker.name)
        await redis.aclose()
        worker.engines.close()
    return 0


async def _unless(stop: asyncio.Event, work: Awaitable[None]) -> bool:
    """Await ``work`` unless ``stop`` is set first; True if it completed."""
    task, stopping = asyncio.ensure_future(work), asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    task.cancel()
    stopping.cancel()
    if task in done:
        task.result()
    return task in done


async def _beat(redis: ArqRedis, worker: _Worker) -> None:
    """Tell the bot every second that this worker lives, and what it is doing."""
    ttl_ms = int(HEARTBEAT_TTL_SECONDS * 1000)
    while True:
        try:
            await redis.set(WORKER_PREFIX + worker.name, pack(asdict(worker.info())), px=ttl_ms)
            worker.redis_reachable = True
        except (RedisError, OSError):
            worker.redis_reachable = False
        await asyncio.sleep(HEARTBEAT_SECONDS)


async def _take_jobs(settings: Settings, worker: _Worker, stop: asyncio.Event) -> None:
    """Run arq's job takers until ``stop`` is set, or Redis is lost (raised). Jobs still running
    are cancelled, which arq answers by putting them back in the queue for another worker."""
    redis = connect(settings.queue.redis_url)
    options: dict[str, Any] = {
        "redis_pool": redis,
        "ctx": {"worker": worker},
        "handle_signals": False,
        "allow_abort_jobs": True,
        "poll_delay": POLL_SECONDS,
        "keep_result": RESULT_TTL_SECONDS,
        "max_tries": MAX_TRIES,
        "job_serializer": pack,
        "job_deserializer": unpack,
        "log_results": False,
    }
    takers = [
        Worker(
            [func(_draw, name="draw", timeout=DRAW_TIMEOUT_SECONDS)],
            queue_name=DRAW_QUEUE,
            max_jobs=worker.engines.draw_slots,
            **options,
        ),
        Worker(
            [func(_listen, name="listen", timeout=LISTEN_TIMEOUT_SECONDS)],
            queue_name=LISTEN_QUEUE,
            max_jobs=settings.queue.speech_workers,
            **options,
        ),
    ]
    runs = [asyncio.create_task(taker.async_run()) for taker in takers]
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait([*runs, stopping], return_when=asyncio.FIRST_COMPLETED)
    finally:
        jobs = [job for taker in takers for job in taker.tasks.values()]
        for task in [stopping, *runs, *jobs]:
            task.cancel()
        outcomes = await asyncio.gather(*runs, *jobs, return_exceptions=True)
        await redis.aclose()
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            raise outcome


# ---- the stages, as arq runs them ---------------------------------------------------------------


async def _listen(
    ctx: dict[str, Any], audio: bytes, filename: str | None, model: str | None
) -> dict[str, Any]:
    worker: _Worker = ctx["worker"]
    async with _tending(ctx):
        try:
            speech = await worker.engines.listen(audio, filename, model=model)
        except UserFacingError as error:
            return refusal(error)
    worker.heard += 1
    return {"ok": asdict(speech)}


async def _draw(
    ctx: dict[str, Any],
    options: dict[str, Any],
    variation: dict[str, Any] | None,
    safety_check: bool,
) -> dict[str, Any]:
    worker: _Worker = ctx["worker"]
    steps = _Steps()
    stop = threading.Event()
    worker.drawing.append(ctx["job_id"])
    try:
        async with _tending(ctx, steps):
            images = await worker.engines.draw(
                GenerationOptions(**options),
                steps.on_step,
                stop.is_set,
                variation=Variation(**variation) if variation else None,
                safety_check=safety_check,
            )
    except asyncio.CancelledError:
        stop.set()  # aborted, or handed back: the draw thread stops at its next step
        raise
    except UserFacingError as error:
        return refusal(error)
    finally:
        worker.drawing.remove(ctx["job_id"])
    worker.drawn += 1
    if sum(len(image.png) for image in images) > MAX_RESULT_BYTES:
        too_large = "Those pictures are too large to send; ask for fewer or smaller ones."
        return refusal(UserFacingError(too_large, kind="too_large"))
    return {"ok": [asdict(image) for image in images]}


class _Steps:
    """The latest ``(done, total)`` of a draw, set from the draw thread."""

    latest: tuple[int, int] | None = None

    def on_step(self, done: int, total: int) -> None:
        self.latest = (done, total)


@contextlib.asynccontextmanager
async def _tending(ctx: dict[str, Any], steps: _Steps | None = None) -> AsyncIterator[None]:
    """While a stage runs, renew this worker's claim on it (arq's in-progress key, which would
    otherwise hold for the whole timeout) and share its latest step."""
    task = asyncio.create_task(_tend(ctx["redis"], ctx["job_id"], steps))
    try:
        yield
    finally:
        task.cancel()


async def _tend(redis: ArqRedis, job_id: str, steps: _Steps | None) -> None:
    lease_ms = int(LEASE_SECONDS * 1000)
    while True:
        with contextlib.suppress(RedisError, OSError):
            async with redis.pipeline(transaction=False) as writes:
                writes.pexpire(in_progress_key_prefix + job_id, lease_ms)
                if steps is not None and steps.latest is not None:
                    writes.set(PROGRESS_PREFIX + job_id, pack(steps.latest), px=lease_ms)
                await writes.execute()
        await asyncio.sleep(TEND_SECONDS)
