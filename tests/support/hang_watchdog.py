"""A test that hangs fails, telling where: after :data:`HANG_SECONDS` (``S2I_TEST_HANG_SECONDS``)
every asyncio task's stack is written to the terminal and the tasks are cancelled.

A coroutine stuck in an ``await`` that never ends (a cleanup in a ``finally``, a wait without a
limit) leaves the event loop idle: a thread dump (faulthandler, py-spy) shows only the loop's
``select``, and the whole run hangs until CI's own limit. The tasks' stacks name the line.
"""

from __future__ import annotations

import asyncio
import gc
import io
import os
import sys
import threading
from collections.abc import Iterator

import pytest

HANG_SECONDS = float(os.environ.get("S2I_TEST_HANG_SECONDS", "900"))
"""Longer than any test takes on a loaded machine (the slowest take about 4 minutes)."""


def _running_loops() -> list[asyncio.AbstractEventLoop]:
    return [
        obj
        for obj in gc.get_objects()
        if isinstance(obj, asyncio.AbstractEventLoop) and obj.is_running()
    ]


def _tell_and_cancel(test: str) -> None:
    """On the loop's own thread: every task's stack to the terminal, then cancel them all."""
    tasks = asyncio.all_tasks()
    told = io.StringIO()
    told.write(f"\n!!! {test} hung for {HANG_SECONDS:.0f} s; its {len(tasks)} tasks:\n")
    for task in tasks:
        told.write(f"--- {task!r}\n")
        task.print_stack(file=told)
    sys.__stderr__.write(told.getvalue())
    sys.__stderr__.flush()
    for task in tasks:
        task.cancel()


def _fire(test: str) -> None:
    for loop in _running_loops():
        loop.call_soon_threadsafe(_tell_and_cancel, test)


@pytest.fixture(autouse=True)
def hang_watchdog(request: pytest.FixtureRequest) -> Iterator[None]:
    timer = threading.Timer(HANG_SECONDS, _fire, args=(request.node.nodeid,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
