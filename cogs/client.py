"""The Discord client: builds the services once in ``setup_hook``, loads the cogs, syncs commands."""

from __future__ import annotations

import asyncio
import logging
import signal

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Settings
from bot.distributed.remote import RedisJobQueue, RemoteEngines
from bot.domain.errors import GENERIC_ERROR, UserFacingError
from bot.domain.messages import Message
from bot.domain.policy import banned_word_in
from bot.engines.runner import Engines
from bot.infra.guild_settings import GuildSettingsCache
from bot.infra.metrics import HealthReport, MetricsServer
from bot.infra.store import JobStore
from bot.infra.user_settings import UserSettingsCache
from bot.queue.lifecycle import JobQueue
from bot.queue.metrics import JobMetrics
from cogs.answers import reply_privately
from cogs.api_base import follow_gateway, use_api_base
from cogs.i18n.languages import Languages
from cogs.i18n.translator import CatalogTranslator
from cogs.intake import Intake
from cogs.outbox import Outbox
from cogs.routes import Deliveries

log = logging.getLogger(__name__)

COGS = (
    "cogs.imagine",
    "cogs.voice",
    "cogs.buttons",
    "cogs.settings",
    "cogs.preferences",
    "cogs.admin",
)
SHUTDOWN_GRACE_SECONDS = 20.0
"""A graceful stop lets the running draw finish for this long, then hands it back."""
FLUSH_SECONDS = 10.0
"""Then deliveries get this long; what is still undelivered is sent after the restart."""


class SpeechBot(commands.Bot):
    """Owns the engines, the job store and the queue; cogs reach them through the bot."""

    def __init__(self, settings: Settings, engines: Engines | RemoteEngines) -> None:
        """``engines``: the models in this process, or the workers' (queue.backend = "redis")."""
        intents = discord.Intents.default()
        wanted = settings.discord.message_content_intent
        intents.message_content = settings.discord.auto_voice if wanted is None else wanted
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
        self.user_settings = UserSettingsCache(self.store)
        remote = isinstance(engines, RemoteEngines)
        self.queue = (RedisJobQueue if remote else JobQueue)(
            engines,
            settings.queue,
            settings.limits,
            self.store,
            prompt_check=lambda request, prompt: self.check_prompt(request.guild_id, prompt),
            fetch=lambda url: self.http.get_from_cdn(url),
            listening=settings.queue.speech_workers * settings.speech.batch_clips,
            image=settings.image,
        )
        self.outbox = Outbox(self, Deliveries(self.store))
        self.intake = Intake(self)
        self.languages = Languages(self.store, self.guild_settings)
        self._stopping: asyncio.Task[None] | None = None
        if not remote:  # the workers' draw slots come with their heartbeats
            self.queue.set_draw_slots(engines.draw_slots)
        self.metrics: MetricsServer | None = None
        self.tree.on_error = self.on_app_command_error

    async def login(self, token: str) -> None:
        """Log in (and run :meth:`setup_hook`); with ``discord.api_base``, through that base and
        then to the gateway it names."""
        api_base = self.settings.discord.api_base
        if api_base is not None:
            use_api_base(api_base)
        await super().login(token)
        if api_base is not None:
            await follow_gateway(self.http)

    async def setup_hook(self) -> None:
        self.engines.start_loading()
        if self.settings.metrics.enabled:
            self.metrics = MetricsServer(self.settings.metrics, self.health)
            self.queue.subscribe(JobMetrics(self.queue, self.metrics.registry).observe)
            await self.metrics.start()
        await self.store.open()
        await self.guild_settings.load_all()
        await self.user_settings.load()
        await self.languages.load()
        self.queue.subscribe(self.outbox.on_event)
        for name in COGS:
            await self.load_extension(name)
        await self.outbox.resume()
        await self.queue.start()
        await self.queue.recover()
        await self.outbox.resume_finished()
        await self.tree.set_translator(CatalogTranslator())
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
            raise UserFacingError("prompt-banned", kind="banned")

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
        """Stop gracefully (SIGTERM and SIGINT come here too): while the gateway stays open, new
        requests are recorded and told they run after the restart; the running draw may finish;
        deliveries are flushed; then the gateway, the metrics server and the store close, in that
        order (the engines belong to whoever made them: :func:`run_bot` closes them last)."""
        if self._stopping is None:
            self._stopping = asyncio.create_task(self._stop(), name="graceful-stop")
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        log.info("stopping: new requests are kept for after the restart")
        self.queue.hold()
        await self.queue.stop(grace=SHUTDOWN_GRACE_SECONDS)
        if not await self.outbox.flush(FLUSH_SECONDS):
            log.info("%d deliveries will finish after the restart", self.outbox.pending())
        await self.outbox.close()
        await super().close()
        if self.metrics is not None:
            await self.metrics.stop()
        await self.store.close()

    def stop_on_signals(self) -> None:
        """SIGTERM (kill, systemd, Kubernetes) and SIGINT stop the bot as :meth:`close` does."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, lambda: asyncio.ensure_future(self.close()))

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """The last line: answer the user briefly (ephemeral) and log unexpected errors once."""
        original = getattr(error, "original", error)
        if isinstance(original, UserFacingError):
            message = original.message
        elif isinstance(error, app_commands.CheckFailure):
            message = Message("error-not-here")
        else:
            log.error("command %s failed", interaction.command, exc_info=original)
            message = GENERIC_ERROR
        await reply_privately(interaction, message)


def run_bot(settings: Settings) -> int:
    """``python -m bot run``: start the bot and block until it stops."""
    token = settings.discord_token().get_secret_value()
    redis = settings.queue.backend == "redis"
    engines = RemoteEngines(settings) if redis else Engines(settings)
    bot = SpeechBot(settings, engines)

    async def main() -> None:
        async with bot:
            bot.stop_on_signals()
            await bot.start(token)

    try:
        asyncio.run(main())
    finally:
        if isinstance(engines, Engines):
            engines.close()
    return 0
