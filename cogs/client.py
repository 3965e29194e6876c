"""The Discord client: builds the services once in ``setup_hook``, loads the cogs, syncs commands."""

from __future__ import annotations

import asyncio
import logging
from typing import NoReturn

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import ConfigError, Settings
from bot.distributed.remote import RedisJobQueue, RemoteEngines
from bot.domain.errors import GENERIC_ERROR, UserFacingError
from bot.domain.messages import Message
from bot.domain.policy import banned_word_in
from bot.engines.runner import Engines
from bot.infra.guild_settings import GuildSettingsCache
from bot.infra.metrics import HealthReport, MetricsServer
from bot.infra.process import ExitCode, StartFailure, StopSignals, run_process
from bot.infra.store import JobStore
from bot.infra.tasks import stop_task
from bot.infra.user_settings import UserSettingsCache
from bot.queue.lifecycle import JobQueue
from bot.queue.metrics import JobMetrics
from cogs import connection
from cogs.answers import reply_privately
from cogs.api_base import follow_gateway, use_api_base
from cogs.command_sync import sync_commands
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


class SpeechBot(commands.Bot):
    """Owns the engines, the job store and the queue; cogs reach them through the bot."""

    def __init__(self, settings: Settings, engines: Engines | RemoteEngines) -> None:
        """``engines``: the models in this process, or the workers' (queue.backend = "redis")."""
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=connection.wanted_intents(settings.discord),
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
        self.intake = Intake(self, self.outbox)
        self.languages = Languages(self.store, self.guild_settings)
        self._stopping: asyncio.Task[None] | None = None
        if not remote:  # the workers' draw slots come with their heartbeats
            self.queue.set_draw_slots(engines.draw_slots)
        self.metrics: MetricsServer | None = None
        self.tree.on_error = self.on_app_command_error
        self._prepared = self._greeted = False
        self.set_up = False
        """Whether :meth:`setup_hook` has finished (jobs recovered, commands synced)."""

    async def prepare(self) -> None:
        """What the bot needs before it reaches Discord (idempotent): the job store, checked
        writable, and ``/healthz`` (not ready until connected: live but unready while Discord is
        unreachable). The models load once logged in (not for a token Discord rejects)."""
        if self._prepared:
            return
        self._prepared = True
        await self.store.open()
        if self.settings.metrics.enabled:
            self.metrics = MetricsServer(self.settings.metrics, self.health)
            self.queue.subscribe(JobMetrics(self.queue, self.metrics.registry).observe)
            await self.metrics.start()
        await self.guild_settings.load_all()
        await self.user_settings.load()
        await self.languages.load()

    async def login(self, token: str) -> None:
        """Log in (and run :meth:`setup_hook`); with ``discord.api_base``, through that base."""
        api_base = self.settings.discord.api_base
        if api_base is not None:
            use_api_base(api_base)
        await super().login(token)

    async def setup_hook(self) -> None:
        if self.settings.discord.api_base is not None:  # first: a failure here is a retried login
            await follow_gateway(self.http)
        await self.prepare()
        self.engines.start_loading()
        self.queue.subscribe(self.outbox.on_event)
        await self.load_cogs()
        await self.outbox.resume()
        await self.queue.start()
        await self.queue.recover()
        await self.outbox.resume_finished()
        try:
            await sync_commands(
                self, self.tree, self.store, guild_id=self.settings.discord.sync_guild
            )
        except (discord.HTTPException, *connection.UNREACHABLE) as error:
            log.warning(
                "the application commands could not be synced (%s); the next start tries again, "
                "or run: python -m bot sync",
                error,
            )
        self.set_up = True

    async def load_cogs(self) -> None:
        """The cogs, and the translator of their commands (what a sync sends and hashes)."""
        for name in COGS:
            await self.load_extension(name)
        await self.tree.set_translator(CatalogTranslator())

    async def serve(self, token: str) -> None:
        """Start and stay connected until closed: the services first (:meth:`prepare`), then log
        in (trying again while Discord is unreachable) and the gateway. A start that cannot go on
        raises :class:`StartFailure`."""
        await self.prepare()
        await connection.log_in(self, token)
        await connection.connect(self, self.settings.discord)

    async def on_ready(self) -> None:
        """Once per start: who the bot is, in how many servers, and its invite URL."""
        if self._greeted:
            log.info("connected to Discord again")
            return
        self._greeted = True
        assert self.user is not None and self.application_id is not None
        me, servers = self.user, len(self.guilds)
        for line in connection.greeting(me.name, me.id, servers, self.application_id):
            log.info("%s", line)

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
        """Stop gracefully (SIGTERM and SIGINT come here through :func:`run_bot`): while the
        gateway stays open, new requests are recorded and told they run after the restart; the
        running draw may finish (``shutdown.draw_grace_seconds``); deliveries are flushed
        (``shutdown.flush_seconds``); then the gateway, the metrics server and the store close,
        in that order. The engines are left as they are: a model still loading cannot be
        interrupted, and the process exits without waiting for it."""
        if self._stopping is None:
            self._stopping = asyncio.create_task(self._stop(), name="graceful-stop")
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        if self.set_up:
            log.info("stopping: new requests are kept for after the restart")
        shutdown = self.settings.shutdown
        self.queue.hold()
        await self.queue.stop(grace=shutdown.draw_grace_seconds)
        if not await self.outbox.flush(shutdown.flush_seconds):
            log.info("%d deliveries will finish after the restart", self.outbox.pending())
        await self.outbox.close()
        await super().close()
        if self.metrics is not None:
            await self.metrics.stop()
        await self.store.close()

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


def run_bot(settings: Settings) -> NoReturn:
    """``python -m bot run``: start the bot and serve until SIGTERM or SIGINT; the process has
    exited within ``shutdown.bound_seconds`` of the first signal."""
    token = _token(settings)
    bot = SpeechBot(settings, _engines(settings))
    run_process(lambda signals: _serve(bot, token, signals), settings.shutdown.bound_seconds)


def sync_now(settings: Settings, guild_id: int | None) -> NoReturn:
    """``python -m bot sync``: log in (REST only) and sync the commands, changed or not, to
    ``guild_id`` (default: ``discord.sync_guild``, else globally)."""
    token = _token(settings)
    bot = _CommandsOnly(settings, _engines(settings))
    target = guild_id or settings.discord.sync_guild

    async def main(signals: StopSignals) -> int:
        async with bot:
            await connection.log_in(bot, token)
            try:
                await sync_commands(bot, bot.tree, bot.store, guild_id=target, force=True)
            except discord.Forbidden:
                raise StartFailure(
                    f"Discord refused to sync the commands to server {target}",
                    "invite the bot there (with the applications.commands scope): "
                    + connection.invite_url(bot.application_id or 0),
                    ExitCode.FAILED,
                ) from None
        return ExitCode.OK

    run_process(main, settings.shutdown.bound_seconds)


class _CommandsOnly(SpeechBot):
    """The bot's commands and store, logged in over REST only (``python -m bot sync``)."""

    async def setup_hook(self) -> None:
        await self.store.open()
        await self.load_cogs()


def _token(settings: Settings) -> str:
    connection.quiet_discord()  # before the client exists: it warns about voice libraries
    try:
        return settings.discord_token().get_secret_value()
    except ConfigError as error:
        raise StartFailure(str(error), "", ExitCode.NO_TOKEN) from None


def _engines(settings: Settings) -> Engines | RemoteEngines:
    return RemoteEngines(settings) if settings.queue.backend == "redis" else Engines(settings)


async def _serve(bot: SpeechBot, token: str, signals: StopSignals) -> int:
    """Serve until a signal or a failure, then stop gracefully (:meth:`SpeechBot.close`, with
    the gateway still open). A bot not set up yet (logging in, or its setup running) has its
    start cancelled first. Either way the serving task is cancelled last: discord.py's reconnect
    loop sleeps out its backoff before it looks at whether the client closed."""
    async with bot:
        serving = asyncio.create_task(bot.serve(token), name="serve")
        stopping = asyncio.create_task(signals.requested.wait(), name="stop-requested")
        await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        try:
            if serving.done():
                serving.result()
        finally:
            if not bot.set_up:
                await stop_task(serving)
            await bot.close()
            await stop_task(serving)
    return ExitCode.OK
