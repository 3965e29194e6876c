"""Run the real discord.py bot offline under simcord: a pytest fixture and helpers for cog tests.

simcord (>=3.2) runs unmodified discord.py code against an in-memory Discord: it fakes the REST
client, the interaction webhook adapter and the gateway, and settles the event loop after every
user action (tasks the bot creates and executor threads it starts are awaited). This module adds
what our cog tests need on top of it, through simcord's own extension points (gateway
subscribers, the request log, ``Env.external_wait``, ``Env.inject_error``):

- voice messages (flag ``IS_VOICE_MESSAGE``, ``duration_secs``, ``waveform``), which a simcord
  actor cannot send, also as replies (with or without the reply's ping);
- each member's client language (``interaction.locale``; simcord sends every interaction as
  ``en-US``);
- NSFW channels, which simcord does not model;
- slash commands with raw option values that skip the client-side checks (out-of-range numbers);
- the state of a message after each edit, the ``allowed_mentions`` of every request, who was
  really pinged, and how long the bot took to acknowledge each interaction (real seconds);
- a :class:`Gate` that holds fake-engine work across actions, and interaction-token expiry;
- Discord's upload limits: ``interaction.filesize_limit`` is 10 MiB as on Discord, and a bot
  message with more than 10 files or a file over 10 MiB fails the test;
- request paths read as an HTTP server reads them (:func:`decoded_path_of`, a patch carried for
  simcord 3.2);
- Discord's idempotent message create (``nonce`` with ``enforce_nonce``; the patch carried in
  :mod:`tests.support.enforce_nonce` for simcord 3.2, importing it installs it).

Use: define a ``make_bot`` fixture returning a zero-argument factory of a fresh, not-started
``commands.Bot``, and request ``discord_harness``.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import unquote

import discord
import pytest
import pytest_asyncio
import simcord
from discord.ext import commands
from simcord import interactions as sim_interactions
from simcord.backend.models.message import AllowedMentions
from simcord.enums import AppCommandType, InteractionType, OptionType
from simcord.http import client as sim_client
from simcord.results import to_discord_message

from tests.support import enforce_nonce  # noqa: F401  (importing installs the patch)

VOICE_MESSAGE_FLAG = 1 << 13
"""``MessageFlags.voice``: the message is a voice message."""
LOADING_FLAG = 1 << 7
"""``MessageFlags.loading``: the 'Bot is thinking…' placeholder of a deferred interaction."""
TOKEN_LIFETIME_S = 15 * 60
"""An interaction token (edits, followups) is valid this long after the interaction."""
INVALID_WEBHOOK_TOKEN = 50027
"""Discord's error code for an expired interaction token (HTTP 401)."""
UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024
"""Discord's default per-file upload limit since 2025-01 (simcord enforces none)."""
MAX_FILES = 10
"""Attachments per message (simcord enforces no limit)."""

_DEFERRED_CALLBACK = 5
_MESSAGE_CALLBACKS = (4, 7)  # channel message with source, update message
_FLAT_WAVEFORM = bytes([128]) * 64


class HasId(Protocol):
    id: int


@dataclass(frozen=True)
class MessageState:
    """A message as the gateway published it: at creation or after one edit."""

    event: str
    """``MESSAGE_CREATE`` or ``MESSAGE_UPDATE``."""
    content: str
    embeds: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    components: list[dict[str, Any]]
    flags: int
    at: float
    """``time.perf_counter()`` when it was published."""

    @property
    def filenames(self) -> list[str]:
        return [attachment["filename"] for attachment in self.attachments]

    @property
    def loading(self) -> bool:
        """True for the placeholder of a deferred response ('Bot is thinking…')."""
        return bool(self.flags & LOADING_FLAG)


@dataclass(frozen=True)
class SentRequest:
    """One REST request by the bot that created or edited a message."""

    method: str
    path: str
    body: dict[str, Any]
    """The message fields (for an interaction callback, its ``data``)."""
    at: float

    @property
    def content(self) -> str | None:
        return self.body.get("content")

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        """The raw ``allowed_mentions`` JSON discord.py sent; None when it sent none."""
        return self.body.get("allowed_mentions")


@dataclass(frozen=True)
class Pings:
    """Who a message really notified (simcord applies ``allowed_mentions`` and permissions)."""

    users: frozenset[int]
    roles: frozenset[int]
    everyone: bool

    @property
    def none(self) -> bool:
        return not self.users and not self.roles and not self.everyone


@dataclass
class InteractionTrace:
    """One interaction a user started, and how fast the bot acknowledged it (real time)."""

    id: int
    type: int
    created_at: float
    ack_at: float | None = None
    ack_type: int | None = None
    """Callback type of the first response: 4 message, 5 deferred, 6/7 component, 9 modal."""

    @property
    def acknowledged(self) -> bool:
        return self.ack_at is not None

    @property
    def deferred(self) -> bool:
        return self.ack_type == _DEFERRED_CALLBACK

    @property
    def ack_latency(self) -> float | None:
        """Real seconds from the interaction's arrival to the bot's first response (a figure
        for ``bench/load.py``, never asserted)."""
        return None if self.ack_at is None else self.ack_at - self.created_at


class _TimedRequestLog(list):
    """simcord's REST request log, also keeping when each request was made."""

    def __init__(self, entries: list[Any], on_append: Callable[[Any], None]) -> None:
        super().__init__(entries)
        self._on_append = on_append

    def append(self, entry: Any) -> None:
        super().append(entry)
        self._on_append(entry)


class Gate:
    """Holds fake-engine work until the test lets it through, without stalling simcord.

    simcord fails an action whose bot work waits on an unknown future; a wait declared with
    ``Env.external_wait`` is parked instead. A fake engine awaits :meth:`wait` in a bot task;
    the test calls :meth:`release` to let ``n`` waits through and settle.
    """

    def __init__(self, env: simcord.Env) -> None:
        self._env = env
        self._permits = asyncio.Semaphore(0)
        self.waiting = 0

    async def wait(self) -> None:
        self.waiting += 1
        try:
            await self._env.external_wait(self._permits.acquire(), reason="held by a test Gate")
        finally:
            self.waiting -= 1

    async def release(self, n: int = 1) -> None:
        for _ in range(n):
            self._permits.release()
        await self._env.settle()


class DiscordHarness:
    """A running simcord world around a bot built by ``make_bot``, with one guild and channel.

    Create it on a started ``Env``; it observes from then on.
    """

    def __init__(self, env: simcord.Env, make_bot: Callable[[], commands.Bot]) -> None:
        self.env = env
        self._make_bot = make_bot
        self._states: dict[int, list[MessageState]] = {}
        self._requests: list[tuple[Any, float]] = []
        self._nsfw: set[int] = set()
        self.interactions: list[InteractionTrace] = []
        self.upload_violations: list[str] = []
        """Bot messages over Discord's upload limits; the fixture fails a test that leaves any."""
        self.locales: dict[int, str] = {}
        """Each member's client language, sent as their interactions' ``locale``."""
        self._traces: dict[int, InteractionTrace] = {}
        # First subscriber: it sees (and enriches) every gateway payload before the bot does.
        env.backend.subscribers.insert(0, self._observe)
        env.backend.http_requests = _TimedRequestLog(env.backend.http_requests, self._on_request)
        self.guild = env.create_guild()
        self.channel = self.guild.create_text_channel("general")

    @property
    def bot(self) -> commands.Bot:
        return self.env.bot  # type: ignore[return-value]

    # ------------------------------------------------------------------ arrange

    def create_channel(
        self,
        name: str,
        *,
        nsfw: bool = False,
        overwrites: dict[Any, discord.PermissionOverwrite] | None = None,
    ) -> simcord.ChannelHandle:
        channel = self.guild.create_text_channel(name, overwrites=overwrites)
        if nsfw:
            self.set_nsfw(channel)
        return channel

    def set_nsfw(self, channel: simcord.ChannelHandle, nsfw: bool = True) -> None:
        """Mark a channel age-restricted: the bot sees ``channel.is_nsfw()``, also after restarts."""
        (self._nsfw.add if nsfw else self._nsfw.discard)(channel.id)
        self.env.backend.announce_channel_update(channel.id)

    def member(
        self,
        name: str,
        *,
        permissions: discord.Permissions | None = None,
        locale: str | None = None,
    ) -> simcord.MemberActor:
        """A new guild member; ``permissions`` are granted through a role of their own; their
        Discord client runs in ``locale`` (a Discord locale code; default en-US)."""
        roles = []
        if permissions is not None:
            roles.append(self.guild.create_role(f"{name}-role", permissions=permissions))
        actor = self.guild.add_member(self.env.create_user(name), roles=roles)
        if locale is not None:
            self.locales[actor.id] = locale
        return actor

    def gate(self) -> Gate:
        return Gate(self.env)

    # ---------------------------------------------------------------------- act

    async def slash(
        self,
        actor: simcord.MemberActor,
        name: str,
        /,
        *,
        at: simcord.ChannelHandle | None = None,
        **options: Any,
    ) -> simcord.InteractionResult:
        """``/name`` as the Discord client sends it (options checked like the client does).

        An ATTACHMENT option takes ``(filename, bytes)``; the bot's ``Attachment.read()`` returns
        the bytes.
        """
        return await actor.slash(at or self.channel, name, **options)

    async def slash_raw(
        self,
        actor: simcord.MemberActor,
        name: str,
        /,
        *,
        at: simcord.ChannelHandle | None = None,
        **options: Any,
    ) -> simcord.InteractionResult:
        """``/name`` with option values put on the wire as given: no type, range or choice check.

        For values a modified client or a stale command registration can send (seed 2**40,
        guidance 0). Top-level options only; an ATTACHMENT takes ``(filename, bytes)``.
        """
        channel = at or self.channel
        backend = self.env.backend
        root = backend.find_command(name, self.guild.id, type=AppCommandType.CHAT_INPUT)
        if root is None:
            raise simcord.SetupError(f"/{name} is not synced")
        declared = {option["name"]: option["type"] for option in root.get("options") or []}
        resolved: dict[str, Any] = {}
        wire = []
        for key, value in options.items():
            if declared[key] == OptionType.ATTACHMENT:
                value = sim_interactions.store_interaction_attachment(
                    backend, channel.id, value[0], value[1], resolved
                )
            wire.append({"name": key, "type": declared[key], "value": value})
        data: dict[str, Any] = {
            "id": root["id"],
            "name": name,
            "type": AppCommandType.CHAT_INPUT,
            "options": wire,
        }
        if resolved:
            data["resolved"] = resolved
        if root.get("guild_id"):
            data["guild_id"] = root["guild_id"]
        record, payload = sim_interactions.base_payload(
            backend,
            type=InteractionType.APPLICATION_COMMAND,
            channel_id=channel.id,
            guild_id=self.guild.id,
            user_id=actor.id,
            data=data,
        )
        backend.emit("INTERACTION_CREATE", payload)
        await self.env.settle()
        return simcord.InteractionResult(self.env, record)

    async def send_voice_message(
        self,
        actor: simcord.MemberActor,
        ogg: bytes,
        duration: float,
        *,
        at: simcord.ChannelHandle | None = None,
        waveform: bytes = _FLAT_WAVEFORM,
        filename: str = "voice-message.ogg",
        reply_to: discord.Message | None = None,
        ping: bool = True,
    ) -> discord.Message:
        """Post a voice message as the Discord client does: flag 8192, one audio/ogg attachment
        with ``duration_secs`` and a base64 ``waveform``, no text; as a reply to ``reply_to``,
        mentioning its author unless ``ping`` is off (the client's @ON/OFF toggle). Returns it
        once the bot reacted."""
        channel = at or self.channel
        backend = self.env.backend
        # Discord also wants send_voice_messages, which simcord's default @everyone lacks.
        backend.require_permissions(
            self.guild.id, actor.id, channel.id, "send_messages", "attach_files"
        )
        [attachment] = backend.store_attachments(channel.id, [(filename, ogg)])
        attachment.update(
            content_type="audio/ogg",
            duration_secs=duration,
            waveform=base64.b64encode(waveform).decode(),
        )
        reference = None
        if reply_to is not None:
            reference = backend.normalize_message_reference(
                channel.id, {"channel_id": str(channel.id), "message_id": str(reply_to.id)}
            )
        message = backend.create_message(
            channel.id,
            actor.id,
            "",
            attachments=[attachment],
            flags=VOICE_MESSAGE_FLAG,
            reference=reference,
            allowed_mentions=AllowedMentions(replied_user=ping),
        )
        await self.env.settle()
        return to_discord_message(self.env, message)

    async def restart_bot(self) -> None:
        """Stop the bot and start a fresh one from ``make_bot``; the Discord world stays."""
        await self.env.restart_bot(self._make_bot())

    async def wait_for(
        self, predicate: Callable[[], bool], *, timeout: float = 5.0, interval: float = 0.01
    ) -> None:
        """Settle and yield to the loop until ``predicate()`` holds (real seconds).

        Settling already awaits the tasks and executor jobs the bot started; this is for work
        simcord cannot see (a thread of the bot's own that posts back to the loop). Virtual
        timers (``asyncio.sleep`` in the bot) move only with ``env.advance_time``.
        """
        deadline = time.perf_counter() + timeout
        while True:
            await self.env.settle()
            if predicate():
                return
            if time.perf_counter() >= deadline:
                raise AssertionError(f"condition still false after {timeout} s")
            await asyncio.sleep(interval)

    def expire_interaction_tokens(self) -> None:
        """From now on every interaction-token call (edit original, followups) fails as Discord
        fails it after 15 minutes: HTTP 401, code 50027 "Invalid Webhook Token".

        Initial responses (``/interactions/.../callback``) still work. Alternatively
        ``await env.advance_time(TOKEN_LIFETIME_S)`` expires tokens the way simcord models it
        (404, code 10015 Unknown Webhook).
        """
        self.env.inject_error(
            "*",
            f"/webhooks/{self.env.backend.application_id}/*",
            status=401,
            code=INVALID_WEBHOOK_TOKEN,
            message="Invalid Webhook Token",
            times=None,
        )

    # ------------------------------------------------------------------- assert

    def edits_of(self, message: HasId) -> list[MessageState]:
        """Every published state of a (non-ephemeral) message, oldest first."""
        return list(self._states.get(message.id, []))

    def contents_of(self, message: HasId) -> list[str]:
        """The content after creation and after each edit, the deferral placeholder excluded."""
        return [state.content for state in self.edits_of(message) if not state.loading]

    def message_requests(self) -> list[SentRequest]:
        """Every request by the bot that created or edited a message, in order."""
        sent = []
        for entry, at in self._requests:
            body = entry.json if isinstance(entry.json, dict) else {}
            if _is_callback(entry.path):
                if body.get("type") not in _MESSAGE_CALLBACKS:
                    continue
                body = body.get("data") or {}
            elif not _is_message_write(entry.method, entry.path):
                continue
            sent.append(SentRequest(entry.method, entry.path, body, at))
        return sent

    def sent_allowed_mentions(self) -> list[dict[str, Any] | None]:
        """The raw ``allowed_mentions`` of every request that created or edited a message (text
        or not: the bot's job messages are embeds, edited without content)."""
        return [request.allowed_mentions for request in self.message_requests()]

    def pings(self, message: HasId) -> Pings:
        """Who this message notified: mentions that survived ``allowed_mentions``."""
        stored = self._stored(message)
        return Pings(
            frozenset(stored.ping_user_ids),
            frozenset(stored.ping_role_ids),
            stored.mention_everyone,
        )

    @property
    def last_interaction(self) -> InteractionTrace:
        return self.interactions[-1]

    def messages(self, channel: simcord.ChannelHandle | None = None) -> list[discord.Message]:
        """The channel's messages, oldest first, as the bot's own ``discord.Message`` objects."""
        return (channel or self.channel).history()

    # ---------------------------------------------------------------- observers

    def _stored(self, message: HasId) -> Any:
        for messages in self.env.backend.messages.values():
            if message.id in messages:
                return messages[message.id]
        raise LookupError(f"no message {message.id}")

    def _observe(self, event: str, payload: Any) -> None:
        now = time.perf_counter()
        if event in ("MESSAGE_CREATE", "MESSAGE_UPDATE"):
            state = MessageState(
                event=event,
                content=payload.get("content", ""),
                embeds=list(payload.get("embeds") or []),
                attachments=list(payload.get("attachments") or []),
                components=list(payload.get("components") or []),
                flags=int(payload.get("flags") or 0),
                at=now,
            )
            self._states.setdefault(int(payload["id"]), []).append(state)
            if int(payload["author"]["id"]) == self.env.backend.bot_user.id:
                self._check_uploads(payload["id"], state)
        elif event == "INTERACTION_CREATE":
            payload["attachment_size_limit"] = UPLOAD_LIMIT_BYTES
            user = (payload.get("member") or {}).get("user") or payload.get("user") or {}
            payload["locale"] = self.locales.get(int(user.get("id", 0)), "en-US")
            trace = InteractionTrace(int(payload["id"]), int(payload["type"]), now)
            self.interactions.append(trace)
            self._traces[trace.id] = trace
        self._mark_nsfw(event, payload)

    def _check_uploads(self, message_id: str, state: MessageState) -> None:
        if len(state.attachments) > MAX_FILES:
            self.upload_violations.append(
                f"message {message_id} has {len(state.attachments)} files (max {MAX_FILES})"
            )
        for attachment in state.attachments:
            if attachment["size"] > UPLOAD_LIMIT_BYTES:
                self.upload_violations.append(
                    f"{attachment['filename']} in message {message_id} is {attachment['size']} "
                    f"bytes (max {UPLOAD_LIMIT_BYTES})"
                )

    def _mark_nsfw(self, event: str, payload: Any) -> None:
        if event in ("CHANNEL_CREATE", "CHANNEL_UPDATE"):
            channels = [payload]
        elif event == "GUILD_CREATE":
            channels = payload.get("channels") or []
        elif event == "INTERACTION_CREATE":
            channels = [payload.get("channel") or {}]
        else:
            return
        for channel in channels:
            if channel.get("id") is not None and int(channel["id"]) in self._nsfw:
                channel["nsfw"] = True

    def _on_request(self, entry: Any) -> None:
        now = time.perf_counter()
        self._requests.append((entry, now))
        if _is_callback(entry.path):
            trace = self._traces.get(int(entry.path.split("/")[2]))
            if trace is not None and trace.ack_at is None:
                trace.ack_at = now
                trace.ack_type = (entry.json or {}).get("type")


def _is_callback(path: str) -> bool:
    """``/interactions/{id}/{token}/callback``: an interaction's initial response."""
    return path.startswith("/interactions/") and path.endswith("/callback")


def _is_message_write(method: str, path: str) -> bool:
    """A channel message or interaction/webhook message being created or edited."""
    parts = path.strip("/").split("/")
    if parts[0] == "channels":  # POST channels/{c}/messages, PATCH channels/{c}/messages/{m}
        return parts[2:3] == ["messages"] and (method, len(parts)) in (("POST", 3), ("PATCH", 4))
    if parts[0] == "webhooks":  # POST webhooks/{a}/{t}, PATCH webhooks/{a}/{t}/messages/{m}
        return (method, len(parts)) in (("POST", 3), ("PATCH", 5))
    return False


_HARNESS = pytest.StashKey["DiscordHarness"]()


@pytest.fixture
def make_bot() -> Callable[[], commands.Bot]:
    raise pytest.UsageError(
        "Define a `make_bot` fixture returning a factory of a fresh commands.Bot to use "
        "`discord_harness`."
    )


_simcord_path_of = sim_client._path_of


def decoded_path_of(url: str) -> str:
    """The path of a request's URL, each segment percent-decoded as Discord's HTTP server (like
    any, and like the fake Discord's aiohttp) decodes it. discord.py quotes every string it puts
    into a route (``Webhook.edit_message("@original")`` requests ``…/messages/%40original``);
    simcord 3.2 matches the quoted text against its routes, so ``%40original`` was taken for a
    message id (``int('%40original')``). Carried until simcord decodes paths itself (it decodes
    only a reaction's emoji, in that route)."""
    return "/".join(unquote(segment) for segment in _simcord_path_of(url).split("/"))


sim_client._path_of = decoded_path_of  # both of simcord's transports look it up per request


@pytest_asyncio.fixture(loop_scope="function")
async def discord_env(
    make_bot: Callable[[], commands.Bot], request: pytest.FixtureRequest
) -> AsyncIterator[simcord.Env]:
    """The started simcord ``Env`` under :func:`discord_harness`.

    Runs in the test's own event loop (the project's default fixture loop is the session's).
    ``@pytest.mark.simcord(...)`` keywords go to ``simcord.Env`` (``settle_timeout``,
    ``check_errors``…). Errors the bot raised that the test did not read through ``env.errors``
    fail the test at teardown.
    """
    marker = request.node.get_closest_marker("simcord")
    env = simcord.Env(make_bot(), **(marker.kwargs if marker else {}))
    await env.start()
    try:
        harness = request.node.stash[_HARNESS] = DiscordHarness(env, make_bot)
        yield env
    finally:
        await env.shutdown()
    if env.check_errors:
        # As simcord's own fixture does: fail on errors the test did not read via env.errors.
        env._raise_errors_since(env._errors_acknowledged)
    if harness.upload_violations:
        pytest.fail("over Discord's upload limits: " + "; ".join(harness.upload_violations))


@pytest.fixture
def discord_harness(discord_env: simcord.Env, request: pytest.FixtureRequest) -> DiscordHarness:
    """A started bot built by ``make_bot`` in a simcord world with ``guild`` and ``channel``.

    Requesting it puts ``discord_env`` among the test's fixtures, so simcord's pytest plugin runs
    the test under the Env's clock and attaches its transcript to failures.
    """
    return request.node.stash[_HARNESS]
