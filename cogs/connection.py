"""Reaching Discord: log in (trying again while Discord is unreachable), say who the bot is and
how to invite it, and turn Discord's refusals into one line each with what to do.

discord.py raises a rejected token as ``LoginFailure``, an intent the developer portal has not
enabled as ``PrivilegedIntentsRequired`` and an unreachable Discord as aiohttp's errors, each with
a traceback; and its gateway loop logs every reconnect with one. Here each is one line.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from dataclasses import dataclass

import aiohttp
import discord
from discord.utils import MISSING

from bot.config import DiscordSettings
from bot.infra.process import ExitCode, StartFailure, silence

log = logging.getLogger(__name__)

PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
)
"""What the bot needs in a channel (the README's list): its invite URL asks for exactly these."""
SCOPES = ("bot", "applications.commands")
PORTAL = "https://discord.com/developers/applications"
LOGIN_TIMEOUT = 30.0
"""Seconds one attempt to log in may take before it counts as Discord not answering."""
RETRY_FIRST, RETRY_MAX = 2.0, 60.0
"""Seconds before the second attempt, doubling up to the most between two."""

UNREACHABLE = (aiohttp.ClientError, OSError, TimeoutError, discord.DiscordServerError)
"""What an unreachable or failing Discord raises while logging in."""


def wanted_intents(settings: DiscordSettings) -> discord.Intents:
    """The default intents, and Message Content (privileged) when auto mode may need it."""
    intents = discord.Intents.default()
    wanted = settings.message_content_intent
    intents.message_content = settings.auto_voice if wanted is None else wanted
    return intents


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(application_id, permissions=PERMISSIONS, scopes=SCOPES)


def greeting(name: str, user_id: int, servers: int, application_id: int) -> list[str]:
    """The first lines of a start: who the bot is, in how many servers, how to invite it."""
    url = invite_url(application_id)
    if servers == 0:
        return [
            f"Logged in as {name} (id {user_id}), in no server yet",
            f"Invite it to a server first (you need Manage Server there): {url}",
        ]
    return [
        f"Logged in as {name} (id {user_id}), in {servers} server{'s' * (servers > 1)}",
        f"Invite it to more servers: {url}",
    ]


async def log_in(client: discord.Client, token: str) -> None:
    """``client.login(token)``, tried again with backoff (one line each time) while Discord is
    unreachable; a rejected token raises :class:`StartFailure`."""
    delay = RETRY_FIRST
    for attempt in itertools.count(1):
        try:
            await _timed_login(client, token)
            return
        except discord.LoginFailure:
            raise token_rejected() from None
        except UNREACHABLE as error:
            reason = str(error) or f"no answer in {LOGIN_TIMEOUT:.0f} s"
            log.warning(
                "Discord is unreachable (%s); trying again in %.0f s (attempt %d)",
                reason,
                delay,
                attempt,
            )
        await _forget_session(client.http)
        await asyncio.sleep(delay)
        delay = min(delay * 2, RETRY_MAX)


async def _timed_login(client: discord.Client, token: str) -> None:
    """``client.login(token)``; its REST calls (the user, the application) must be done within
    :data:`LOGIN_TIMEOUT`, its ``setup_hook`` (which follows them) may take as long as it takes:
    cut short, it would run again at the next attempt."""
    login = asyncio.ensure_future(client.login(token))
    try:
        done, _ = await asyncio.wait({login}, timeout=LOGIN_TIMEOUT)
        if not done and client.application is None:
            raise TimeoutError
        await login
    finally:
        login.cancel()


async def connect(client: discord.Client, settings: DiscordSettings) -> None:
    """``client.connect()``: the gateway until the client closes (discord.py reconnects); a
    privileged intent the portal has not enabled, or a token the gateway rejects, raises
    :class:`StartFailure`."""
    try:
        await client.connect()
    except discord.PrivilegedIntentsRequired:
        raise intent_not_enabled(client.application_id, settings) from None
    except discord.ConnectionClosed as closed:
        if closed.code == 4004:  # Authentication failed
            raise token_rejected() from None
        raise


def token_rejected() -> StartFailure:
    return StartFailure(
        "Discord rejected the token (401)",
        f"reset it at {PORTAL} → your application → Bot → Reset Token, then set DISCORD_TOKEN "
        "(or the file in discord.token_file) to the new one",
        ExitCode.TOKEN_REJECTED,
    )


def intent_not_enabled(application_id: int | None, settings: DiscordSettings) -> StartFailure:
    """Which privileged intent this bot asks for, where to enable it, how to run without it."""
    portal = f"{PORTAL}/{application_id}/bot" if application_id else PORTAL
    if settings.message_content_intent is None:
        asked_by, without = "discord.auto_voice = true", "set discord.auto_voice = false"
    else:
        asked_by = "discord.message_content_intent = true"
        without = "set discord.message_content_intent = false (and discord.auto_voice = false)"
    return StartFailure(
        f"The privileged Message Content intent, which {asked_by} asks for, is not enabled for "
        "this bot (Discord closed the gateway with 4014)",
        f"enable it at {portal} (Privileged Gateway Intents → Message Content Intent), or run "
        f"without it: {without} (voice messages are then drawn from the context menu)",
        ExitCode.INTENT_NOT_ENABLED,
    )


@dataclass(frozen=True)
class Identity:
    """What Discord says about a token: the bot, its application, its servers."""

    name: str
    user_id: int
    application_id: int
    servers: int
    message_content: bool
    """Whether the developer portal has the Message Content intent on (or its limited form)."""


async def identify(token: str) -> Identity:
    """Ask Discord about ``token`` over REST, without the gateway (``python -m bot doctor``):
    raises :class:`StartFailure` for a rejected token, :data:`UNREACHABLE` errors otherwise."""
    http = discord.http.HTTPClient(asyncio.get_running_loop())
    try:
        async with asyncio.timeout(LOGIN_TIMEOUT):
            try:
                me = await http.static_login(token)
            except discord.LoginFailure:
                raise token_rejected() from None
            application = await http.application_info()
            servers = await http.get_guilds(200)
    finally:
        await http.close()
    content = discord.ApplicationFlags.gateway_message_content.flag
    limited = discord.ApplicationFlags.gateway_message_content_limited.flag
    return Identity(
        name=me["username"],
        user_id=int(me["id"]),
        application_id=int(application["id"]),
        servers=len(servers),
        message_content=bool(application.get("flags", 0) & (content | limited)),
    )


async def _forget_session(http: discord.http.HTTPClient) -> None:
    """Close the HTTP session a failed login opened (each login opens one, and its connector
    with it), so that the next attempt starts afresh."""
    await http.close()
    http.connector = MISSING


class Reconnects(logging.Filter):
    """discord.py logs each reconnect with a traceback: here it is one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("Attempting a reconnect") and record.exc_info:
            error = record.exc_info[1]
            reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            record.msg, record.args = "lost the connection to Discord (%s); %s", (reason, message)
            record.exc_info, record.exc_text, record.levelno = None, None, logging.WARNING
            record.levelname = "WARNING"
        return True


def quiet_discord() -> None:
    """discord.py's warnings and errors stay, a reconnect in one line (:class:`Reconnects`);
    its INFO chatter ("logging in using static token", session ids) and the voice libraries it
    would need to join voice channels (this bot joins none) are left out."""
    logging.getLogger("discord").setLevel(logging.WARNING)
    logging.getLogger("discord.client").addFilter(Reconnects())
    silence("discord.client", "PyNaCl is not installed", "davey is not installed")
