"""Cross-request batching for speech: clips that arrive together are recognised in one call.

A clip waits at most ``wait`` seconds for company (or until ``max_clips`` are there); the batch
then runs in a worker thread while later clips gather for the next one (those that waited for a
busy worker wait ``wait`` once more at most). ``workers`` batches run at once, and the clips
gathered are shared out among the workers gathering them (8 clips, 2 idle workers: 4 each), so
that no worker idles while another decodes a long batch. Every clip keeps its own result and its
own cancellation: a caller that gives up is dropped from its batch, the others finish as they
would have alone.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.domain.results import SpeechResult


def _never() -> bool:
    return False


@dataclass(frozen=True)
class Request:
    """One clip to recognise: 16 kHz mono samples, a language to use instead of detecting one,
    and whether its caller has given up (checked between the stages of a batch)."""

    samples: np.ndarray
    language: str | None = None
    cancelled: Callable[[], bool] = _never

    @classmethod
    def of(cls, samples: np.ndarray, language: str | None = None, **kwargs: Any) -> Request:
        """Checked: float32 mono, so that one bad clip never fails a whole batch."""
        audio = np.ascontiguousarray(samples, dtype=np.float32)
        if audio.ndim != 1:
            raise ValueError(f"expected mono samples, got shape {audio.shape}")
        return cls(audio, language, **kwargs)


RecognizeMany = Callable[[Sequence[Request]], list[SpeechResult | None]]
"""Blocking: each request's result, None for one cancelled meanwhile."""


@dataclass(frozen=True)
class _Pending:
    request: Request
    future: asyncio.Future[SpeechResult | None]


class BatchCollector:
    """Gathers clips into batches for ``recognize_many``; bound to the event loop it runs on.

    The wait for company happens in the worker thread (a real-time wait, ended early when the
    batch is full), not on the event loop's clock, so a loop with a virtual clock (tests) works.
    """

    def __init__(
        self, recognize_many: RecognizeMany, *, wait: float, max_clips: int, workers: int
    ) -> None:
        self._recognize_many = recognize_many
        self.wait = wait
        self.max_clips = max_clips
        self.workers = workers
        self._pending: list[_Pending] = []
        self._lock = threading.Lock()
        self._full = threading.Event()
        self._busy = 0
        self._running = 0
        """Workers recognising a batch (the others are idle or gathering one)."""
        self._tasks: set[asyncio.Task[None]] = set()

    async def submit(self, samples: np.ndarray, language: str | None = None) -> SpeechResult:
        """What was said in ``samples``, recognised together with the clips arriving meanwhile.

        Cancelling the caller cancels its future, which the batch sees through the request.
        """
        future: asyncio.Future[SpeechResult | None] = asyncio.get_running_loop().create_future()
        request = Request.of(samples, language, cancelled=future.cancelled)
        with self._lock:
            self._pending.append(_Pending(request, future))
            if len(self._pending) >= self.max_clips:
                self._full.set()
        self._start()
        result = await future
        assert result is not None, "only a cancelled request has no result"
        return result

    def _start(self) -> None:
        if self._pending and self._busy < self.workers:
            self._busy += 1
            task = asyncio.get_running_loop().create_task(self._run())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _take(self) -> list[_Pending]:
        """In the worker thread: wait for company, then take the clips still wanted (this worker's
        share of them, the idle workers sharing them out)."""
        self._full.wait(self.wait)
        with self._lock:
            idle = self.workers - self._running
            share = min(self.max_clips, -(-len(self._pending) // idle))
            self._running += 1
            batch = [p for p in self._pending[:share] if not p.future.done()]
            del self._pending[:share]
            self._full.clear()
            if len(self._pending) >= self.max_clips:
                self._full.set()
        return batch

    def _work(self) -> tuple[list[_Pending], list[SpeechResult | None] | BaseException]:
        batch = self._take()
        try:
            return batch, self._recognize_many([p.request for p in batch]) if batch else []
        except Exception as error:  # every clip of the batch hears of it
            return batch, error
        finally:
            with self._lock:
                self._running -= 1

    async def _run(self) -> None:
        try:
            batch, results = await asyncio.to_thread(self._work)
            for i, pending in enumerate(batch):
                if pending.future.done():
                    continue
                if isinstance(results, BaseException):
                    pending.future.set_exception(results)
                else:
                    pending.future.set_result(results[i])
        finally:
            self._busy -= 1
            self._start()  # the clips that came meanwhile
