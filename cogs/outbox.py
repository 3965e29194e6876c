"""The one path by which job messages reach Discord: an outbox.

A job's message is a projection of the job's latest event. One :class:`Outbox` per bot keeps, for
each job with a route (:mod:`cogs.routes`), a worker task that reconciles what Discord shows with
that event: it edits through the interaction token while the token lives, then through the
channel, and posts a new message when the old one cannot be edited any more (deleting what it can
of the old one, so no stale progress stays behind). Failed calls are retried with backoff
(honouring 429s) for as long as it takes: when Discord is down the delivery waits, and what is
still undelivered at a stop stays in the store and resumes after the restart. Every delivery ends
with a terminal message: the pictures, or an error its user understands.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from bot.config import DiscordSettings
from bot.domain.jobs import JobEvent
from bot.infra.tasks import stop_tasks
from cogs.discord_calls import Gone, Rejected, Retry, call, post_nonce
from cogs.i18n.catalog import text, texts
from cogs.render import Projection, headline, project
from cogs.routes import Deliveries, Route

if TYPE_CHECKING:
    from cogs.services import BotServices

log = logging.getLogger(__name__)

MAX_BACKOFF = 60.0


def edit_interval(event: JobEvent, settings: DiscordSettings) -> float:
    """Seconds between two edits of one job's message. Position changes touch every waiting job
    at once, so theirs grow with the queue: all together stay near
    ``settings.position_edits_per_second``, well inside Discord's rate limits."""
    if event.kind == "position":
        return max(
            settings.progress_edit_seconds, event.queue_length / settings.position_edits_per_second
        )
    return settings.progress_edit_seconds


@dataclass
class _Entry:
    job_id: str
    route: Route
    interaction: discord.Interaction | None = None
    """The live interaction, while this process has it (its token is in the route too)."""
    latest: JobEvent | None = None
    shown: JobEvent | None = None
    lost: bool = False
    """The job never reached the store (a crash right after the request): say so and end."""
    idle: asyncio.Event = field(default_factory=asyncio.Event)
    """Set while the message shows the latest event."""
    throttle: asyncio.Task[None] | None = None
    """The wait between two edits; a state change cuts it short."""
    last_edit: float = 0.0
    failures: int = 0
    task: asyncio.Task[None] | None = None
    unsure_post: bool = False
    """A message posted anew may be on Discord unrecorded (a try that failed, a run before a
    restart): the next post, with the same nonce, may get that earlier message back."""


class Outbox:
    """Owns the Discord layer's delivery tasks (one per job with a route)."""

    def __init__(self, bot: BotServices, deliveries: Deliveries) -> None:
        self._bot = bot
        self._deliveries = deliveries
        self._entries: dict[str, _Entry] = {}
        self._closed = False

    # ---- intake and events -----------------------------------------------------------------

    async def record(self, job_id: str, route: Route) -> None:
        """Write the route down (before the job is submitted and anything is sent)."""
        await self._deliveries.put(job_id, route)

    async def forget(self, job_id: str) -> None:
        """The request was refused before it became a job."""
        await self._deliveries.done(job_id)

    def track(
        self, job_id: str, route: Route, interaction: discord.Interaction | None = None
    ) -> None:
        """Start delivering a submitted job's events."""
        entry = self._entries.get(job_id)
        if entry is None:
            entry = self._entries[job_id] = _Entry(job_id, route, interaction)
        event = self._bot.queue.event(job_id)
        if entry.latest is None and event is not None:
            self._set_latest(entry, event)
        self._start(entry)

    async def detach(self, job_id: str) -> Route | None:
        """Stop showing a job: its message now shows another job (a re-listen in place). Its
        route, if it was being shown."""
        entry = self._entries.pop(job_id, None)
        if entry is not None and entry.task is not None:
            entry.task.cancel()
        await self._deliveries.done(job_id)
        return entry.route if entry is not None else None

    def on_event(self, event: JobEvent) -> None:
        """The queue's subscriber (a plain function: called at once, in order)."""
        entry = self._entries.get(event.job_id)
        if entry is not None:
            self._set_latest(entry, event)

    async def resume(self) -> None:
        """After a start: take up every delivery a previous run left unfinished. Call before the
        queue's ``recover()`` (whose events then reach these entries)."""
        for job_id, route in (await self._deliveries.pending()).items():
            self._entries.setdefault(job_id, _Entry(job_id, route, unsure_post=True))

    async def resume_finished(self) -> None:
        """After the queue's ``recover()``: the entries that got no event are of finished jobs
        (or of a request that was never saved)."""
        for entry in list(self._entries.values()):
            if entry.latest is None and not entry.lost:
                event = self._bot.queue.event(entry.job_id)
                job = None if event else await self._bot.store.load(entry.job_id)
                if job is not None:
                    event = JobEvent.of(job, "state", None, 0, None)
                if event is None:
                    entry.lost = True
                else:
                    self._set_latest(entry, event)
            self._start(entry)
        if self._entries:
            log.info("resumed %d deliveries", len(self._entries))

    async def flush(self, timeout: float) -> bool:
        """Wait until every message shows its job's latest state (True), or ``timeout`` passes."""
        busy = [e.idle.wait() for e in self._entries.values() if not e.idle.is_set()]
        if not busy:
            return True
        waits = [asyncio.ensure_future(wait) for wait in busy]
        _, late = await asyncio.wait(waits, timeout=timeout)
        for wait in late:
            wait.cancel()
        return not late

    async def close(self) -> None:
        self._closed = True
        await stop_tasks(e.task for e in self._entries.values())

    def pending(self) -> int:
        return len(self._entries)

    # ---- the worker of one job -------------------------------------------------------------

    def _set_latest(self, entry: _Entry, event: JobEvent) -> None:
        entry.latest = event
        entry.idle.clear()
        if event.kind == "state" and entry.throttle is not None:
            entry.throttle.cancel()
        self._start(entry)

    def _start(self, entry: _Entry) -> None:
        if (entry.task is None or entry.task.done()) and not self._closed:
            entry.task = asyncio.create_task(self._work(entry), name=f"deliver-{entry.job_id}")

    async def _work(self, entry: _Entry) -> None:
        """Show the entry's latest event until it is shown, then end (one worker per entry)."""
        while True:
            if entry.lost:
                lost = text(entry.route.locale, "job-lost")
                if await self._attempt(entry, lambda lost=lost: self._show_text(entry, lost)):
                    await self._done(entry)
                    return
                continue
            event = entry.latest
            if event is None or event is entry.shown:
                entry.idle.set()
                return  # the next event starts a new worker: an idle bot has no pending task
            wait = entry.last_edit + edit_interval(event, self._bot.settings.discord)
            wait -= time.monotonic()
            if wait > 0 and event.kind != "state" and not event.state.finished:
                await self._pause(entry, wait)
                if self._closed:
                    return
                continue  # show the newest event, not this one
            final = event.state.finished
            if not await self._attempt(entry, lambda e=event: self._show(entry, e), final=final):
                continue
            entry.shown, entry.last_edit = event, time.monotonic()
            if event.state.finished:
                await self._done(entry)
                return

    async def _attempt(self, entry: _Entry, show: Callable[[], Any], *, final: bool = True) -> bool:
        """One try at a Discord call; after a failure, the wait before the next try. After a
        progress edit failed (a preview, say), a state change (the result) ends the wait once
        a 429's own wait is over: failed progress delays progress, never the result."""
        try:
            await show()
        except (Gone, Rejected) as error:  # not even the requester's DMs take it
            log.error("job %s: cannot be delivered anywhere (%s); giving up", entry.job_id, error)
        except Exception as error:  # Retry, or a bug: never a delivery that silently stops
            entry.failures += 1
            after = error.after if isinstance(error, Retry) else 0.0
            delay = min(max(after, 2 ** (entry.failures - 1) * 0.5), MAX_BACKOFF)
            if isinstance(error, Retry):
                log.info(
                    "job %s: delivery failed (%s); again in %.1f s", entry.job_id, error, delay
                )
            else:
                log.exception("job %s: delivery failed; again in %.1f s", entry.job_id, delay)
            await asyncio.sleep(delay if final else after)
            if not final:
                await self._pause(entry, delay - after)
            return False
        entry.failures = 0
        return True

    async def _pause(self, entry: _Entry, seconds: float) -> None:
        """Wait ``seconds`` between two edits; the entry's next state change cuts it short."""
        latest = entry.latest
        if latest is not None and latest.kind == "state" and latest is not entry.shown:
            return  # a state change is waiting already
        throttle = entry.throttle = asyncio.ensure_future(asyncio.sleep(max(seconds, 0.0)))
        try:
            # Ends when the pause is cut short; a cancel of this task itself goes through.
            await asyncio.wait({throttle})
        finally:
            throttle.cancel()
            entry.throttle = None

    async def _done(self, entry: _Entry) -> None:
        self._entries.pop(entry.job_id, None)
        try:
            await self._deliveries.done(entry.job_id)
        except Exception:
            log.exception("job %s: could not record its delivery as done", entry.job_id)

    # ---- showing one event -----------------------------------------------------------------

    async def _show(self, entry: _Entry, event: JobEvent) -> None:
        engines = self._bot.engines
        projection = project(
            event,
            entry.route.nsfw_action,
            model=engines.model_name,
            warming_up=None if engines.ready else engines.status,
            settings=self._bot.settings,
            locale=entry.route.locale,
        )
        final = event.state.finished
        try:
            await self._put(entry, projection, final=final)
        except Rejected as error:  # show the state plainly rather than retry for ever
            log.error(
                "job %s: Discord refused its message (%s); sending it plain", entry.job_id, error
            )
            plain = Projection.text(headline(event, texts(entry.route.locale)))
            plain.images, plain.nsfw_action = projection.images, projection.nsfw_action
            try:
                await self._put(entry, plain, final=final)
            except Rejected:
                log.error("job %s: Discord refused the plain message too; giving up", entry.job_id)
                return
        route = entry.route
        for batch in projection.more[route.extra_sent :]:
            nonce = post_nonce(entry.job_id, "more", route.extra_sent)
            await call(self._channel(route).send(files=projection.files(batch), nonce=nonce))
            route.extra_sent += 1
            await self._deliveries.put(entry.job_id, route)

    async def _show_text(self, entry: _Entry, text: str) -> None:
        await self._put(entry, Projection.text(text))

    async def _put(self, entry: _Entry, projection: Projection, *, final: bool = True) -> None:
        """Show ``projection`` in the job's message: by token, else by channel, else anew. A
        message someone deleted is not posted again for progress (its previews end): only the
        ``final`` one is, to its requester."""
        route = entry.route
        if route.deleted and not final:
            return
        if route.token_usable and not route.deleted:
            try:
                message = await call(self._token_edit(entry, projection))
            except Gone as gone:
                route.token, route.deleted = None, gone.deleted
                await self._deliveries.put(entry.job_id, route)
                if gone.deleted and not final:
                    return
            else:
                if route.message_id != message.id:
                    route.message_id = message.id
                    await self._deliveries.put(entry.job_id, route)
                return
        if route.message_id is not None and not route.deleted:
            try:
                partial = self._channel(route).get_partial_message(route.message_id)
                await call(partial.edit(**projection.edit_fields()))
                return
            except Gone as gone:
                if gone.deleted:
                    route.deleted = True
                    await self._deliveries.put(entry.job_id, route)
                    if not final:
                        return
        await self._post_anew(entry, projection, final=final)

    async def _token_edit(self, entry: _Entry, projection: Projection) -> discord.Message:
        route, fields = entry.route, projection.edit_fields()
        if entry.interaction is not None and not route.followup:
            return await entry.interaction.edit_original_response(**fields)
        webhook = discord.Webhook.partial(
            route.application_id or 0, route.token or "", client=self._bot
        )
        if route.message_id is None:
            if not route.followup:
                return await webhook.edit_message("@original", **fields)  # type: ignore[arg-type]
            return await webhook.send(wait=True, **projection.send_fields())
        return await webhook.edit_message(route.message_id, **fields)

    async def _post_anew(self, entry: _Entry, projection: Projection, *, final: bool) -> None:
        """The job's message cannot be reached: post it to the channel (as a reply to the voice
        message it answers), mentioning only its requester when it replaces an interaction's;
        where the channel takes no message from the bot any more, to the requester's DMs.

        Its nonce stands for this job's message replacing ``old`` (what the route holds until
        the new id is recorded): a repeat after a lost answer or a crash gets the message the
        first try made (within Discord's few minutes), edited to show the current event."""
        route, old, where = entry.route, entry.route.message_id, entry.route.channel_id
        fields = projection.send_fields() | {"nonce": post_nonce(entry.job_id, "message", old)}
        if route.reply_to is not None and old is None:
            reference = discord.MessageReference(
                message_id=route.reply_to, channel_id=route.channel_id, fail_if_not_exists=False
            )
            fields |= {"reference": reference, "mention_author": False}
        elif route.token is not None or old is not None or route.deleted:
            user = discord.Object(id=route.user_id)
            here = fields.get("content") or text(route.locale, "job-here")
            fields["content"] = f"<@{user.id}> {here}"
            fields["allowed_mentions"] = discord.AllowedMentions(
                everyone=False, roles=False, users=[user], replied_user=False
            )
        repeat, entry.unsure_post = entry.unsure_post, True
        try:
            message = await call(self._channel(route).send(**fields))
        except Gone:
            dm = await call(self._bot.create_dm(discord.Object(id=route.user_id)))
            fields.pop("reference", None)
            fields.pop("mention_author", None)
            message = await call(dm.send(**fields))
            route.channel_id = dm.id
        deleted, route.message_id, route.token, route.deleted = (
            route.deleted,
            message.id,
            None,
            False,
        )
        await self._deliveries.put(entry.job_id, route)
        entry.unsure_post = False
        if old is not None and not deleted:  # the stale one goes, where it still can
            with contextlib.suppress(discord.HTTPException, aiohttp.ClientError, OSError):
                await self._bot.get_partial_messageable(where).get_partial_message(old).delete()
        if repeat:  # Discord may have answered with an earlier try's message: an older event,
            await self._put(entry, projection, final=final)  # shown again where it now is

    def _channel(self, route: Route) -> discord.PartialMessageable:
        return self._bot.get_partial_messageable(route.channel_id)
