"""What the bot and its workers say to each other through Redis, on SAQ queues.

Everything is msgpack, never pickle, so nothing read from Redis can run code. Every payload carries
``v`` (:data:`VERSION`) and readers ignore fields they do not know, so a bot and workers one version
apart interoperate during a rolling upgrade. A stage's id in SAQ is derived from the bot's job id
(:func:`stage_key`), which lets a restarted bot find a stage that is still running.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import msgpack
from redis.asyncio import Redis
from saq.queue.redis import RedisQueue

from bot.domain.errors import UserFacingError
from bot.domain.messages import Message
from bot.domain.records import known_fields

log = logging.getLogger(__name__)

VERSION = 3
"""Of the payloads below (1 was the arq protocol; 3: a refusal is a message key and its
arguments, which the bot renders in its user's language; 2 sent the English sentence)."""
LISTEN_QUEUE = "s2i-listen"
DRAW_QUEUE = "s2i-draw"
WORKER_PREFIX = "s2i:worker:"
"""``+ name``: a worker's heartbeat, a :class:`WorkerInfo` that expires unless renewed."""
HEARTBEAT_SECONDS = 1.0
HEARTBEAT_TTL_SECONDS = 3.0
JOB_HEARTBEAT_SECONDS = 3
"""A running stage whose worker has not touched it for this long is swept and run again."""
TEND_SECONDS = 0.5
"""How often a worker touches its running stages and publishes a draw's progress in the stage's
``meta``: ``{"step": [done, total], "preview": [n, jpeg]}`` (the newest live preview, a small
JPEG, and a count that tells the bot it is new; readers ignore keys they do not know)."""
RESULT_TTL_SECONDS = 600
"""Results a bot never collected (it was away) expire after this."""
DRAW_TIMEOUT_SECONDS = 1800
LISTEN_TIMEOUT_SECONDS = 300
MAX_TRIES = 3
"""Runs of one stage at most (a stage that keeps killing its workers fails after this)."""


def pack(data: Any) -> bytes:
    return msgpack.packb(data)


def unpack(raw: bytes | str) -> Any:
    return msgpack.unpackb(raw)


def connect(url: str, *, read_timeout: float | None = 15) -> Redis:
    """A Redis client that fails fast while Redis is away (the callers retry). ``read_timeout``
    None for one that holds a subscription (it waits for messages as long as it takes)."""
    return Redis.from_url(
        url, socket_connect_timeout=2, socket_timeout=read_timeout, health_check_interval=15
    )


GOODBYE_SECONDS = 2.0
"""How long a stopping process spends on its last calls to Redis (it may not answer)."""


async def goodbye(*last_calls: Awaitable[object]) -> None:
    """Await a stop's last calls to Redis (disconnects, removing a heartbeat) together, for
    :data:`GOODBYE_SECONDS` at most, their errors ignored: a Redis that does not answer (a
    subscription's connection waits for its reply for ever) is not waited for."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(GOODBYE_SECONDS):
            await asyncio.gather(*last_calls, return_exceptions=True)


def redacted(url: str) -> str:
    """A Redis URL fit for the log: without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def queue(redis: Redis, name: str) -> RedisQueue:
    """One SAQ queue (draw or listen) on ``redis``, its jobs in msgpack."""
    return RedisQueue(redis, name=name, dump=pack, load=unpack)


def stage_key(stage: str, job_id: str) -> str:
    """The SAQ job key of one job's stage: the same for every bot that runs the job."""
    return f"{stage}:{job_id}"


def stage_options(stage: str) -> dict[str, Any]:
    """SAQ's options for a stage's job: its timeout, heartbeat, retries and result TTL."""
    timeout = DRAW_TIMEOUT_SECONDS if stage == "draw" else LISTEN_TIMEOUT_SECONDS
    return {
        "timeout": timeout,
        "heartbeat": JOB_HEARTBEAT_SECONDS,
        "retries": MAX_TRIES,
        "ttl": RESULT_TTL_SECONDS,
    }


def refusal(error: UserFacingError) -> dict[str, Any]:
    """A stage's reply when the user's input or a limit stopped it."""
    message = error.message.to_dict()
    return {"v": VERSION, "error": message["key"], "args": message["args"], "kind": error.kind}


def failure(error: Exception) -> dict[str, Any]:
    """A stage's reply when it crashed: text, and not retried (it would crash again)."""
    return {"v": VERSION, "failed": f"{type(error).__name__}: {error}"}


def outcome(reply: dict[str, Any]) -> Any:
    """A stage's payload, or the refusal or the failure its reply reports."""
    if "error" in reply:
        kind = reply.get("kind", "bad_input")
        if "args" not in reply:  # a worker of version 2 sent the sentence itself
            raise UserFacingError.of(Message.text(reply["error"]), kind=kind)
        message = Message.from_dict({"key": reply["error"], "args": reply["args"]})
        raise UserFacingError.of(message, kind=kind)
    if "failed" in reply:
        raise RuntimeError(f"a stage failed on a worker: {reply['failed']}")
    return reply["ok"]


@dataclass(frozen=True)
class WorkerInfo:
    """What a worker's heartbeat tells the bot."""

    name: str
    """``host:pid``."""
    model: str
    device: str
    speech_models: list[str]
    status: str
    ready: bool
    drawn: int = 0
    heard: int = 0
    drawing: str | None = None
    """The stage key of a draw it is running (the oldest)."""
    draw_slots: int = 1
    """Draws it takes at once (``image.batch_jobs``: matching ones are drawn in one batch)."""

    def payload(self) -> bytes:
        return pack({"v": VERSION, **dataclasses.asdict(self)})

    @classmethod
    def read(cls, raw: bytes) -> WorkerInfo:
        """A heartbeat, from this version or a newer one (its extra fields ignored)."""
        return cls(**known_fields(cls, unpack(raw)))


def read_heartbeats(beats: list[bytes | None]) -> list[WorkerInfo]:
    """The heartbeats that can be read; one that cannot is logged and skipped."""
    workers = []
    for beat in beats:
        if beat is None:
            continue
        try:
            workers.append(WorkerInfo.read(beat))
        except Exception as error:
            log.warning(
                "skipping an unreadable worker heartbeat (%s: %s)", type(error).__name__, error
            )
    return workers
