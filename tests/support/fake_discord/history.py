"""What crossed the fake's boundary, in order: every REST request, every gateway frame, and each
message's state after its creation and after every edit (ephemeral messages included)."""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

EPHEMERAL_FLAG = 1 << 6
LOADING_FLAG = 1 << 7
"""``MessageFlags.loading``: the "Bot is thinking…" placeholder of a deferred interaction."""
MESSAGE_CALLBACKS = (4, 7)
"""Interaction callbacks that carry a message: channel message with source, update message."""


@dataclass(frozen=True)
class SentFile:
    filename: str
    size: int
    content_type: str | None


@dataclass(frozen=True)
class Request:
    """One REST request to the fake (the bot's, or anyone's) and how it was answered."""

    at: float
    """``time.time()`` when it arrived."""
    method: str
    path: str
    """After the API base: ``/channels/1/messages``."""
    body: Any
    """The JSON body (for a multipart request, its ``payload_json``)."""
    files: tuple[SentFile, ...]
    status: int
    """What the fake answered; 0 when it never answered (a hang fault, or Discord unreachable)."""
    fault: str | None = None
    """The injected fault that answered it, if one did."""

    @property
    def message_fields(self) -> dict[str, Any]:
        """The message it creates or edits (an interaction callback's ``data``), else ``{}``."""
        body = self.body if isinstance(self.body, dict) else {}
        if self.path.startswith("/interactions/"):
            return body.get("data") or {} if body.get("type") in MESSAGE_CALLBACKS else {}
        return body if self.writes_message else {}

    @property
    def writes_message(self) -> bool:
        """Creates or edits a message: a channel message, an interaction's reply or follow-up."""
        parts = self.path.strip("/").split("/")
        if parts[0] == "channels":
            return parts[2:3] == ["messages"] and (self.method, len(parts)) in (
                ("POST", 3),
                ("PATCH", 4),
            )
        if parts[0] == "webhooks":
            return (self.method, len(parts)) in (("POST", 3), ("PATCH", 5))
        if parts[0] == "interactions":
            return isinstance(self.body, dict) and self.body.get("type") in MESSAGE_CALLBACKS
        return False

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.message_fields.get("flags") or 0) & EPHEMERAL_FLAG)

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        return self.message_fields.get("allowed_mentions")

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass(frozen=True)
class GatewayFrame:
    """One gateway frame: ``sent`` by the fake (HELLO, dispatches, ACKs) or ``received`` from a
    client (IDENTIFY, heartbeats, RESUME); ``closed`` when the fake closes a connection (its
    code in ``data``), ``ended`` when a connection is over (the code it ended with)."""

    at: float
    direction: str
    """``sent``, ``received``, ``closed`` or ``ended``."""
    op: int | None
    event: str | None
    """A dispatch's ``t`` (``READY``, ``INTERACTION_CREATE``…)."""
    seq: int | None
    session: str | None
    data: Any = None


@dataclass(frozen=True)
class MessageState:
    """A message after its creation or one edit, as the fake stored it."""

    at: float
    event: str
    """``create``, ``edit`` or ``delete``."""
    id: int
    channel_id: int
    author_id: int
    content: str
    embeds: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    components: list[dict[str, Any]]
    flags: int
    interaction_id: int | None
    """The interaction it answers (its reply or a follow-up), if any."""
    reply_to: int | None
    """``message_reference.message_id``."""
    pinged_users: frozenset[int] = frozenset()
    pinged_roles: frozenset[int] = frozenset()
    pinged_everyone: bool = False

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL_FLAG)

    @property
    def loading(self) -> bool:
        return bool(self.flags & LOADING_FLAG)

    @property
    def pinged(self) -> bool:
        """Anyone notified: mentions that survived ``allowed_mentions``."""
        return bool(self.pinged_users or self.pinged_roles or self.pinged_everyone)

    @property
    def filenames(self) -> list[str]:
        return [attachment["filename"] for attachment in self.attachments]

    @property
    def custom_ids(self) -> list[str]:
        """The custom ids of its buttons and menus, in order."""
        return [c["custom_id"] for c in walk(self.components) if c.get("custom_id")]

    @property
    def title(self) -> str | None:
        return self.embeds[0].get("title") if self.embeds else None


def walk(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every component, rows and containers included, depth first."""
    for component in components:
        yield component
        yield from walk(component.get("components") or [])
        if isinstance(component.get("component"), dict):
            yield from walk([component["component"]])


@dataclass
class History:
    """Appended to on the fake's loop only; a test reads a :meth:`snapshot` (``fake.history()``)."""

    requests: list[Request] = field(default_factory=list)
    frames: list[GatewayFrame] = field(default_factory=list)
    states: list[MessageState] = field(default_factory=list)

    def frame(self, direction: str, op: int | None, **fields: Any) -> None:
        fields.setdefault("event", None)
        fields.setdefault("seq", None)
        fields.setdefault("session", None)
        self.frames.append(GatewayFrame(time.time(), direction, op, **fields))

    def snapshot(self) -> History:
        return History(list(self.requests), list(self.frames), list(self.states))

    # ---- messages ----------------------------------------------------------------------------

    def messages(self) -> dict[int, list[MessageState]]:
        """Each message's states, oldest first, messages in order of creation."""
        by_id: dict[int, list[MessageState]] = {}
        for state in self.states:
            by_id.setdefault(state.id, []).append(state)
        return by_id

    def states_of(self, message_id: int) -> list[MessageState]:
        return self.messages().get(message_id, [])

    def final_state(self, message_id: int) -> MessageState:
        return self.states_of(message_id)[-1]

    def final_states(self, where: Callable[[MessageState], bool]) -> list[MessageState]:
        """The latest state of every message that ever matched ``where`` (deleted ones too)."""
        return [states[-1] for states in self.messages().values() if any(map(where, states))]

    def messages_of_interaction(self, interaction_id: int) -> list[MessageState]:
        """The final states of an interaction's reply and follow-ups, in order."""
        return self.final_states(lambda state: state.interaction_id == interaction_id)

    def replies_to(self, message_id: int) -> list[MessageState]:
        """The final states of the messages replying to ``message_id``."""
        return self.final_states(lambda state: state.reply_to == message_id)

    def job_messages(self, job_id: str) -> list[MessageState]:
        """The final states of the messages whose buttons ever carried ``job_id`` as one
        ``:``-separated part of a custom id (the bot's ``s2i:<action>:<job>…``)."""
        return self.final_states(
            lambda state: any(job_id in custom_id.split(":") for custom_id in state.custom_ids)
        )

    def pinging(self) -> list[MessageState]:
        """Every message state that notified someone."""
        return [state for state in self.states if state.pinged]

    # ---- requests ----------------------------------------------------------------------------

    def requests_to(self, method: str, pattern: str) -> list[Request]:
        """The requests whose method is ``method`` (or ``*``) and path matches the glob."""
        return [
            r
            for r in self.requests
            if method in (r.method, "*") and fnmatch.fnmatchcase(r.path, pattern)
        ]

    def command_syncs(self) -> list[Request]:
        """Bulk overwrites of application commands (global or guild) that Discord accepted."""
        return [r for r in self.requests_to("PUT", "/applications/*commands") if r.ok]

    def ephemeral_requests(self) -> list[Request]:
        return [r for r in self.requests if r.writes_message and r.ephemeral]

    def files_sent(self) -> list[SentFile]:
        return [file for r in self.requests if r.ok for file in r.files]

    # ---- gateway -----------------------------------------------------------------------------

    def received(self, op: int) -> list[GatewayFrame]:
        """Frames clients sent with this opcode (2 IDENTIFY, 6 RESUME, 1 heartbeat)."""
        return [f for f in self.frames if f.direction == "received" and f.op == op]

    def dispatched(self, event: str) -> list[GatewayFrame]:
        """Dispatches the fake sent (``READY``, ``RESUMED``, ``INTERACTION_CREATE``…)."""
        return [f for f in self.frames if f.direction == "sent" and f.event == event]
