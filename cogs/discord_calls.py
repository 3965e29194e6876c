"""How a Discord call of the delivery path failed: worth another try later (5xx, 429, the
network), this way to the message gone (token dead, message deleted, no access), or Discord
refusing the message itself (400); and the nonce that makes a message's creation idempotent."""

from __future__ import annotations

import hashlib
from typing import Any

import aiohttp
import discord

TOKEN_GONE = {10015, 50027}
"""Unknown Webhook, Invalid Webhook Token: the interaction's token no longer works."""
UNKNOWN_MESSAGE = 10008
"""Someone deleted the job's message."""
MESSAGE_GONE = {10003, UNKNOWN_MESSAGE, 50001, 50013}
"""Unknown Channel, Unknown Message, Missing Access, Missing Permissions: post elsewhere."""
NONCE_LENGTH = 25
"""The longest nonce Discord takes."""


def post_nonce(*parts: object) -> str:
    """The nonce of one message the bot creates, derived from what identifies it (the same in
    every try and after a restart). discord.py sends ``enforce_nonce`` with every nonce, so
    Discord answers a repeat by the same author with the message the first try created instead
    of creating another: a post whose answer a crash or a timeout lost is not doubled. Discord
    keeps nonces only a few minutes: a repeat after that creates a second message."""
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:NONCE_LENGTH]


class Retry(Exception):
    """Worth another try, after ``after`` seconds at least (a 429's own wait)."""

    def __init__(self, after: float, reason: str) -> None:
        super().__init__(reason)
        self.after = after


class Gone(Exception):
    """This way to the message works no more (token dead, message deleted, no access)."""

    def __init__(self, reason: str, *, deleted: bool = False) -> None:
        super().__init__(reason)
        self.deleted = deleted
        """The message itself is gone (someone deleted it): no way to it works any more."""


class Rejected(Exception):
    """Discord refused the message itself (400): sending it again would fail again."""


async def call(awaitable: Any) -> Any:
    """A Discord call, its failure sorted into "try again later" and "this way is gone"."""
    try:
        return await awaitable
    except discord.RateLimited as error:
        raise Retry(error.retry_after, "rate limited") from error
    except discord.HTTPException as error:
        if error.status == 429:
            raise Retry(1.0, "429 Too Many Requests") from error
        if error.status == 401 and error.code not in TOKEN_GONE:  # the bot's own token refused:
            raise Retry(5.0, "401 Unauthorized") from error  # every call fails until it is good
        if (
            error.code in TOKEN_GONE
            or error.code in MESSAGE_GONE
            or error.status in (401, 403, 404)
        ):
            raise Gone(str(error), deleted=error.code == UNKNOWN_MESSAGE) from error
        if error.status == 400:
            raise Rejected(f"{error.code} {error.text[:200]}") from error
        raise Retry(0.5, f"{error.status} {error.text[:80]}") from error
    except (aiohttp.ClientError, OSError, TimeoutError) as error:
        raise Retry(0.5, type(error).__name__) from error
