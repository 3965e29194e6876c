"""Discord's REST API at another base URL (``discord.api_base``): a REST proxy that shares one
rate limit among processes (nirn-proxy, twilight-http-proxy), or a fake Discord in tests.

discord.py builds every REST URL from ``discord.http.Route.BASE``: the bot's own calls and the
interaction webhooks (``discord.webhook.async_`` imports the same ``Route``). Its gateway URL
is a class default (``wss://gateway.discord.gg``), so with another base the bot asks that base
where the gateway is (``GET /gateway/bot``, as Discord's docs tell clients to) before it connects;
a proxy passes Discord's own answer through.
"""

from __future__ import annotations

import logging

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import HTTPClient, Route

log = logging.getLogger(__name__)


def use_api_base(base: str) -> None:
    """Send every REST call to ``base`` (call before the login, the first of them)."""
    Route.BASE = base.rstrip("/")
    log.info("Discord REST API at %s", Route.BASE)


async def follow_gateway(http: HTTPClient) -> None:
    """Connect to the gateway the REST base names (call after the login, before connecting)."""
    _, url, _ = await http.get_bot_gateway()
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
    log.info("Discord gateway at %s", url)
