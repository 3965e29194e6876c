"""The doctor's Discord checks: the token (REST only, no gateway), the intents the config needs,
and the servers the bot is in (through the Discord layer's :mod:`cogs.connection`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from bot.config import ConfigError, Settings
from bot.doctor.findings import Finding
from bot.infra.process import StartFailure
from cogs import connection
from cogs.api_base import use_api_base


async def discord_checks(settings: Settings) -> AsyncIterator[Finding]:
    try:
        token = settings.discord_token().get_secret_value()
    except ConfigError as error:
        said, _, fix = str(error).partition(": ")
        yield Finding("token", "FAIL", said, fix)
        return
    if settings.discord.api_base is not None:
        use_api_base(settings.discord.api_base)
    try:
        me = await connection.identify(token)
    except StartFailure as rejected:
        yield Finding("token", "FAIL", rejected.said, rejected.fix)
        return
    except connection.UNREACHABLE as error:
        fix = "check this machine's network, proxy and firewall (HTTPS to discord.com)"
        yield Finding("token", "FAIL", f"Discord is unreachable ({error or 'no answer'})", fix)
        return
    yield Finding("token", "ok", f"Discord knows it: {me.name} (id {me.user_id})")
    yield _intents(settings, me)
    url = connection.invite_url(me.application_id)
    if me.servers == 0:
        yield Finding("servers", "FAIL", "the bot is in no server yet", f"invite it: {url}")
    else:
        yield Finding(
            "servers", "ok", f"in {me.servers} server{'s' * (me.servers > 1)}; invite: {url}"
        )


def _intents(settings: Settings, me: connection.Identity) -> Finding:
    if not connection.wanted_intents(settings.discord).message_content:
        return Finding("intents", "ok", "no privileged intent needed")
    if me.message_content:
        return Finding("intents", "ok", "Message Content: asked for and enabled")
    refused = connection.intent_not_enabled(me.application_id, settings.discord)
    said = refused.said.removesuffix(" (Discord closed the gateway with 4014)")
    return Finding("intents", "FAIL", said, refused.fix)
