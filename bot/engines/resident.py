"""Models kept loaded by name, at most N at once, the least recently used leaving first.

Race-free: one load per name at a time, and callers asking for a name being loaded wait for that
load and share its result (or its error). A model is *in use* between :meth:`ResidentModels.use`
entering and leaving; eviction never removes a model being loaded or in use, so while every
resident model is in use the count may pass the limit until one is released.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass
class _Entry(Generic[T]):
    model: T | None = None
    error: BaseException | None = None
    users: int = 0
    """Callers holding it or waiting for its load."""

    @property
    def settled(self) -> bool:
        return self.model is not None or self.error is not None


class ResidentModels(Generic[T]):
    """``load(name)`` (blocking) on first use; at most ``limit`` models kept."""

    def __init__(self, load: Callable[[str], T], limit: int, *, kind: str = "model") -> None:
        self._load = load
        self._limit = limit
        self._kind = kind
        self._entries: OrderedDict[str, _Entry[T]] = OrderedDict()
        self._changed = threading.Condition()
        self._waits = ThreadPoolExecutor(thread_name_prefix=f"load-{kind}")
        """Threads for loads and for the coroutines waiting on them: never asyncio's own pool,
        which the speech batches and ffmpeg need meanwhile."""

    @property
    def names(self) -> list[str]:
        """The models loaded now, least recently used first."""
        with self._changed:
            return [name for name, entry in self._entries.items() if entry.model is not None]

    @contextmanager
    def use(self, name: str) -> Iterator[T]:
        """The model ``name``, loaded if needed and kept while in use. Blocking: call from a thread."""
        model = self.acquire(name)
        try:
            yield model
        finally:
            self.release(name)

    @asynccontextmanager
    async def use_async(self, name: str) -> AsyncIterator[T]:
        """:meth:`use` for coroutines: a loaded model at once; else the load (or the wait for
        it) runs in a thread of this pool's own; a caller cancelled while it waits releases the
        model once the thread has it."""
        model = self._acquire_loaded(name)
        if model is None:
            loop = asyncio.get_running_loop()
            acquiring = loop.run_in_executor(self._waits, self.acquire, name)
            try:
                model = await asyncio.shield(acquiring)
            except asyncio.CancelledError:
                acquiring.add_done_callback(lambda done: self._release_acquired(done, name))
                raise
        try:
            yield model
        finally:
            self.release(name)

    def acquire(self, name: str) -> T:
        """Mark ``name`` in use and return it, loading it (or waiting for its load) first.
        Every successful call needs one :meth:`release`."""
        with self._changed:
            entry = self._entries.get(name)
            loads = entry is None
            if entry is None:
                entry = self._entries[name] = _Entry()
            entry.users += 1
            self._entries.move_to_end(name)
            self._evict()
        if loads:
            try:
                model = self._load(name)
            except BaseException as error:
                self._settle(name, entry, error=error)
                raise
            self._settle(name, entry, model=model)
            return model
        with self._changed:
            self._changed.wait_for(lambda: entry.settled)
            if entry.error is not None:
                entry.users -= 1
                raise entry.error
            assert entry.model is not None
            return entry.model

    def _acquire_loaded(self, name: str) -> T | None:
        """``name`` marked in use if it is loaded now, without waiting; else None."""
        with self._changed:
            entry = self._entries.get(name)
            if entry is None or entry.model is None:
                return None
            entry.users += 1
            self._entries.move_to_end(name)
            return entry.model

    def release(self, name: str) -> None:
        with self._changed:
            self._entries[name].users -= 1
            self._evict()

    def _release_acquired(self, acquiring: asyncio.Future[T], name: str) -> None:
        if not acquiring.cancelled() and acquiring.exception() is None:
            self.release(name)

    def _settle(
        self,
        name: str,
        entry: _Entry[T],
        *,
        model: T | None = None,
        error: BaseException | None = None,
    ) -> None:
        with self._changed:
            entry.model, entry.error = model, error
            if error is not None:  # the next caller tries again; those waiting share the error
                entry.users -= 1
                del self._entries[name]
            self._evict()
            self._changed.notify_all()

    def _evict(self) -> None:
        """Unload the least recently used models not in use, down to the limit. Lock held."""
        while len(self._entries) > self._limit:
            idle = next(
                (n for n, e in self._entries.items() if not e.users and e.model is not None), None
            )
            if idle is None:
                return
            del self._entries[idle]
            log.info("unloaded %s %s (at most %d resident)", self._kind, idle, self._limit)
