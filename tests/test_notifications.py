"""Stage notifications that survive Redis (:mod:`bot.distributed.notifications`), against a real
``redis-server``: stopped and started again, and behind a relay whose connections go silent."""

from __future__ import annotations

import asyncio
import time

import pytest
import redis.asyncio as aioredis

from bot.distributed import notifications as module
from bot.distributed.notifications import RETRY, StageNotifications
from bot.distributed.protocol import connect
from tests.support.redis_server import RedisServer, SilentRelay, until

REACT = 30.0
"""Seconds a reaction of the listener (its loop, a subscription, a reconnection) may take here:
each is a few round trips to a local Redis, on a machine that may be very busy."""
OUTAGE = 3.0
"""How long Redis stays away."""


def most_tries(seconds: float) -> int:
    """The most subscriptions the backoff allows in ``seconds`` (each wait at its shortest)."""
    tries, waited = 1, 0.0
    while waited + (wait := min(RETRY.most, RETRY.first * 2 ** (tries - 1))) <= seconds:
        waited += wait
        tries += 1
    return tries + 1  # and one under way as the window closes


async def published(url: str, channel: str, heard: asyncio.Event) -> None:
    """Publish on ``channel`` until ``heard`` is set (a message sent before the subscription is
    in place is lost, as in any pub/sub)."""
    client = aioredis.Redis.from_url(url)
    try:
        deadline = time.monotonic() + REACT
        while not heard.is_set():
            assert time.monotonic() < deadline, f"no notification on {channel}"
            await client.publish(channel, b"active")
            await asyncio.sleep(0.1)
    finally:
        await client.aclose()


async def test_notifications_come_back_after_a_redis_restart_with_no_busy_loop_meanwhile(
    redis_server: RedisServer,
) -> None:
    notifications = StageNotifications(connect(redis_server.url, read_timeout=None), ["stage:*"])
    notifications.start()
    try:
        await until(lambda: notifications.live, "the subscription", REACT)
        with notifications.watching("stage:1") as changed:
            await published(redis_server.url, "stage:1", changed)
            redis_server.stop()
            await until(lambda: not notifications.live, "the loss to be noticed", REACT)
            tries, cpu, began = notifications.tries, time.process_time(), time.monotonic()
            await asyncio.sleep(OUTAGE)
            tries, cpu = notifications.tries - tries, time.process_time() - cpu
            outage = time.monotonic() - began
            changed.clear()
            redis_server.start()
            await until(lambda: notifications.subscribed == 2, "a new subscription", REACT)
            assert changed.is_set()  # woken to read what it may have missed
            changed.clear()
            await published(redis_server.url, "stage:1", changed)
    finally:
        await notifications.close()
    assert tries <= most_tries(outage)
    print(f"\nRedis away {outage:.1f} s: {tries} subscriptions tried, {cpu:.3f} s of CPU")


async def test_a_subscription_gone_silent_is_noticed_and_renewed(
    redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module, "QUIET_SECONDS", 0.5)
    monkeypatch.setattr(module, "READ_SECONDS", 0.1)
    async with SilentRelay(redis_server.port) as relay:
        relayed = connect(f"redis://127.0.0.1:{relay.port}/0", read_timeout=None)
        notifications = StageNotifications(relayed, ["stage:*"])
        notifications.start()
        try:
            await until(lambda: notifications.live, "the subscription", REACT)
            with notifications.watching("stage:2") as changed:
                relay.silence()  # no error, no close: only a ping left unanswered tells
                await until(lambda: notifications.subscribed == 2, "a new subscription", REACT)
                changed.clear()
                await published(redis_server.url, "stage:2", changed)
        finally:
            await notifications.close()
