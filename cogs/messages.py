"""Keeps each job's one message up to date: queue place, what was heard, drawing progress, then
the images. Edits are throttled per job (Discord rate limits), go through the interaction while
its token lives and through the channel after, and a result that outlives the token is posted to
the channel, mentioning its requester."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.config import DiscordSettings
from bot.domain.jobs import JobEvent, JobState
from cogs.render import (
    batches_for_upload,
    image_files,
    job_embed,
    result_view,
    shown_images,
    waiting_view,
)

if TYPE_CHECKING:
    from cogs.client import SpeechBot

log = logging.getLogger(__name__)

TOKEN_GONE = {10015, 50027}
"""Unknown Webhook, Invalid Webhook Token: the interaction's 15 minutes are over."""
TOKEN_SECONDS = 15 * 60 - 60
"""How long an interaction token is used: Discord's 15 minutes, less a minute of margin."""


@dataclass
class _Delivery:
    """The state of one job's message."""

    latest: JobEvent | None = None
    task: asyncio.Task[None] | None = None
    sleeping: bool = False
    """The task waits out the throttle (a state change cuts the wait short)."""
    last_edit: float = 0.0
    token_dead: bool = False


def edit_interval(event: JobEvent, settings: DiscordSettings) -> float:
    """Seconds between two edits of one job's message. Position changes touch every waiting job
    at once, so theirs grow with the queue: all together stay near
    ``settings.position_edits_per_second``, well inside Discord's rate limits."""
    if event.kind == "position":
        return max(
            settings.progress_edit_seconds, event.queue_length / settings.position_edits_per_second
        )
    return settings.progress_edit_seconds


def reply_route(message: discord.Message | discord.InteractionMessage) -> dict[str, Any]:
    """Routing data stored with a job: where its message is."""
    return {"channel_id": message.channel.id, "message_id": message.id}


class JobMessages(commands.Cog):
    """Subscribes to the queue and renders every job's events into its message."""

    def __init__(self, bot: SpeechBot) -> None:
        self.bot = bot
        self.interactions: dict[int, tuple[discord.Interaction, float]] = {}
        """Live interactions by id, with the monotonic time their token stops being used; after
        a restart there are none and the channel route is used."""
        self._deliveries: dict[str, _Delivery] = {}
        self._unsubscribe = bot.queue.subscribe(self._on_event)

    async def cog_unload(self) -> None:
        self._unsubscribe()
        for delivery in self._deliveries.values():
            if delivery.task is not None:
                delivery.task.cancel()

    def remember(self, interaction: discord.Interaction) -> dict[str, Any]:
        """Keep the interaction for edits; return the routing data for the job."""
        self.interactions[interaction.id] = (interaction, time.monotonic() + TOKEN_SECONDS)
        return {"interaction_id": interaction.id}

    # ---- events ----------------------------------------------------------------------------

    def _on_event(self, event: JobEvent) -> None:
        if "message_id" not in event.request.reply:
            return  # not a Discord job (the local command), or its message is not posted yet
        delivery = self._deliveries.setdefault(event.job_id, _Delivery())
        delivery.latest = event
        if delivery.task is not None and delivery.sleeping and event.kind == "state":
            delivery.task.cancel()  # a state change is shown at once, not after the throttle
            delivery.sleeping = False
        if delivery.task is None or delivery.task.done() or delivery.task.cancelling():
            delivery.task = asyncio.create_task(self._deliver(event.job_id, delivery))

    async def _deliver(self, job_id: str, delivery: _Delivery) -> None:
        """Edit the message with the newest event until the job is finished (one task per job)."""
        try:
            await self._deliver_events(job_id, delivery)
        except Exception:
            log.exception("could not show job %s", job_id)

    async def _deliver_events(self, job_id: str, delivery: _Delivery) -> None:
        while delivery.latest is not None:
            event = delivery.latest
            interval = edit_interval(event, self.bot.settings.discord)
            wait = delivery.last_edit + interval - time.monotonic()
            if wait > 0 and event.kind != "state" and not event.state.finished:
                delivery.sleeping = True
                await asyncio.sleep(wait)
                delivery.sleeping = False
                event = delivery.latest  # the newest, after the wait
            delivery.latest = None
            if event.state.finished:
                self._deliveries.pop(job_id, None)
                await self._finish(event, delivery)
                return
            delivery.last_edit = time.monotonic()
            await self._edit(
                event, delivery, embed=self._embed(event), view=waiting_view(event.job_id)
            )

    def _embed(self, event: JobEvent, seconds: float | None = None) -> discord.Embed:
        engines = self.bot.engines
        return job_embed(
            event,
            model=engines.model_name,
            seconds=seconds,
            warming_up=None if engines.ready else engines.status,
            sure_language=self.bot.settings.speech.min_language_probability,
        )

    async def _finish(self, event: JobEvent, delivery: _Delivery) -> None:
        job = self.bot.queue.get(event.job_id)
        seconds = None
        if job is not None and job.finished_at is not None:
            seconds = job.finished_at - job.created_at
        embed = self._embed(event, seconds)
        done = event.state is JobState.DONE
        limit = self.bot.settings.discord.upload_limit_bytes
        nsfw_action = event.request.reply.get("nsfw_action", "show")
        shown = shown_images(event.images, nsfw_action) if done else []
        first, *more = list(batches_for_upload(shown, limit)) or [[]]
        view = result_view(event.job_id, first) if done else None

        def files() -> list[discord.File]:  # fresh each time: a sent File is used up
            return image_files(first, nsfw_action)

        # A result that outlived its interaction is posted anew, mentioning the requester.
        by_token = "interaction_id" in event.request.reply
        edited = await self._edit(
            event, delivery, by_token_only=by_token, embed=embed, attachments=files(), view=view
        )
        if not edited:
            if by_token:
                await self._edit(event, delivery, embed=embed, view=None)  # the old message
            if done:
                await self._post_late(event, embed, files(), view)
        for batch in more:
            await self._channel(event).send(files=image_files(batch, nsfw_action))
        self.interactions.pop(event.request.reply.get("interaction_id", 0), None)

    @staticmethod
    def _usable(live: tuple[discord.Interaction, float] | None) -> bool:
        return live is not None and time.monotonic() < live[1]

    async def _edit(
        self, event: JobEvent, delivery: _Delivery, *, by_token_only: bool = False, **changes: Any
    ) -> bool:
        """Edit the job's message through its interaction token while that lives, else through
        the channel (unless ``by_token_only``); False if it could not be edited."""
        reply = event.request.reply
        live = self.interactions.get(reply.get("interaction_id", 0))
        if live is not None and self._usable(live) and not delivery.token_dead:
            try:
                await live[0].edit_original_response(**changes)
                return True
            except discord.HTTPException as error:
                if error.code not in TOKEN_GONE:
                    log.warning("editing job %s failed: %s", event.job_id, error)
                    return False
                delivery.token_dead = True
        if by_token_only:
            return False
        try:
            message = self._channel(event).get_partial_message(reply["message_id"])
            await message.edit(**changes)
            return True
        except (discord.HTTPException, discord.ClientException) as error:
            log.info("job %s: its message can't be edited (%s)", event.job_id, error)
            return False

    async def _post_late(
        self,
        event: JobEvent,
        embed: discord.Embed,
        files: list[discord.File],
        view: discord.ui.View | None,
    ) -> None:
        """The result outlived the interaction: post it, mentioning (only) its requester."""
        user = discord.Object(id=event.request.user_id)
        message = await self._channel(event).send(
            f"<@{user.id}> your pictures are ready.",
            embed=embed,
            files=files,
            view=view,
            allowed_mentions=discord.AllowedMentions(
                everyone=False, roles=False, users=[user], replied_user=False
            ),
        )
        await self.bot.queue.update_reply(event.job_id, reply_route(message))

    def _channel(self, event: JobEvent) -> discord.PartialMessageable:
        return self.bot.get_partial_messageable(event.request.reply["channel_id"])


async def setup(bot: SpeechBot) -> None:
    await bot.add_cog(JobMessages(bot))
