"""A task whose cancel is lost still stops: ``stop_tasks``, and the worker's touches of a running
stage (the loaded distributed runs' stage "drawing" for ever)."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.distributed.worker import _tending
from bot.infra.tasks import AGAIN_SECONDS, stop_task, stop_tasks

LIMIT = 10 * AGAIN_SECONDS + 60
"""Far more than a second cancel takes, on a loaded machine."""


@dataclass
class Sends:
    """Each call a send through ``wait_for`` (as redis-py sends a command with a socket timeout)
    that completes only when the test says."""

    waiting: asyncio.Queue[asyncio.Future[None]] = field(default_factory=asyncio.Queue)
    sent: int = 0

    async def send(self, **_: Any) -> None:
        done = asyncio.get_running_loop().create_future()
        await self.waiting.put(done)
        await asyncio.wait_for(done, 15)
        self.sent += 1

    async def complete_as_cancelled(self, task: asyncio.Task[Any]) -> None:
        """Complete the next send in the same loop turn as ``task`` is cancelled."""
        done = await self.waiting.get()
        done.set_result(None)
        task.cancel()


async def sending_for_ever(sends: Sends) -> None:
    while True:
        await sends.send()
        await asyncio.sleep(0)


async def test_a_cancel_lost_in_wait_for_is_sent_again() -> None:
    sends = Sends()
    task = asyncio.create_task(sending_for_ever(sends))
    await sends.complete_as_cancelled(task)
    if sys.version_info < (3, 12):  # the defect this guards: the cancel is gone
        first = await sends.waiting.get()  # the loop went on to its next send
        assert not task.done()
        first.set_result(None)
    async with asyncio.timeout(LIMIT):
        await stop_task(task)
    assert task.cancelled()


async def test_stop_tasks_ends_each_task_and_keeps_their_errors_quiet() -> None:
    async def fails() -> None:
        raise RuntimeError("dropped")

    async def sleeps() -> None:
        await asyncio.sleep(3600)

    failing, sleeping = asyncio.create_task(fails()), asyncio.create_task(sleeps())
    await asyncio.sleep(0)
    async with asyncio.timeout(LIMIT):
        await stop_tasks([failing, sleeping, None])
    assert sleeping.cancelled()
    assert isinstance(failing.exception(), RuntimeError)


@dataclass
class TouchedStage:
    """A running stage as the worker's touches see it: SAQ's ``Job.update``, a Redis command."""

    sends: Sends

    async def update(self, **kwargs: Any) -> None:
        await self.sends.send(**kwargs)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="wait_for keeps a cancel since 3.12")
async def test_a_stage_whose_touch_loses_its_cancel_still_ends() -> None:
    """The draw returns although the touch in flight as it ended swallowed its cancel: before,
    the touches went on for ever and so did the draw, on the worker (no abort reached it)."""
    sends = Sends()
    stage: Any = TouchedStage(sends)

    async def draw() -> str:
        async with _tending(stage):
            touch = await sends.waiting.get()  # the stage's first touch, in flight
            touch.set_result(None)  # it completes in the turn the draw ends: the cancel's
        return "drawn"

    async with asyncio.timeout(LIMIT):
        assert await draw() == "drawn"
    assert sends.sent >= 1
