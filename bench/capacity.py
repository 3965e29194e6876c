"""Capacity of the bot's central queue on the distributed backend: jobs admitted and dispatched per
second, with workers that answer at once (so the bot, Redis and SAQ are all that is measured).

A real ``redis-server`` on a free loopback port; ``--workers`` processes, each a minimal SAQ worker
on the draw queue (``--slots`` draws at once, a heartbeat like ``python -m bot worker``'s) whose
draw returns no picture at once; the bot's :class:`RedisJobQueue` in this process takes ``--jobs``
jobs from ``--users`` users, each sending their next job when the last is done (the backlog is
the number of users: the queue's position updates grow with it). Side by side, in the same run, the embedded :class:`JobQueue` with a
runner that also answers at once and as many draw slots: the ratio is the cost of going through
Redis.

    python bench/capacity.py [--jobs 2000] [--users 50] [--workers 2] [--slots 4]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redis
from saq.worker import Worker

from bot.config import Limits, QueueSettings, Settings
from bot.distributed.protocol import (
    DRAW_QUEUE,
    VERSION,
    WORKER_PREFIX,
    WorkerInfo,
    connect,
    queue,
)
from bot.distributed.remote import RedisJobQueue, RemoteEngines
from bot.domain.jobs import JobRequest, JobState
from bot.domain.options import GenerationOptions
from bot.queue.lifecycle import JobQueue

LIMITS = Limits(min_side=64)


def instant_worker(url: str, slots: int) -> None:
    """A worker process: heartbeats, and draws that return at once."""

    async def draw(ctx: dict[str, Any], **request: Any) -> dict[str, Any]:
        return {"v": VERSION, "ok": []}

    async def beat(redis_client: Any, info: WorkerInfo) -> None:
        while True:
            await redis_client.set(WORKER_PREFIX + info.name, info.payload(), px=3000)
            await asyncio.sleep(1)

    async def serve() -> None:
        client = connect(url)
        name = f"bench:{os.getpid()}"
        info = WorkerInfo(name, "instant", "none", [], "ready", True, draw_slots=slots)
        heartbeat = asyncio.create_task(beat(client, info))
        worker = Worker(queue(client, DRAW_QUEUE), [("draw", draw)], concurrency=slots)
        await worker.start()
        heartbeat.cancel()

    asyncio.run(serve())


class InstantRunner:
    """The embedded queue's stage runner, answering at once."""

    async def listen(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def draw(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []


def request(user: int, index: int) -> JobRequest:
    return JobRequest(user, f"user{user}", 1, 2, GenerationOptions(f"job {index}", seed=index))


async def drain(queue: JobQueue, jobs: int, users: int) -> float:
    """Seconds for ``users`` users, each submitting a job as soon as their last one is done, to
    get ``jobs`` jobs done (so at most ``users`` jobs wait at once)."""

    async def user(number: int) -> None:
        for index in range(number, jobs, users):
            job = await queue.submit(request(number, index))
            assert (await queue.wait(job.id)).state is JobState.DONE

    started = time.perf_counter()
    await asyncio.gather(*(user(number) for number in range(users)))
    return time.perf_counter() - started


async def main(args: argparse.Namespace) -> None:
    settings = QueueSettings(max_size=args.jobs, per_user_limit=args.jobs)
    embedded = JobQueue(InstantRunner(), settings, LIMITS)
    embedded.set_draw_slots(args.workers * args.slots)
    await embedded.start()
    local = await drain(embedded, args.jobs, args.users)
    await embedded.stop()

    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        server = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--dir",
                folder,
            ],
            stdout=subprocess.DEVNULL,
        )
        url = f"redis://127.0.0.1:{port}/0"
        context = multiprocessing.get_context("spawn")
        workers = [
            context.Process(target=instant_worker, args=(url, args.slots), daemon=True)
            for _ in range(args.workers)
        ]
        try:
            until_pings(port)
            for worker in workers:
                worker.start()
            engines = RemoteEngines(Settings(queue={"backend": "redis", "redis_url": url}))
            remote = RedisJobQueue(engines, settings, LIMITS)
            engines.start_loading()
            await remote.start()
            while sum(w.draw_slots for w in engines.workers.values()) < args.workers * args.slots:
                await asyncio.sleep(0.1)
            distributed = await drain(remote, args.jobs, args.users)
            await remote.stop()
        finally:
            for worker in workers:
                worker.terminate()
                worker.join(10)
            server.terminate()
            server.wait(10)

    slots = args.workers * args.slots
    print(
        f"{args.jobs} jobs from {args.users} users, {slots} draw slots ({args.workers} × {args.slots})"
    )
    print(f"embedded queue, instant runner:   {args.jobs / local:8.0f} jobs/s")
    print(f"redis backend, instant workers:   {args.jobs / distributed:8.0f} jobs/s")
    print(f"time redis / embedded:            {distributed / local:8.1f} ×")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def until_pings(port: int) -> None:
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            if client.ping():
                return
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--slots", type=int, default=4)
    asyncio.run(main(parser.parse_args()))
