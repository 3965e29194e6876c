"""The distributed backend, end to end: a real ``redis-server``, real ``python -m bot worker``
processes (the tiny diffusion model, Whisper base), and the bot's queue in this process.

Also the queue's draw slots, which the distributed backend sets to its number of ready workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import redis
import redis.asyncio as aioredis
from PIL import Image
from saq.job import Job as StageJob
from saq.job import Status

from bot.config import QueueSettings, Settings
from bot.distributed.notifications import RETRY
from bot.distributed.protocol import (
    DRAW_QUEUE,
    HEARTBEAT_TTL_SECONDS,
    JOB_HEARTBEAT_SECONDS,
    VERSION,
    WORKER_PREFIX,
    WorkerInfo,
    pack,
    stage_key,
)
from bot.distributed.protocol import queue as queue_of
from bot.distributed.remote import WATCH_SECONDS, RedisJobQueue, RemoteEngines
from bot.distributed.stage_queue import DEQUEUE_GRACE_SECONDS, SWEEP_ABORT_SECONDS
from bot.distributed.worker import RECONNECT_SECONDS, SWEEP_SECONDS
from bot.domain.errors import UserFacingError
from bot.domain.jobs import Job, JobEvent, JobRequest, JobState
from bot.domain.options import GenerationOptions
from bot.infra.store import JobStore
from bot.queue.lifecycle import JobQueue
from tests.support.redis_server import RedisServer, free_port, until
from tests.support.refusals import english
from tests.test_jobs import LIMITS, ScriptedRunner, ask, drawing, finish_all

ROOT = Path(__file__).resolve().parents[1]
PNG = b"\x89PNG\r\n\x1a\n"

# How long each wait here may take, from what it waits for. The system's own timers are seconds;
# BUSY is what a machine shared with other test runs (two cores, CPU-bound neighbours) may add.
BUSY = 60.0
REACT = BUSY + WATCH_SECONDS + HEARTBEAT_TTL_SECONDS
"""The bot sees a change in Redis or among the workers: its next check, a heartbeat's expiry."""
SWEPT = (
    BUSY + max(JOB_HEARTBEAT_SECONDS, DEQUEUE_GRACE_SECONDS) + SWEEP_SECONDS + SWEEP_ABORT_SECONDS
)
"""A stage whose worker died goes stale, is swept and is taken by another worker."""
STALL = SWEPT + RETRY.most + RECONNECT_SECONDS
"""Jobs in flight change (a step, a state) at least this often: a draw reports its steps every
0.5 s; between two changes at most a sweep and a reconnection to Redis."""
OUTAGE = 3.0
"""Seconds Redis stays away in the outage tests."""
WORKER_START = 300.0
"""A new ``python -m bot worker`` imports torch and loads Whisper base and the tiny image model
(about 15 s on a quiet machine)."""


# ---- draw slots (the embedded queue, scripted engines) --------------------------------------


async def test_draw_slots_draw_that_many_jobs_at_once_in_fair_order() -> None:
    runner = ScriptedRunner()
    runner.hold("a1", "b1", "a2", "c1")
    queue = JobQueue(runner, QueueSettings(per_user_limit=5), LIMITS)
    queue.set_draw_slots(0)
    await queue.start()
    try:
        jobs = [await queue.submit(ask(user, name)) for user, name in ((1, "a1"), (1, "a2"))]
        jobs += [await queue.submit(ask(user, name)) for user, name in ((2, "b1"), (3, "c1"))]
        await asyncio.sleep(0.05)
        assert runner.drawn == [] and queue.snapshot().drawing == ()  # no slot: all wait

        queue.set_draw_slots(2)
        await drawing(runner, "b1")
        assert runner.drawn == ["a1", "b1"]
        assert [queue.position(job.id) for job in jobs] == [(0, 2), (2, 2), (0, 2), (1, 2)]
        assert queue.snapshot().drawing == (jobs[0], jobs[2])

        runner.release("b1")  # a slot frees: the next user in turn, not a's second job
        await drawing(runner, "c1")
        runner.release("a1")
        await drawing(runner, "a2")
        for prompt in ("a2", "c1"):
            runner.release(prompt)
        await finish_all(queue, jobs)
    finally:
        await queue.stop()
    assert runner.drawn == ["a1", "b1", "c1", "a2"]


# ---- the real thing -------------------------------------------------------------------------


class Fleet:
    """``python -m bot worker`` processes, their output in log files."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env = env
        self.folder = folder
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, module: str = "bot worker", **env: str) -> subprocess.Popen[bytes]:
        log = (self.folder / f"worker-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", *module.split()],
            cwd=ROOT,
            env=self.env | env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def pid_of(self, worker: WorkerInfo) -> int:
        """The pid of one of these processes, from its heartbeat's name (``host:pid``)."""
        pid = int(worker.name.rsplit(":", 1)[1])
        assert pid in [process.pid for process in self.processes]
        return pid

    def ensure(self, count: int) -> None:
        """At least ``count`` workers running (those a test killed are replaced)."""
        while len(self.alive()) < count:
            self.start()

    def cpu(self) -> list[float]:
        """Seconds of CPU (user and system) each live worker has used so far."""
        seconds = []
        for process in self.alive():
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            seconds.append((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
        return seconds

    def alive(self) -> list[subprocess.Popen[bytes]]:
        return [process for process in self.processes if process.poll() is None]

    def stop(self) -> None:
        for process in self.alive():
            process.terminate()
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()

    @property
    def redis_url(self) -> str:
        return self.env["S2I_QUEUE__REDIS_URL"]

    def logs(self) -> str:
        return "\n".join(path.read_text()[-3000:] for path in sorted(self.folder.glob("*.log")))


@pytest.fixture(scope="module")
def fleet(
    redis_server: RedisServer,
    tiny_sd_dir: Path,
    whisper_base_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Fleet]:
    env = os.environ | {
        "S2I_CONFIG": "/nonexistent.toml",
        "S2I_QUEUE__BACKEND": "redis",
        "S2I_QUEUE__REDIS_URL": redis_server.url,
        "S2I_IMAGE__MODEL": str(tiny_sd_dir),
        "S2I_IMAGE__DEVICE": "cpu",
        "S2I_IMAGE__LOCAL_FILES_ONLY": "true",
        "S2I_SPEECH__MODEL": str(whisper_base_dir),
        "S2I_SPEECH__DEVICE": "cpu",
        "S2I_SPEECH__LOCAL_FILES_ONLY": "true",
        "S2I_SPEECH__CPU_THREADS": "1",
        "S2I_LIMITS__MIN_SIDE": "64",
        "S2I_IMAGE__PREVIEW_SECONDS": "0.2",
        "S2I_METRICS__ENABLED": "false",
        "OMP_NUM_THREADS": "1",
        "HF_HUB_OFFLINE": "1",
    }
    workers = Fleet(env, tmp_path_factory.mktemp("workers"))
    yield workers
    workers.stop()


def bot_settings(redis_url: str, folder: Path) -> Settings:
    queue = {"backend": "redis", "redis_url": redis_url, "per_user_limit": 5}
    return Settings(
        queue=queue | {"blob_dir": folder / "blobs"},
        limits={"min_side": 64},
        store={"path": folder / "jobs.sqlite3"},
        metrics={"enabled": False},
    )


@contextlib.asynccontextmanager
async def bot_side(
    redis_url: str, folder: Path
) -> AsyncIterator[tuple[RedisJobQueue, RemoteEngines]]:
    """What ``python -m bot run`` builds with queue.backend = "redis", minus Discord."""
    settings = bot_settings(redis_url, folder)
    store = JobStore(settings.store)
    await store.open()
    engines = RemoteEngines(settings)
    queue = RedisJobQueue(engines, settings.queue, settings.limits, store)
    engines.start_loading()
    await queue.start()
    await queue.recover()
    try:
        await until(lambda: engines.available, "the bot to reach Redis", REACT)
        yield queue, engines
    finally:
        await queue.stop()
        await store.close()


def request(user: int, prompt: str, *, steps: int, side: int = 64, count: int = 1) -> JobRequest:
    options = GenerationOptions(
        prompt, seed=user, steps=steps, count=count, width=side, height=side
    )
    return JobRequest(user, f"user{user}", 1, 2, options)


class Events:
    """Every event the queue publishes."""

    def __init__(self, queue: JobQueue) -> None:
        self.all: list[JobEvent] = []
        queue.subscribe(self.all.append)

    def drawn(self) -> list[str]:
        """Prompts in the order their jobs began drawing (a job's state is published again, still
        drawing, when the draw slots change: a second worker becoming ready)."""
        began = {e.job_id: e.prompt for e in self.all if e.state is JobState.DRAWING}
        return list(began.values())

    def finals(self, job: Job) -> list[JobState]:
        return [e.state for e in self.all if e.job_id == job.id and e.state.finished]


async def ready_workers(engines: RemoteEngines, count: int) -> None:
    ready = lambda: sum(w.ready for w in engines.workers.values()) == count  # noqa: E731
    await until(ready, f"{count} workers ready", WORKER_START)


async def drawing_worker(
    redis_url: str, besides: str | None = None, timeout: float = REACT, *, job: Job | None = None
) -> WorkerInfo:
    """The worker (other than ``besides``) drawing now (``job``'s stage, if given), read from the
    heartbeats in Redis: fresher than the bot's view of them. A worker may still be finishing an
    earlier test's draw."""
    key = stage_key("draw", job.id) if job is not None else None
    async with aioredis.Redis.from_url(redis_url) as client, asyncio.timeout(timeout):
        while True:
            keys = await client.keys(WORKER_PREFIX + "*")
            beats = await client.mget(keys) if keys else []
            for worker in (WorkerInfo.read(beat) for beat in beats if beat):
                if worker.drawing and worker.name != besides and key in (None, worker.drawing):
                    return worker
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def stage_history(redis_url: str, job: Job) -> AsyncIterator[list[str]]:
    """Every status the job's draw stage is given from now on, as SAQ publishes it: ``queued``
    again when a stopping worker hands it back, ``aborting`` first when a sweep takes it from a
    dead one."""
    client = aioredis.Redis.from_url(redis_url)
    pubsub = client.pubsub()
    await pubsub.subscribe(queue_of(client, DRAW_QUEUE).job_id(stage_key("draw", job.id)))
    statuses: list[str] = []

    async def read() -> None:
        async for message in pubsub.listen():
            if message["type"] == "message":
                statuses.append(message["data"].decode())

    reading = asyncio.create_task(read())
    try:
        yield statuses
    finally:
        reading.cancel()
        await asyncio.gather(reading, return_exceptions=True)
        await pubsub.aclose()
        await client.aclose()


async def a_long_draw(
    queue: JobQueue, engines: RemoteEngines, redis_url: str, *, user: int
) -> tuple[Job, WorkerInfo]:
    """With two workers ready, a job long enough to interrupt, and the worker drawing it."""
    await ready_workers(engines, 2)
    job = await queue.submit(request(user, "a long one", steps=100, side=128, count=4))
    victim = await drawing_worker(redis_url, job=job)
    assert not job.finished
    return job, victim


async def stage_of(redis_url: str, job: Job) -> StageJob | None:
    """The job's draw stage as Redis holds it now."""
    async with aioredis.Redis.from_url(redis_url) as client:
        return await queue_of(client, DRAW_QUEUE).job(stage_key("draw", job.id))


async def stages_told(jobs: list[Job], fleet: Fleet) -> str:
    """The jobs' draw stages as Redis holds them, the draw queue's lists, and the workers' logs:
    what a stuck job's failure shows."""
    async with aioredis.Redis.from_url(fleet.redis_url) as client:
        draws = queue_of(client, DRAW_QUEUE)
        stages = [await draws.job(stage_key("draw", job.id)) for job in jobs]
        lists = {
            "queued": await client.lrange(draws.namespace("queued"), 0, -1),
            "active": await client.lrange(draws.namespace("active"), 0, -1),
            "incomplete": await client.zrange(draws.namespace("incomplete"), 0, -1),
        }
    told = [
        f"{job.id} ({job.state.value}): "
        + (
            f"{stage.status.value}, attempts {stage.attempts}, worker {stage.worker_id},"
            f" error {stage.error}, touched {stage.touched}, meta {stage.meta}"
            if stage is not None
            else "no stage"
        )
        for job, stage in zip(jobs, stages, strict=True)
    ]
    return "\n".join([*told, f"draw queue: {lists}", fleet.logs()])


async def finished(queue: JobQueue, jobs: list[Job], fleet: Fleet) -> list[Job]:
    """The jobs once finished, waiting as long as they move: the test fails when none of them has
    changed (a step, a state) for :data:`STALL` seconds, telling their stages and the ``fleet``'s
    logs."""
    ids = {job.id for job in jobs}
    moved = asyncio.Event()
    unsubscribe = queue.subscribe(lambda event: moved.set() if event.job_id in ids else None)
    waits = asyncio.ensure_future(asyncio.gather(*(queue.wait(job.id) for job in jobs)))
    try:
        while not waits.done():
            moved.clear()
            moving = asyncio.ensure_future(moved.wait())
            await asyncio.wait({waits, moving}, timeout=STALL, return_when="FIRST_COMPLETED")
            moving.cancel()
            if not waits.done() and not moved.is_set():
                states = [job.state.value for job in jobs]
                told = await stages_told(jobs, fleet)
                raise AssertionError(f"jobs stuck for {STALL:.0f} s: {states}\n{told}")
        return waits.result()
    finally:
        unsubscribe()
        waits.cancel()


@pytest.mark.slow
async def test_a_burst_waits_for_workers_then_both_draw_it_in_fair_order(
    redis_server: RedisServer, fleet: Fleet, tmp_path: Path
) -> None:
    async with bot_side(redis_server.url, tmp_path) as (queue, engines):
        events = Events(queue)
        burst = [(1, "a1"), (1, "a2"), (1, "a3"), (1, "a4"), (2, "b1"), (2, "b2"), (3, "c1")]
        jobs = [await queue.submit(request(user, name, steps=60)) for user, name in burst]
        assert queue.snapshot().length == 7 and queue.snapshot().drawing == ()  # no worker yet

        started = time.monotonic()
        fleet.start()
        fleet.start()
        await ready_workers(engines, 2)
        ready = time.monotonic()
        done = await finished(queue, jobs, fleet)
        drawn = time.monotonic()

        assert all(job.state is JobState.DONE for job in done), fleet.logs()
        assert events.drawn() == ["a1", "b1", "c1", "a2", "b2", "a3", "a4"]
        assert all(len(events.finals(job)) == 1 for job in jobs)
        for job in done:
            assert [image.png[:8] for image in job.images] == [PNG]
            assert job.images[0].seed == job.request.options.seed
        counted = lambda: sum(w.drawn for w in engines.workers.values()) == 7  # noqa: E731
        await until(counted, "the counts in the heartbeats", REACT)
        shares = sorted(worker.drawn for worker in engines.workers.values())
        assert len(shares) == 2 and shares[0] > 0
    print(
        f"\nburst: 2 workers ready in {ready - started:.1f} s, then 7 jobs drawn in "
        f"{drawn - ready:.1f} s, {shares[0]} and {shares[1]} by each worker"
    )


async def status_once_lost(engines: RemoteEngines, name: str) -> str:
    """The bot's status as soon as it counts worker ``name`` lost. Watched from the kill on: the
    bot forgets a lost worker after ``LOST_WORKER_SECONDS``, which a slow redraw can outlast."""
    await until(lambda: name in engines.lost, f"the bot to see worker {name} gone", REACT)
    return engines.status


@pytest.mark.slow
async def test_a_worker_killed_mid_draw_leaves_its_job_to_another_and_one_reply(
    redis_server: RedisServer, fleet: Fleet, tmp_path: Path
) -> None:
    fleet.ensure(2)
    async with bot_side(redis_server.url, tmp_path) as (queue, engines):
        events = Events(queue)
        job, victim = await a_long_draw(queue, engines, redis_server.url, user=7)
        survivor = next(w for w in engines.workers.values() if w.name != victim.name)
        async with stage_history(redis_server.url, job) as statuses:
            os.kill(fleet.pid_of(victim), signal.SIGKILL)
            killed = time.monotonic()
            noticed = asyncio.create_task(status_once_lost(engines, victim.name))

            taker = await drawing_worker(redis_server.url, victim.name, SWEPT, job=job)
            taken = time.monotonic() - killed
            done = await finished(queue, [job], fleet)
            recovered = time.monotonic() - killed

        assert taker.name == survivor.name
        assert done[0].state is JobState.DONE, fleet.logs()
        assert events.finals(job) == [JobState.DONE]
        assert [image.index for image in done[0].images] == [0, 1, 2, 3]
        assert statuses[:2] == ["aborting", "queued"]  # went stale, was swept, and retried
        assert f"worker {victim.name} was lost" in await noticed
        redrawn = lambda: engines.workers[survivor.name].drawn == survivor.drawn + 1  # noqa: E731
        await until(redrawn, "the other worker to report the redrawn job", REACT)
    print(
        f"\nSIGKILL: the other worker took the job after {taken:.1f} s, done after {recovered:.1f} s"
    )


@pytest.mark.slow
@pytest.mark.parametrize("keep_data", [False, True], ids=["empty", "with-data"])
async def test_while_redis_is_down_new_jobs_are_refused_and_accepted_ones_survive(
    redis_server: RedisServer, fleet: Fleet, tmp_path: Path, keep_data: bool
) -> None:
    if not fleet.alive():
        fleet.start()
    async with bot_side(redis_server.url, tmp_path) as (queue, engines):
        events = Events(queue)
        await ready_workers(engines, len(fleet.alive()))
        jobs = [
            await queue.submit(request(user, f"job {user}", steps=100, side=128, count=2))
            for user in (1, 2, 3)
        ]
        await until(lambda: queue.snapshot().drawing != (), "a job to be sent to a worker", REACT)

        redis_server.stop(keep_data=keep_data)
        away, tries = time.monotonic(), engines.notifications.tries
        cpu = [time.process_time(), *fleet.cpu()]
        assert [job for job in jobs if not job.finished]
        await until(lambda: not engines.available, "the bot to notice", REACT)
        await asyncio.sleep(OUTAGE)  # Redis stays away a while: no one may spin meanwhile
        assert engines.status == "the job queue (Redis) is unreachable"
        with pytest.raises(UserFacingError) as refused:
            await queue.submit(request(4, "too late", steps=10))
        assert refused.value.kind == "queue_unavailable"
        assert "try again" in english(refused.value)

        now = [time.process_time(), *fleet.cpu()]
        cpu = [after - before for before, after in zip(cpu, now, strict=True)]
        tries = engines.notifications.tries - tries
        redis_server.start()
        back = time.monotonic()
        await until(lambda: engines.ready, "the bot to see Redis and a worker again", REACT)
        serving = time.monotonic() - back
        subscribed = lambda: engines.notifications.live  # noqa: E731
        await until(subscribed, "the bot to hear the stages' notifications again", REACT)
        done = await finished(queue, jobs, fleet)
        recovered = time.monotonic() - back

        assert [job.state for job in done] == [JobState.DONE] * 3, fleet.logs()
        assert all(events.finals(job) == [JobState.DONE] for job in jobs)
        welcome = await queue.submit(request(4, "welcome back", steps=10))
        assert (await finished(queue, [welcome], fleet))[0].state is JobState.DONE
    print(
        f"\nRedis restart ({'with its data' if keep_data else 'empty'}): a worker was serving "
        f"again after {serving:.1f} s, "
        f"and the 3 accepted jobs were all done after {recovered:.1f} s; while Redis was away "
        f"({back - away:.1f} s) the bot tried {tries} subscriptions and used {cpu[0]:.2f} s of "
        f"CPU, the workers {', '.join(f'{c:.2f}' for c in cpu[1:])} s"
    )


@pytest.mark.slow
async def test_a_worker_stopped_mid_draw_hands_its_job_back_at_once(
    redis_server: RedisServer, fleet: Fleet, tmp_path: Path
) -> None:
    fleet.ensure(2)
    async with bot_side(redis_server.url, tmp_path) as (queue, engines):
        events = Events(queue)
        job, victim = await a_long_draw(queue, engines, redis_server.url, user=8)
        process = next(p for p in fleet.alive() if p.pid == fleet.pid_of(victim))
        async with stage_history(redis_server.url, job) as statuses:
            process.terminate()
            stopped = time.monotonic()

            await drawing_worker(redis_server.url, victim.name, SWEPT, job=job)
            taken = time.monotonic() - stopped
            done = await finished(queue, [job], fleet)

        assert done[0].state is JobState.DONE, fleet.logs()
        assert events.finals(job) == [JobState.DONE]
        # Handed back at once, not left to go stale and be swept. The stopping worker's draw may
        # still report a step first: SAQ publishes each progress update as "active".
        assert next(status for status in statuses if status != "active") == "queued"
        assert "aborting" not in statuses
        assert await asyncio.to_thread(process.wait, REACT) == 0
    print(f"\nSIGTERM: the other worker took the job after {taken:.1f} s")


@pytest.mark.slow
async def test_a_voice_message_is_heard_and_drawn_by_the_workers(
    redis_server: RedisServer, fleet: Fleet, tmp_path: Path, english_voice_message: bytes
) -> None:
    if not fleet.alive():
        fleet.start()
    async with bot_side(redis_server.url, tmp_path) as (queue, engines):
        await ready_workers(engines, len(fleet.alive()))
        voice = replace(
            request(5, "", steps=10),
            audio=english_voice_message,
            audio_filename="voice.ogg",
            source="voice",
        )
        job = (await finished(queue, [await queue.submit(voice)], fleet))[0]

    assert job.state is JobState.DONE, fleet.logs()
    assert job.speech is not None and job.speech.language == "en"
    assert {"apple", "table"} <= set(job.speech.transcript.lower().replace(".", "").split())
    assert job.options.prompt == job.speech.transcript
    assert job.images[0].png.startswith(PNG)


@pytest.mark.slow
async def test_a_workers_live_previews_travel_with_its_progress(
    redis_server: RedisServer, fleet: Fleet, tmp_path: Path
) -> None:
    fleet.ensure(2)
    async with bot_side(redis_server.url, tmp_path) as (queue, engines):
        events = Events(queue)
        await ready_workers(engines, 2)
        asked = request(11, "a slow one", steps=60, side=128, count=4)
        asked.preview = "shown"
        job = await queue.submit(asked)
        done = await finished(queue, [job], fleet)
        assert done[0].state is JobState.DONE, fleet.logs()
        previews = [e.preview for e in events.all if e.job_id == job.id and e.preview]
        assert len(set(previews)) >= 2, f"{len(previews)} previews"
        assert all(Image.open(io.BytesIO(p)).format == "JPEG" for p in previews)
        assert all(len(p) < 64 * 1024 for p in previews)  # small, through Redis
        assert [e.preview for e in events.all if e.job_id == job.id][-1] is None  # the result
    print(f"\nworker previews: {len(set(previews))} reached the bot during the draw")


@pytest.mark.slow
async def test_a_restarted_bot_adopts_the_draw_running_on_a_worker(
    redis_server: RedisServer, fleet: Fleet, tmp_path: Path
) -> None:
    fleet.ensure(2)
    async with bot_side(redis_server.url, tmp_path) as (queue, engines):
        job, victim = await a_long_draw(queue, engines, redis_server.url, user=9)
    stopped = time.monotonic()  # the bot is gone; its draw runs on
    drawing = await drawing_worker(redis_server.url, job=job)
    assert drawing.name == victim.name, await stages_told([job], fleet)

    async with bot_side(redis_server.url, tmp_path) as (queue, engines):
        events = Events(queue)
        await until(lambda: queue.get(job.id) is not None, "the job to be recovered", REACT)
        done = await finished(queue, [queue.get(job.id)], fleet)
        recovered = time.monotonic() - stopped
        assert done[0].state is JobState.DONE, fleet.logs()
        assert [image.index for image in done[0].images] == [0, 1, 2, 3]
        assert events.finals(job) == [JobState.DONE]
        # Drawn once, by the worker drawing it as the bot stopped. Not from the sum of the
        # workers' counts: the other worker may still be finishing the previous test's draw
        # (run 2 of a loaded stream: the sum rose by that draw's 1 before the victim's beat).
        stage = await stage_of(redis_server.url, job)
        assert stage is not None and stage.attempts == 1, await stages_told([job], fleet)
        assert stage.worker_id.startswith(f"{victim.name}:"), await stages_told([job], fleet)
        counted = lambda: engines.workers[victim.name].drawn > victim.drawn  # noqa: E731
        await until(counted, "the victim's heartbeat to count the draw", REACT)
        assert engines.workers[victim.name].drawn == victim.drawn + 1
    print(f"\nbot restart: the running draw was adopted, done {recovered:.1f} s after the stop")


@pytest.mark.slow
async def test_cancelling_a_job_stops_its_draw_on_the_worker(
    redis_server: RedisServer, fleet: Fleet, tmp_path: Path
) -> None:
    fleet.ensure(2)
    async with bot_side(redis_server.url, tmp_path) as (queue, engines):
        events = Events(queue)
        job, victim = await a_long_draw(queue, engines, redis_server.url, user=10)
        await until(lambda: job.step > 0, "the first steps to arrive", REACT)
        assert await queue.cancel(job.id, None, force=True)
        cancelled = time.monotonic()
        async with aioredis.Redis.from_url(redis_server.url) as client:
            while (beat := await client.get(WORKER_PREFIX + victim.name)) is not None and (
                WorkerInfo.read(beat).drawing
            ):
                assert time.monotonic() - cancelled < REACT
                await asyncio.sleep(0.05)
        stopped = time.monotonic() - cancelled
        assert (await finished(queue, [job], fleet))[0].state is JobState.CANCELLED
        assert events.finals(job) == [JobState.CANCELLED]
        assert job.step < job.steps
    print(f"\nabort: the worker stopped drawing {stopped:.1f} s after the cancel (step {job.step})")


@pytest.mark.slow
async def test_a_cancelled_stage_stays_cancelled_when_its_worker_stops_before_noticing(
    redis_server: RedisServer, fleet: Fleet, tmp_path: Path
) -> None:
    fleet.stop()
    unaware = fleet.start("tests.support.unaborting_worker")
    async with bot_side(redis_server.url, tmp_path) as (queue, engines):
        await ready_workers(engines, 1)
        job = await queue.submit(request(13, "cancelled", steps=100, side=128, count=4))
        await until(lambda: job.step > 0, "the first steps to arrive", REACT)
        async with stage_history(redis_server.url, job) as statuses:
            assert await queue.cancel(job.id, None, force=True)
            await until(lambda: "aborting" in statuses, "the bot to abort the stage", REACT)
            unaware.terminate()  # it hands back its running stages: not this one
            assert await asyncio.to_thread(unaware.wait, REACT) == 0
            stage = await stage_of(redis_server.url, job)
        assert stage is not None and stage.status is Status.ABORTED, (statuses, fleet.logs())
        assert "queued" not in statuses
        assert (await finished(queue, [job], fleet))[0].state is JobState.CANCELLED

        await until(lambda: not engines.workers, "the bot to see the worker gone", REACT)
        fleet.start()  # a worker started now has nothing of it to draw
        await ready_workers(engines, 1)
        later = await queue.submit(request(14, "later", steps=2))
        assert (await finished(queue, [later], fleet))[0].state is JobState.DONE, fleet.logs()
        stage = await stage_of(redis_server.url, job)
        assert stage is not None and stage.status is Status.ABORTED


@pytest.mark.slow
async def test_a_newer_worker_is_served_through_malformed_heartbeats_and_big_results_as_blobs(
    redis_server: RedisServer, fleet: Fleet, tmp_path: Path
) -> None:
    client = redis.Redis(port=redis_server.port)
    client.set(WORKER_PREFIX + "garbage", b"\xc1 not msgpack", px=60_000)
    client.set(WORKER_PREFIX + "old", pack({"name": "old", "ready": True}), px=60_000)
    fleet.stop()
    blobs = tmp_path / "blobs"
    newer = fleet.start(
        "tests.support.newer_worker",
        S2I_QUEUE__BLOB_DIR=str(blobs),
        S2I_QUEUE__BLOB_THRESHOLD_BYTES="2000",
    )
    async with bot_side(redis_server.url, tmp_path) as (queue, engines):
        await ready_workers(engines, 1)
        assert list(engines.workers) == [f"{socket.gethostname()}:{newer.pid}"]
        job = await queue.submit(request(11, "big", steps=4, side=128, count=2))
        done = (await finished(queue, [job], fleet))[0]
        assert done.state is JobState.DONE, fleet.logs()
        for image in done.images:
            assert Image.open(io.BytesIO(image.png)).size == (128, 128)
        assert sum(len(image.png) for image in done.images) > 2000
        stage = await stage_of(redis_server.url, job)
        assert stage is not None and set(stage.result) == {"v", "blob"}  # Redis held a name
        assert list(blobs.iterdir()) == []  # the bot read it and removed it
        small = await queue.submit(request(12, "small", steps=2, side=64))
        assert (await finished(queue, [small], fleet))[0].images[0].png.startswith(PNG)
    client.delete(WORKER_PREFIX + "garbage", WORKER_PREFIX + "old")
    client.close()


async def test_a_result_file_gone_from_the_blob_dir_fails_the_stage(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    stages = queue_of(aioredis.Redis.from_url(redis_server.url), DRAW_QUEUE)
    gone = {"v": VERSION, "blob": f"{'0' * 32}.msgpack"}  # a name in the folder, no file
    stage = StageJob("draw", key=stage_key("draw", "blob-gone"), queue=stages, result=gone)
    stage.status = Status.COMPLETE
    await stages.redis.set(stage.id, stages.serialize(stage), ex=60)
    engines = RemoteEngines(bot_settings(redis_server.url, tmp_path))
    engines.start_loading()
    try:
        await until(lambda: engines.available, "the bot to reach Redis", REACT)
        draw = engines.draw(
            GenerationOptions("x"), lambda *_: None, lambda: False, job_id="blob-gone"
        )
        with pytest.raises(RuntimeError, match="is gone"):  # not taken for Redis being away
            await asyncio.wait_for(draw, REACT)
    finally:
        await engines.close()
        await stages.disconnect()


async def test_the_status_says_connecting_until_the_first_check(tmp_path: Path) -> None:
    engines = RemoteEngines(bot_settings(f"redis://127.0.0.1:{free_port()}/0", tmp_path))
    assert engines.status == "connecting to the job queue (Redis)"
    engines.start_loading()
    try:
        await until(lambda: engines.checked, "the first check", REACT)
        assert engines.status == "the job queue (Redis) is unreachable"
    finally:
        await engines.close()


@pytest.mark.slow
async def test_a_worker_serves_health_and_metrics(redis_server: RedisServer, fleet: Fleet) -> None:
    port = free_port()
    process = fleet.start(
        S2I_METRICS__ENABLED="true", S2I_METRICS__HOST="127.0.0.1", S2I_METRICS__PORT=str(port)
    )
    health = f"http://127.0.0.1:{port}/healthz"

    async def status() -> tuple[int, str]:
        return await asyncio.to_thread(_get, health)

    deadline = time.monotonic() + WORKER_START
    while (answer := await status())[0] != 200:
        assert time.monotonic() < deadline and process.poll() is None, (answer, fleet.logs())
        await asyncio.sleep(0.2)
    assert '"models": true' in answer[1] and '"queue": true' in answer[1]
    code, metrics = await asyncio.to_thread(_get, f"http://127.0.0.1:{port}/metrics")
    assert code == 200 and "process_resident_memory_bytes" in metrics
    process.terminate()
    assert process.wait(REACT) == 0


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


def test_the_worker_command_needs_the_redis_backend() -> None:
    env = os.environ | {"S2I_CONFIG": "/nonexistent.toml", "S2I_QUEUE__BACKEND": "embedded"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "worker"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert 'queue.backend = "redis"' in done.stderr
