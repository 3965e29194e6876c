"""The Discord client: builds the services once in ``setup_hook``, loads the cogs, syncs commands."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Settings
from bot.engines import Engines
from bot.errors import UserFacingError
from bot.jobs import JobQueue
from bot.store import JobStore
from cogs.render import reply_privately

log = logging.getLogger(__name__)

COGS = ("cogs.messages", "cogs.imagine", "cogs.voice", "cogs.admin")
SHUTDOWN_GRACE_SECONDS = 20.0


class SpeechBot(commands.Bot):
    """Owns the engines, the job store and the queue; cogs reach them through the bot."""

    def __init__(self, settings: Settings, engines: Engines) -> None:
        intents = discord.Intents.default()
        intents.message_content = settings.discord.auto_voice
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
        )
        self.settings = settings
        self.engines = engines
        self.store = JobStore(settings.store)
        self.queue = JobQueue(engines, settings.queue, settings.limits, self.store)
        self.tree.on_error = self.on_app_command_error

    async def setup_hook(self) -> None:
        self.engines.start_loading()
        await self.store.open()
        for name in COGS:
            await self.load_extension(name)
        await self.queue.start()
        await self.queue.recover()
        await self._sync_commands()

    async def _sync_commands(self) -> None:
        guild_id = self.settings.discord.sync_guild
        if guild_id is None:
            synced = await self.tree.sync()
        else:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        log.info("synced %d application commands", len(synced))

    async def close(self) -> None:
        await self.queue.stop(grace=SHUTDOWN_GRACE_SECONDS)
        await self.store.close()
        await super().close()

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """The last line: answer the user briefly (ephemeral) and log unexpected errors once."""
        original = getattr(error, "original", error)
        if isinstance(original, UserFacingError):
            message = str(original)
        elif isinstance(error, app_commands.CheckFailure):
            message = "You can't use that here."
        else:
            log.error("command %s failed", interaction.command, exc_info=original)
            message = "Something went wrong on my side (it has been logged). Please try again."
        await reply_privately(interaction, message)


def run_bot(settings: Settings) -> int:
    """``python -m bot run``: start the bot and block until it stops."""
    token = settings.discord_token().get_secret_value()
    bot = SpeechBot(settings, Engines(settings))
    bot.run(token, log_handler=None)
    return 0
