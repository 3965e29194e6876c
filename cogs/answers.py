"""Answering a user through Discord: an acknowledgement within the interaction's 3 s, a private
answer (ephemeral, or a self-deleting reply to a voice message), each call made again after a
failure that may pass until its deadline. The intake, the buttons and the commands answer
through these."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import discord

from bot.domain.errors import GENERIC_ERROR, UserFacingError
from bot.domain.messages import Message
from cogs.i18n.catalog import render
from cogs.render import NO_MENTIONS
from cogs.routes import Route

log = logging.getLogger(__name__)

ACK_SECONDS = 2.5
"""An interaction's acknowledgement is retried until this long after it was created."""
FOLLOWUP_SECONDS = 10.0
"""A private answer after the acknowledgement (a follow-up, a refusal) is retried this long."""
TRANSIENT = (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError)
"""Failures of a Discord call that may pass if it is made again."""
ALREADY_ACKNOWLEDGED = 40060
REFUSAL_SECONDS = 60.0
"""A refusal answering a voice message deletes itself after this long (no channel spam)."""


async def answered(call: Callable[[], Awaitable[object]], *, until: float, what: str) -> bool:
    """Make one Discord call that answers a user, again after a failure that may pass (5xx, 429,
    a timeout, a dropped connection) until ``until`` (a POSIX time); False if it never got
    through (the interaction is gone, Discord refused the call, or the time ran out)."""
    delay = 0.2
    while True:
        try:
            await call()
            return True
        except discord.InteractionResponded:
            return True
        except discord.NotFound:  # the interaction expired or is unknown
            return False
        except TRANSIENT as error:
            if isinstance(error, discord.HTTPException) and error.code == ALREADY_ACKNOWLEDGED:
                return True  # an earlier try got through after all
            if isinstance(error, discord.HTTPException) and not _may_pass(error):
                log.warning("could not %s: %s", what, error)
                return False
            if until - discord.utils.utcnow().timestamp() <= delay:
                log.warning("could not %s: %s", what, error)
                return False
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)


def _may_pass(error: discord.HTTPException) -> bool:
    """A server error or a rate limit; Discord refusing the call (400, 403) stays refused."""
    return error.status >= 500 or error.status == 429


def deadline_of(interaction: discord.Interaction) -> float:
    """When Discord stops waiting for an interaction's first answer (less a margin)."""
    return interaction.created_at.timestamp() + ACK_SECONDS


async def acknowledge(
    interaction: discord.Interaction, *, thinking: bool, route: Route | None = None
) -> bool:
    """Defer the interaction (publicly "thinking…", or invisibly) within Discord's deadline.
    With ``route``, the "thinking…" message's id goes into it: once the token is gone, the
    outbox edits (or replaces) that message through the channel, never leaving it thinking."""

    async def defer() -> None:
        response = await interaction.response.defer(thinking=thinking)
        if route is not None and response is not None and response.message_id:
            route.message_id = response.message_id

    return await answered(defer, until=deadline_of(interaction), what="acknowledge an interaction")


async def reply_privately(
    interaction: discord.Interaction, message: Message | str | None, **extra: Any
) -> None:
    """Answer an interaction ephemerally (``extra``: an embed, a view), whether or not it was
    acknowledged yet: as its first answer within Discord's deadline, or as a follow-up while its
    token lives. A :class:`Message` is said in the user's language (``interaction.locale``).
    An acknowledgement that got through although its call failed leaves discord.py unaware of
    it: Discord's "already acknowledged" then sends the follow-up."""
    if isinstance(message, Message):
        message = render(message, interaction.locale)
    kwargs = {"ephemeral": True, "allowed_mentions": NO_MENTIONS, **extra}

    async def reply() -> None:
        if not interaction.response.is_done():
            try:
                await interaction.response.send_message(message, **kwargs)
                return
            except discord.HTTPException as error:
                if error.code != ALREADY_ACKNOWLEDGED:
                    raise
        await interaction.followup.send(message, **kwargs)

    until = deadline_of(interaction) + FOLLOWUP_SECONDS
    await answered(reply, until=until, what=f"tell a user: {message}")


async def refuse_voice_message(message: discord.Message, refusal: Message, locale: str) -> None:
    """A refusal the sender sees (in ``locale``), as a silent reply that deletes itself."""
    text = render(refusal, locale)

    async def reply() -> None:
        await message.reply(
            f"❌ {text}",
            mention_author=False,
            allowed_mentions=NO_MENTIONS,
            delete_after=REFUSAL_SECONDS,
        )

    until = discord.utils.utcnow().timestamp() + FOLLOWUP_SECONDS
    await answered(reply, until=until, what=f"answer a voice message: {text}")


@contextlib.asynccontextmanager
async def answering_failures(interaction: discord.Interaction, what: str) -> AsyncIterator[None]:
    """A refusal inside is told to the user privately; any other failure is logged, and the
    user told that something went wrong."""
    try:
        yield
    except UserFacingError as error:
        await reply_privately(interaction, error.message)
    except Exception:
        log.exception("%s failed", what)
        await reply_privately(interaction, GENERIC_ERROR)
