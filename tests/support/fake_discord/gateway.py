"""The fake's gateway over WebSocket (API v10, JSON, uncompressed text frames, which discord.py
reads as they are): HELLO, heartbeats, IDENTIFY → READY + GUILD_CREATE, RESUME → the missed
events → RESUMED, and on demand RECONNECT, INVALID_SESSION, a close code or a dropped connection.

Every event simcord's backend emits goes to each live session, shaped by the intents it identified
with (simcord's gateway model: events outside them dropped, message content censored)."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import discord
from aiohttp import WSMsgType, web
from simcord.backend import serializers
from simcord.gateway import FakeGateway
from simcord.intents import PRIVILEGED_INTENTS

from tests.support.fake_discord.rest import drop
from tests.support.fake_discord.world import RecordingBackend, World

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT, INVALID_SESSION, HELLO, HEARTBEAT_ACK = (
    0, 1, 2, 6, 7, 9, 10, 11,
)  # fmt: skip
AUTHENTICATION_FAILED = 4004
DISALLOWED_INTENTS = 4014


@dataclass
class Connection:
    """One client WebSocket; frames go out in order through its queue."""

    ws: web.WebSocketResponse
    outbox: asyncio.Queue[dict[str, Any] | None] = field(default_factory=asyncio.Queue)
    session: Session | None = None


@dataclass
class Session:
    """A gateway session: identified once, resumable while it lives."""

    id: str
    intents: discord.Intents
    seq: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    """Every dispatch, for a RESUME to replay what a client missed."""
    connection: Connection | None = None

    def dispatch(self, event: str, data: Any) -> None:
        self.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
        self.sent.append(frame)
        if self.connection is not None:
            self.connection.outbox.put_nowait(frame)


class _Parsers(dict):
    """Stands in for discord.py's parsers: every event goes to ``sink``."""

    def __init__(self, sink: Callable[[Any], None]) -> None:
        super().__init__()
        self.sink = sink

    def __missing__(self, event: str) -> Callable[[Any], None]:
        return self.sink


def shaped(backend: RecordingBackend, intents: discord.Intents, event: str, payload: Any) -> Any:
    """``payload`` as a session with ``intents`` receives it (None: not sent), through simcord's
    own gateway model."""
    out: list[Any] = []
    state = SimpleNamespace(intents=intents, parsers=_Parsers(out.append))
    FakeGateway(backend, state).feed(event, payload)
    return out[0] if out else None


class Gateway:
    """Sessions and connections, on the fake's event loop."""

    def __init__(
        self, world: World, url: Callable[[], str], heartbeat_interval_ms: int = 41_250
    ) -> None:
        self._backend = backend = world.backend
        self._history = world.history
        self._portal = world.portal
        self._answering = world.answering
        self._url = url
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.acking = True
        """False: heartbeats go unanswered (a zombie connection, as discord.py calls it)."""
        self.sessions: dict[str, Session] = {}
        self.connections: list[Connection] = []
        self._ids = itertools.count(1)
        backend.subscribers.append(self.publish)

    # ---- events from the backend --------------------------------------------------------

    def publish(self, event: str, payload: Any) -> None:
        for session in self.sessions.values():
            data = shaped(self._backend, session.intents, event, payload)
            if data is not None:
                session.dispatch(event, data)

    # ---- control ---------------------------------------------------------------------------

    def reconnect(self) -> None:
        """Op 7 to every client: it reconnects and resumes."""
        for connection in self.connections:
            connection.outbox.put_nowait({"op": RECONNECT, "d": None})

    def invalidate(self, resumable: bool) -> None:
        """Op 9 to every client; a session that cannot be resumed is gone."""
        for connection in self.connections:
            connection.outbox.put_nowait({"op": INVALID_SESSION, "d": resumable})
            if not resumable and connection.session is not None:
                self.sessions.pop(connection.session.id, None)

    async def close(self, code: int) -> None:
        """Close every client's connection with ``code`` (4004, 4014, 1001…)."""
        for connection in list(self.connections):
            await self._shut(connection, code, "closed by the fake")

    async def _shut(self, connection: Connection, code: int, reason: str) -> None:
        self._history.frame("closed", None, data=code, session=_id(connection))
        await connection.ws.close(code=code, message=reason.encode())

    # ---- one connection --------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        if not self._answering.is_set():  # Discord unreachable: dropped once it is back
            await self._answering.wait()
            drop(request)
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        connection = Connection(ws)
        self.connections.append(connection)
        writer = asyncio.create_task(self._write(connection))
        connection.outbox.put_nowait(
            {"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}}
        )
        try:
            async for message in ws:
                if message.type != WSMsgType.TEXT:
                    continue
                if not self._answering.is_set():
                    continue  # Discord unreachable: nothing is answered
                await self._receive(connection, json.loads(message.data))
        finally:
            self.connections.remove(connection)
            if connection.session is not None and connection.session.connection is connection:
                connection.session.connection = None
            connection.outbox.put_nowait(None)
            await writer
            self._history.frame("ended", None, data=ws.close_code, session=_id(connection))
        return ws

    async def _write(self, connection: Connection) -> None:
        while (frame := await connection.outbox.get()) is not None:
            if connection.ws.closed:
                continue
            with contextlib.suppress(ConnectionError, RuntimeError):
                await connection.ws.send_str(json.dumps(frame))
                self._history.frame(
                    "sent",
                    frame["op"],
                    event=frame.get("t"),
                    seq=frame.get("s"),
                    session=_id(connection),
                    data=frame.get("d") if frame["op"] != DISPATCH else None,
                )

    async def _receive(self, connection: Connection, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d")
        logged = {k: v for k, v in data.items() if k != "token"} if isinstance(data, dict) else data
        self._history.frame("received", op, session=_id(connection), data=logged)
        if op == HEARTBEAT and self.acking:
            connection.outbox.put_nowait({"op": HEARTBEAT_ACK, "d": None})
        elif op == IDENTIFY:
            await self._identify(connection, data)
        elif op == RESUME:
            await self._resume(connection, data)

    async def _identify(self, connection: Connection, data: dict[str, Any]) -> None:
        if not self._portal.accepts(f"Bot {data.get('token')}"):
            await self._shut(connection, AUTHENTICATION_FAILED, "Authentication failed.")
            return
        intents = discord.Intents._from_value(int(data.get("intents", 0)))
        refused = [
            name
            for name in PRIVILEGED_INTENTS
            if getattr(intents, name) and name not in self._portal.privileged_intents
        ]
        if refused:
            await self._shut(connection, DISALLOWED_INTENTS, "Disallowed intent(s).")
            return
        # A new identify: sessions nobody is connected to were abandoned (a restarted bot).
        for stale in [s for s in self.sessions.values() if s.connection is None]:
            del self.sessions[stale.id]
        session = Session(f"fake-session-{next(self._ids)}", intents, connection=connection)
        self.sessions[session.id] = session
        connection.session = session
        backend = self._backend
        guilds = list(backend.guilds.values())
        ready = {
            "v": 10,
            "user": dict(serializers.user_payload(backend.bot_user)),
            "guilds": [{"id": str(guild.id), "unavailable": True} for guild in guilds],
            "session_id": session.id,
            "resume_gateway_url": self._url(),
            "application": {
                "id": str(backend.application_id),
                "flags": self._portal.application_flags,
            },
        }
        if data.get("shard") is not None:
            ready["shard"] = data["shard"]
        session.dispatch("READY", ready)
        for guild in guilds:
            payload = serializers.guild_create_payload(backend, guild)
            create = shaped(backend, intents, "GUILD_CREATE", copy.deepcopy(payload))
            if create is not None:
                session.dispatch("GUILD_CREATE", create)

    async def _resume(self, connection: Connection, data: dict[str, Any]) -> None:
        if not self._portal.accepts(f"Bot {data.get('token')}"):
            await self._shut(connection, AUTHENTICATION_FAILED, "Authentication failed.")
            return
        session = self.sessions.get(data.get("session_id"))
        if session is None:
            connection.outbox.put_nowait({"op": INVALID_SESSION, "d": False})
            return
        if session.connection is not None and session.connection is not connection:
            await self._shut(session.connection, 4000, "resumed elsewhere")
        session.connection, connection.session = connection, session
        for frame in session.sent:
            if frame["s"] > (data.get("seq") or 0):
                connection.outbox.put_nowait(frame)
        session.dispatch("RESUMED", {})


def _id(connection: Connection) -> str | None:
    return connection.session.id if connection.session is not None else None
