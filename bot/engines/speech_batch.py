"""Cross-request batching for speech: clips that arrive together are recognised in one call.

A clip waits at most ``wait`` seconds for company (or until ``max_clips`` are there); the batch
then runs in a worker thread while later clips gather for the next one. ``workers`` batches run
at once. Every clip keeps its own result and its own cancellation: a caller that gives up is
dropped from its batch, the others finish as they would have alone.
"""

from __future__ import annotations

import asyncio
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
    """Gathers clips into batches for ``recognize_many``; bound to the event loop it runs on."""

    def __init__(
        self, recognize_many: RecognizeMany, *, wait: float, max_clips: int, workers: int
    ) -> None:
        self._recognize_many = recognize_many
        self.wait = wait
        self.max_clips = max_clips
        self.workers = workers
        self._pending: list[_Pending] = []
        self._timer: asyncio.TimerHandle | None = None
        self._busy = 0
        self._tasks: set[asyncio.Task[None]] = set()

    async def submit(self, samples: np.ndarray, language: str | None = None) -> SpeechResult:
        """What was said in ``samples``, recognised together with the clips arriving meanwhile.

        Cancelling the caller cancels its future, which the batch sees through the request.
        """
        future: asyncio.Future[SpeechResult | None] = asyncio.get_running_loop().create_future()
        self._pending.append(
            _Pending(Request.of(samples, language, cancelled=future.cancelled), future)
        )
        self._schedule()
        result = await future
        assert result is not None, "only a cancelled request has no result"
        return result

    def _schedule(self) -> None:
        if not self._pending or self._busy >= self.workers:
            return  # a batch that ends takes the waiting clips
        if len(self._pending) >= self.max_clips or self.wait <= 0:
            self._flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.wait, self._flush)

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch = [p for p in self._pending[: self.max_clips] if not p.future.done()]
        del self._pending[: self.max_clips]
        if batch:
            self._busy += 1
            task = asyncio.get_running_loop().create_task(self._run(batch))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self._schedule()

    async def _run(self, batch: list[_Pending]) -> None:
        try:
            results = await asyncio.to_thread(self._recognize_many, [p.request for p in batch])
        except Exception as error:  # every clip of the batch hears of it
            for pending in batch:
                if not pending.future.done():
                    pending.future.set_exception(error)
        else:
            for pending, result in zip(batch, results, strict=True):
                if not pending.future.done():
                    pending.future.set_result(result)
        finally:
            self._busy -= 1
            if self._pending:
                self._flush()  # these clips waited for a free worker: no more waiting
