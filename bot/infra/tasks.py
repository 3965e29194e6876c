"""Stopping asyncio tasks for certain: a cancel that is lost is sent again.

On Python 3.11 ``asyncio.wait_for`` returns its awaitable's result when the cancel arrives in the
same loop turn as that result, and the cancel is gone (fixed in 3.12). redis-py sends every
command through ``wait_for`` when the client has a socket timeout, so a task cancelled while a
command's send completes goes on: a loop (a stage's touches, the heartbeat watch) runs for ever,
and whoever awaited its end after ``task.cancel()`` waits for ever with it (a worker then "draws"
a finished stage for ever and aborts nothing more).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

AGAIN_SECONDS = 1.0
"""How long a cancelled task may take to end before it is cancelled again. The clean-ups on
cancel here are a few Redis or Discord calls; one still running after this is interrupted, as a
lost cancel must be."""


async def stop_tasks(tasks: Iterable[asyncio.Task[object] | None]) -> None:
    """Cancel ``tasks`` (None: none) and wait until each has ended, cancelling again every
    :data:`AGAIN_SECONDS` a task that goes on; their results and errors are dropped."""
    stopping = [task for task in tasks if task is not None]
    pending = set(stopping)
    while pending:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=AGAIN_SECONDS)
    for task in stopping:
        if not task.cancelled():
            task.exception()  # retrieved, so that asyncio does not log it as never retrieved


async def stop_task(task: asyncio.Task[object] | None) -> None:
    """:func:`stop_tasks` for one task."""
    await stop_tasks([task])
