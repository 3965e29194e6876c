"""The Discord client: builds the services once in ``setup_hook``, loads the cogs, syncs commands."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Settings
from bot.distributed.remote import RedisJobQueue, RemoteEngines
from bot.domain.errors import UserFacingError
from bot.domain.policy import banned_word_in
from bot.engines.runner import Engines
from bot.infra.guild_settings import GuildSettingsCache
from bot.infra.metrics import HealthReport, MetricsServer
from bot.infra.store import JobStore
from bot.queue.lifecycle import JobQueue
from bot.queue.metrics import JobMetrics
from cogs.render import reply_privately

log = logging.getLogger(__name__)

COGS = (
    "cogs.messages",
    "cogs.imagine",
    "cogs.voice",
    "cogs.buttons",
    "cogs.settings",
    "cogs.admin",
)
SHUTDOWN_GRACE_SECONDS = 20.0


class SpeechBot(commands.Bot):
    """Owns the engines, the job store and the queue; cogs reach them through the bot."""

    def __init__(self, settings: Settings, engines: Engines | RemoteEngines) -> None:
        """``engines``: the models in this process, or the workers' (queue.backend = "redis")."""
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
        self.guild_settings = GuildSettingsCache(self.store)
        remote = isinstance(engines, RemoteEngines)
        self.queue = (RedisJobQueue if remote else JobQueue)(
            engines,
            settings.queue,
            settings.limits,
            self.store,
            prompt_check=lambda request, prompt: self.check_prompt(request.guild_id, prompt),
        )
        if not remote:  # the workers' draw slots come with their heartbeats
            self.queue.set_draw_slots(engines.draw_slots)
        self.metrics: MetricsServer | None = None
        self.tree.on_error = self.on_app_command_error

    async def setup_hook(self) -> None:
        self.engines.start_loading()
        if self.settings.metrics.enabled:
            self.metrics = MetricsServer(self.settings.metrics, self.health)
            self.queue.subscribe(JobMetrics(self.queue, self.metrics.registry).observe)
            await self.metrics.start()
        await self.store.open()
        await self.guild_settings.load_all()
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

    def check_prompt(self, guild_id: int | None, prompt: str) -> None:
        """Refuse prompts with a word banned bot-wide or by the server."""
        words = [
            *self.settings.policy.banned_words,
            *self.guild_settings.cached(guild_id).banned_words,
        ]
        if banned_word_in(prompt, words):
            raise UserFacingError("That prompt uses a word that isn't allowed here.", kind="banned")

    def health(self) -> HealthReport:
        """For ``/healthz``: connected to Discord, and the models loaded if this process runs them
        (or, with the Redis backend, Redis reachable: workers come and go)."""
        checks: dict[str, bool | str] = {
            "gateway": (not self.is_closed() and self.is_ready()) or "not connected"
        }
        if isinstance(self.engines, RemoteEngines):
            checks["queue"] = self.engines.available or "Redis unreachable"
        else:
            checks["models"] = self.engines.ready or self.engines.status
        return HealthReport(checks)

    async def close(self) -> None:
        await self.queue.stop(grace=SHUTDOWN_GRACE_SECONDS)
        await self.store.close()
        if self.metrics is not None:
            await self.metrics.stop()
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
    redis = settings.queue.backend == "redis"
    bot = SpeechBot(settings, RemoteEngines(settings) if redis else Engines(settings))
    bot.run(token, log_handler=None)
    return 0
