"""What the Discord layer's services (the intake, the outbox) need of the bot, as a protocol: they
depend on it, not on :class:`cogs.client.SpeechBot`, which builds them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import discord

    from bot.config import Settings
    from bot.distributed.remote import RemoteEngines
    from bot.engines.runner import Engines
    from bot.infra.guild_settings import GuildSettingsCache
    from bot.infra.store import JobStore
    from bot.queue.protocols import JobBackend
    from cogs.i18n.languages import Languages


class BotServices(Protocol):
    """The bot's settings, engines, store, queue and languages, its own user, and the Discord
    calls the outbox makes."""

    settings: Settings
    engines: Engines | RemoteEngines
    store: JobStore
    guild_settings: GuildSettingsCache
    queue: JobBackend
    languages: Languages

    @property
    def user(self) -> discord.ClientUser | None: ...

    async def create_dm(self, user: discord.abc.Snowflake) -> discord.DMChannel: ...

    def get_partial_messageable(
        self,
        id: int,
        *,
        guild_id: int | None = None,
        type: discord.ChannelType | None = None,
    ) -> discord.PartialMessageable: ...
