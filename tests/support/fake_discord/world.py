"""The fake's Discord: simcord's in-memory backend (its model of guilds, messages, interactions and
their validation) on the real clock, with attachments at the fake's own CDN and every message
state recorded."""

from __future__ import annotations

import asyncio
import copy
import mimetypes
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from simcord._clock import Clock
from simcord.backend import Backend
from simcord.backend.cdn import CdnStore
from simcord.backend.models import Message

from tests.support.fake_discord.faults import Faults
from tests.support.fake_discord.history import History, MessageState


class RealClock(Clock):
    """Wall-clock time (snowflakes, interaction deadlines and token lifetimes are real), plus
    whatever :meth:`advance` added: the fake's clock can run ahead of the bot's."""

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.elapsed)


class Cdn(CdnStore):
    """Attachments at ``{base}/attachments/{channel}/{id}/{filename}``, served by the fake."""

    def __init__(self) -> None:
        super().__init__()
        self.base = ""
        """``http://127.0.0.1:<port>``, set once the fake listens."""
        self.fetches: list[tuple[float, str]] = []

    def store_attachment(
        self,
        attachment_id: int,
        channel_id: int,
        filename: str,
        data: bytes,
        description: str | None,
    ) -> dict[str, Any]:
        path = f"/attachments/{channel_id}/{attachment_id}/{filename}"
        self._blobs[path] = data
        url = self.base + path
        return {
            "id": str(attachment_id),
            "filename": filename,
            "description": description,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": mimetypes.guess_type(filename)[0] or "application/octet-stream",
        }

    def get(self, url: str) -> bytes | None:
        return self._blobs.get(url.removeprefix(self.base).split("?")[0])

    def fetch(self, path: str) -> bytes | None:
        """A download through the CDN's HTTP front (recorded)."""
        self.fetches.append((time.time(), path))
        return self._blobs.get(path)


class RecordingBackend(Backend):
    """simcord's backend, recording each message's state when it is created, edited, deleted."""

    def __init__(self, history: History) -> None:
        super().__init__(clock=RealClock())
        self.history = history
        self.cdn = Cdn()

    def commit_message(self, message: Message, *, broadcast: bool = True) -> Message:
        stored = super().commit_message(message, broadcast=broadcast)
        self._record("create", stored)
        return stored

    def edit_message(self, channel_id: int, message_id: int, fields: dict[str, Any]) -> Message:
        edited = super().edit_message(channel_id, message_id, fields)
        self._record("edit", edited)
        return edited

    def delete_message(self, channel_id: int, message_id: int) -> None:
        message = self.get_message(channel_id, message_id)
        super().delete_message(channel_id, message_id)
        self._record("delete", message)

    def _record(self, event: str, message: Message) -> None:
        interaction = (message.interaction_metadata or {}).get("id")
        reply_to = (message.reference or {}).get("message_id")
        self.history.states.append(
            MessageState(
                at=time.time(),
                event=event,
                id=message.id,
                channel_id=message.channel_id,
                author_id=message.author_id,
                content=message.content,
                embeds=copy.deepcopy(message.embeds),
                attachments=copy.deepcopy(message.attachments),
                components=copy.deepcopy(message.components),
                flags=message.flags,
                interaction_id=int(interaction) if interaction is not None else None,
                reply_to=int(reply_to) if reply_to is not None else None,
                pinged_users=frozenset(message.ping_user_ids),
                pinged_roles=frozenset(message.ping_role_ids),
                pinged_everyone=message.mention_everyone,
            )
        )


@dataclass
class Portal:
    """What the Developer Portal says about the fake's application."""

    token: str
    token_valid: bool = True
    """False: the token was reset; every call with it is answered 401 (and IDENTIFY 4004)."""
    privileged_intents: set[str] = field(default_factory=lambda: {"message_content"})
    """Enabled privileged intents (``members``, ``presences``, ``message_content``)."""

    @property
    def application_flags(self) -> int:
        """The application's ``GATEWAY_*_LIMITED`` flags (a bot in fewer than 100 servers) of
        the privileged intents enabled, as ``GET /oauth2/applications/@me`` and READY carry."""
        bits = {"presences": 1 << 13, "members": 1 << 15, "message_content": 1 << 19}
        return sum(bit for name, bit in bits.items() if name in self.privileged_intents)

    def accepts(self, authorization: str | None) -> bool:
        return self.token_valid and authorization == f"Bot {self.token}"


@dataclass
class World:
    """What the fake's parts share: simcord's backend, the history, the faults in force, the
    portal, whether Discord answers at all, and the fake's own failures."""

    backend: RecordingBackend
    history: History
    portal: Portal
    faults: Faults = field(default_factory=Faults)
    answering: asyncio.Event = field(default_factory=asyncio.Event)
    """Set while Discord answers (cleared: it hangs)."""
    problems: list[str] = field(default_factory=list)
    """A route or field the fake does not model, a bug of its own: never silent."""
