"""A fake Discord on 127.0.0.1 that speaks the real protocol (REST, gateway, CDN), for running
the bot's real entry point as a process: see :class:`FakeDiscord`."""

from tests.support.fake_discord.fake import FakeDiscord
from tests.support.fake_discord.faults import Fault
from tests.support.fake_discord.history import GatewayFrame, History, MessageState, Request

__all__ = ["FakeDiscord", "Fault", "GatewayFrame", "History", "MessageState", "Request"]
