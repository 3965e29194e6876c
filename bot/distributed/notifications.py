"""Stage notifications that survive Redis: one pub/sub subscription to every change of the stages.

SAQ publishes every change of a job on a channel named by the job's id (``saq:job:<queue>:<key>``).
Its own listener (``PubSubMultiplexer``) catches every exception, logs it and reads again at once:
while Redis is away that is a busy loop, and a connection that died without a word is never
noticed (SAQ issue #286, closed without a fix). This one is the project's own, on redis-py: it
subscribes, pings a subscription that has been quiet for a while, and when Redis goes away or a
ping goes unanswered it waits with exponential backoff and subscribes again. Each (re)subscription
wakes every watcher, so each reads its stage at once and catches up on what it missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from bot.infra.tasks import stop_task

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Backoff:
    """Waits between tries: doubling from ``first`` up to ``most``, each with up to a quarter
    more at random (so processes that lost Redis together do not come back in step)."""

    first: float = 0.1
    most: float = 5.0

    def wait(self, tries: int) -> float:
        """Seconds to wait after ``tries`` failed tries in a row (1 or more)."""
        base = min(self.most, self.first * 2 ** (tries - 1))
        return base * (1 + random.random() / 4)


RETRY = Backoff()
QUIET_SECONDS = 5.0
"""A subscription that has heard nothing for this long is pinged; one whose ping has gone
unanswered for as long again is taken for dead (a connection that died without a word)."""
READ_SECONDS = 1.0
"""Longest single wait for a message (the quiet clock is looked at in between)."""


class _Silent(Exception):
    """A subscription did not answer its ping."""


class StageNotifications:
    """One subscription to the channels of ``patterns``; :meth:`watching` a channel gives an event
    that is set on each of its notifications and on every (re)subscription."""

    def __init__(self, redis: Redis, patterns: Iterable[str]) -> None:
        """``redis``: a client with no read timeout (a subscription waits as long as it takes)."""
        self._redis = redis
        self._patterns = list(patterns)
        self._watchers: dict[str, set[asyncio.Event]] = defaultdict(set)
        self._task: asyncio.Task[None] | None = None
        self.live = False
        """Subscribed now."""
        self.subscribed = 0
        """Subscriptions made so far (the first, then one after each loss)."""
        self.tries = 0
        """Subscriptions tried so far, those that failed included."""

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="stage-notifications")

    async def close(self) -> None:
        await stop_task(self._task)
        self._task = None
        self.live = False

    @contextlib.contextmanager
    def watching(self, channel: str) -> Iterator[asyncio.Event]:
        """An event set whenever ``channel`` is notified, or something may have been missed."""
        event = asyncio.Event()
        self._watchers[channel].add(event)
        try:
            yield event
        finally:
            watchers = self._watchers[channel]
            watchers.discard(event)
            if not watchers:
                del self._watchers[channel]

    async def _run(self) -> None:
        failures = 0
        while True:
            pubsub = self._redis.pubsub()
            try:
                self.tries += 1
                await pubsub.psubscribe(*self._patterns)
                failures = 0
                await self._read(pubsub)
            except (RedisError, OSError, _Silent) as error:
                if self.live:
                    log.warning("stage notifications lost (%s); subscribing again", error)
                elif failures == 0:
                    log.warning("cannot subscribe to stage notifications (%s); retrying", error)
            finally:
                self.live = False
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()
            failures += 1
            await asyncio.sleep(RETRY.wait(failures))

    async def _read(self, pubsub: PubSub) -> None:
        self.live = True
        self.subscribed += 1
        if self.subscribed > 1:
            log.info("stage notifications subscribed again; catching up")
        self._wake(self._watchers)  # a change made while unsubscribed is read now
        heard = time.monotonic()
        pinged = False
        while True:
            message = await pubsub.get_message(timeout=READ_SECONDS)
            if message is not None:
                heard, pinged = time.monotonic(), False
                if message["type"] == "pmessage":
                    self._wake([message["channel"].decode()])
            elif time.monotonic() - heard > QUIET_SECONDS * (2 if pinged else 1):
                if pinged:
                    raise _Silent(f"no answer to a ping in {QUIET_SECONDS:.0f} s")
                await pubsub.ping()
                pinged = True

    def _wake(self, channels: Iterable[str]) -> None:
        for channel in list(channels):
            for event in self._watchers.get(channel, ()):
                event.set()
