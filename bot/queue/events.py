"""How job events reach their subscribers, and how draw-thread steps reach the loop."""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import logging
import threading
from collections import deque
from collections.abc import Callable

from bot.domain.jobs import JobEvent
from bot.queue.protocols import Subscriber

log = logging.getLogger(__name__)


class Subscription:
    """One subscriber. A plain function is called at once; a coroutine function's calls run in
    order on a task of their own, where a newer progress or position event replaces an
    undelivered one of the same job (found in constant time: a burst of events stays linear)."""

    def __init__(self, callback: Subscriber) -> None:
        self._callback = callback
        self._is_async = inspect.iscoroutinefunction(callback)
        self._backlog: deque[list[JobEvent]] = deque()
        """Undelivered events, each in a one-item list that a newer one can replace it in."""
        self._last: dict[str, list[JobEvent]] = {}
        """The newest undelivered event of each job."""
        self._task: asyncio.Task[None] | None = None

    def deliver(self, event: JobEvent) -> None:
        if not self._is_async:
            try:
                self._callback(event)
            except Exception:
                log.exception("job event subscriber %r failed", self._callback)
            return
        last = self._last.get(event.job_id)
        if last is not None and last[0].kind == event.kind != "state":
            last[0] = event
        else:
            self._last[event.job_id] = slot = [event]
            self._backlog.append(slot)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        """Deliver the backlog in order, then end (the next event starts a new drain)."""
        while self._backlog:
            slot = self._backlog.popleft()
            event = slot[0]
            if self._last.get(event.job_id) is slot:
                del self._last[event.job_id]
            try:
                await self._callback(event)  # type: ignore[misc]
            except Exception:
                log.exception("job event subscriber %r failed", self._callback)

    def close(self) -> None:
        if self._task is not None:
            self._task.cancel()


Progress = Callable[[tuple[int, int] | None, bytes | None], None]
"""Applies a draw's newest step ``(done, total)`` and newest live preview (either may be None)."""


class StepRelay:
    """Steps and live previews reported from the draw thread, handed to the loop with at most one
    hop in flight: those that arrive while a hop is pending only update what it will deliver
    (the newest step, the newest preview)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, apply: Progress) -> None:
        self._loop = loop
        self._apply = apply
        self._context = contextvars.copy_context()
        """The loop side's context: the hop must not run in the draw thread's (empty) one."""
        self._lock = threading.Lock()
        self._step: tuple[int, int] | None = None
        self._preview: bytes | None = None
        self._pending = False

    def on_step(self, done: int, total: int) -> None:
        with self._lock:
            self._step = (done, total)
        self._hop()

    def on_preview(self, preview: bytes) -> None:
        with self._lock:
            self._preview = preview
        self._hop()

    def _hop(self) -> None:
        with self._lock:
            if self._pending:
                return
            self._pending = True
        self._loop.call_soon_threadsafe(self._flush, context=self._context)

    def _flush(self) -> None:
        with self._lock:
            step, preview, self._step, self._preview = self._step, self._preview, None, None
            self._pending = False
        self._apply(step, preview)
