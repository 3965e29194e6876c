"""The workers' stage queue (:mod:`bot.distributed.stage_queue`) against a real ``redis-server``:
a stage the bot aborted stays aborted, whatever a worker or a sweep writes after it."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator

from saq.job import Job, Status

from bot.distributed.protocol import connect
from bot.distributed.stage_queue import StageQueue
from tests.support.redis_server import RedisServer

CANCEL = "cancelled by the bot"
_names = itertools.count()


@contextlib.asynccontextmanager
async def a_running_stage(redis_server: RedisServer) -> AsyncIterator[tuple[StageQueue, Job]]:
    """A stage queue of its own, with one stage a worker has taken and started, as that worker
    holds it."""
    stages = StageQueue(connect(redis_server.url), f"test-stages-{next(_names)}")
    try:
        await stages.enqueue("draw", key=stages.name, retries=3)  # abort keys are SAQ-wide
        job = await stages.dequeue(timeout=5)
        assert job is not None
        await job.update(status=Status.ACTIVE)
        yield stages, job
    finally:
        await stages.disconnect()


async def stored(stages: StageQueue) -> Job:
    job = await stages.job(stages.name)
    assert job is not None
    return job


async def queued(stages: StageQueue) -> list[bytes]:
    return await stages.redis.lrange(stages._queued, 0, -1)


async def test_a_worker_touching_or_handing_back_a_stage_the_bot_aborted_leaves_it_aborted(
    redis_server: RedisServer,
) -> None:
    async with a_running_stage(redis_server) as (stages, held):
        await stages.abort(await stored(stages), CANCEL)

        await held.update(meta={"step": [3, 10]})  # a touch, from the worker's copy (active)
        assert ((await stored(stages)).status, (await stored(stages)).error) == (
            Status.ABORTING,
            CANCEL,
        )
        await held.retry("cancelled")  # stopped before it noticed: it hands the stage back
        assert ((await stored(stages)).status, (await stored(stages)).error) == (
            Status.ABORTED,
            CANCEL,
        )
        assert await queued(stages) == []


async def test_a_sweep_does_not_run_again_a_stage_the_bot_aborted(
    redis_server: RedisServer,
) -> None:
    async with a_running_stage(redis_server) as (stages, _):
        swept = await stored(stages)  # what a sweep read, just before the bot's abort
        await stages.abort(await stored(stages), CANCEL)

        await stages.abort(swept, stages.swept_error_message)
        assert (await stored(stages)).error == CANCEL
        await stages.retry(swept, stages.swept_error_message)
        assert (await stored(stages)).status is Status.ABORTED
        assert await queued(stages) == []


async def test_a_sweep_runs_again_the_stage_it_aborted_itself(redis_server: RedisServer) -> None:
    async with a_running_stage(redis_server) as (stages, _):
        swept = await stored(stages)
        await stages.abort(swept, stages.swept_error_message)
        await stages.retry(swept, stages.swept_error_message)
        assert (await stored(stages)).status is Status.QUEUED
        assert await queued(stages) == [swept.id.encode()]


async def test_a_worker_touching_a_stage_redis_lost_does_not_make_it_again(
    redis_server: RedisServer,
) -> None:
    """Redis restarted empty (or the stage's record went): a running draw's touch must not write
    the stage back as active. Such a record is in no list, so no sweep ever sees it, and a bot
    reading it would follow it for ever instead of sending the stage again."""
    async with a_running_stage(redis_server) as (stages, held):
        await stages.redis.delete(held.id)

        await held.update(meta={"step": [3, 10]})
        await held.update(status=Status.ACTIVE)
        assert await stages.job(stages.name) is None
