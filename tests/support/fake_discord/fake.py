""":class:`FakeDiscord`: what a test calls. A Discord on 127.0.0.1 (REST, gateway, CDN) with one
server and channel, its users acting, faults at the real boundary and the history of it all."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from tests.support.fake_discord import users
from tests.support.fake_discord.faults import Fault
from tests.support.fake_discord.history import History
from tests.support.fake_discord.server import API_VERSION, Server
from tests.support.fake_discord.world import Portal, RecordingBackend, World

T = TypeVar("T")


class FakeDiscord:
    """Start it (or use it as a context manager); point a bot at :attr:`api_base` with the
    token :attr:`token`. It lives until :meth:`stop`, across any number of bot processes."""

    def __init__(
        self,
        *,
        port: int = 0,
        token: str = "fake-token",
        bot_name: str = "Speech2Image",
        privileged_intents: Iterable[str] = ("message_content",),
        heartbeat_interval_ms: int = 41_250,
    ) -> None:
        self._history = History()
        self._backend = backend = RecordingBackend(self._history)
        backend.bot_user.name = bot_name
        self.guild_id = backend.create_guild("Fake Server").id
        self.channel_id = backend.create_channel(self.guild_id, "general").id
        self._portal = Portal(token, privileged_intents=set(privileged_intents))
        world = World(backend, self._history, self._portal)
        self._faults = world.faults
        self._server = Server(world, port=port, heartbeat_interval_ms=heartbeat_interval_ms)

    def start(self) -> FakeDiscord:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> FakeDiscord:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ---- where it is ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def api_base(self) -> str:
        """For ``discord.api_base``: ``http://127.0.0.1:<port>/api/v10``."""
        return f"{self._server.url}/api/v{API_VERSION}"

    @property
    def gateway_url(self) -> str:
        return self._server.gateway_url

    @property
    def token(self) -> str:
        return self._portal.token

    @property
    def application_id(self) -> int:
        return self._backend.application_id

    @property
    def bot_user_id(self) -> int:
        return self._backend.bot_user.id

    @property
    def problems(self) -> list[str]:
        """The fake's own failures (a route or field it does not model): a test fails on any."""
        return self._server.call(lambda: list(self._server.world.problems))

    # ---- the world -----------------------------------------------------------------------

    def add_user(self, name: str) -> int:
        """A new member of the server; their id."""

        def add() -> int:
            user = self._backend.make_user(name)
            self._backend.add_member(self.guild_id, user.id, announce=True)
            return user.id

        return self._server.call(add)

    def add_channel(self, name: str) -> int:
        return self._server.call(lambda: self._backend.create_channel(self.guild_id, name).id)

    # ---- users acting (each returns the id of the interaction or message it made) -------

    def slash(self, user: int, name: str, /, *, channel: int | None = None, **options: Any) -> int:
        """``/name option:value…``; an attachment option takes ``(filename, bytes)``."""
        where = channel or self.channel_id
        return self._server.call(users.slash, self._backend, user, where, name, options)

    def message_command(
        self, user: int, name: str, message_id: int, *, channel: int | None = None
    ) -> int:
        where = channel or self.channel_id
        return self._server.call(
            users.message_command, self._backend, user, where, name, message_id
        )

    def click(self, user: int, message_id: int, custom_id: str) -> int:
        return self._server.call(
            users.click, self._backend, user, self._channel_of(message_id), message_id, custom_id
        )

    def choose(self, user: int, message_id: int, custom_id: str, values: list[str]) -> int:
        where = self._channel_of(message_id)
        return self._server.call(
            users.choose, self._backend, user, where, message_id, custom_id, values
        )

    def submit_form(self, interaction_id: int, **values: str) -> int:
        """Submit the form the bot answered ``interaction_id`` with (text inputs by custom id)."""
        return self._server.call(users.submit_form, self._backend, interaction_id, values)

    def post(
        self,
        user: int,
        content: str = "",
        *,
        channel: int | None = None,
        files: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
        reply_to: int | None = None,
    ) -> int:
        where = channel or self.channel_id
        return self._server.call(
            lambda: users.post(self._backend, user, where, content, files=files, reply_to=reply_to)
        )

    def voice_message(
        self,
        user: int,
        ogg: bytes,
        duration: float,
        *,
        channel: int | None = None,
        reply_to: int | None = None,
    ) -> int:
        where = channel or self.channel_id
        return self._server.call(
            lambda: users.voice_message(
                self._backend, user, where, ogg, duration, reply_to=reply_to
            )
        )

    def attachment(self, filename: str, data: bytes, *, channel: int | None = None) -> str:
        """Put bytes on the fake's CDN; their URL."""
        where = channel or self.channel_id
        [stored] = self._server.call(self._backend.store_attachments, where, [(filename, data)])
        return stored["url"]

    # ---- faults --------------------------------------------------------------------------

    def fail(self, method: str, path: str, status: int = 500, **fault: Any) -> Fault:
        """The next matching request(s) answered with ``status`` (``times=``, ``code=``,
        ``message=``; for 429 ``retry_after=`` and ``is_global=``). Path: a glob after the API
        base (``/channels/*/messages*``, ``/webhooks/*``, ``/interactions/*``)."""
        return self._server.call(self._faults.add, Fault(method, path, status, **fault))

    def hang(self, method: str, path: str, seconds: float, times: int | None = 1) -> Fault:
        """The next matching request(s) held ``seconds`` unanswered, then their connection
        dropped: a timeout, as the client sees it."""
        return self._server.call(self._faults.add, Fault(method, path, hang=seconds, times=times))

    def clear_faults(self) -> None:
        self._server.call(self._faults.clear)

    def reject_token(self, rejected: bool = True) -> None:
        """The token was reset: REST answers 401, IDENTIFY and RESUME are closed with 4004."""
        self._server.call(setattr, self._portal, "token_valid", not rejected)

    def set_privileged_intents(self, *names: str) -> None:
        """The privileged intents the portal allows; asking for another closes with 4014."""
        self._server.call(setattr, self._portal, "privileged_intents", set(names))

    def go_offline(self, how: str = "refuse") -> None:
        """Discord unreachable: ``refuse`` closes the listening socket and every connection;
        ``hang`` accepts connections and answers nothing (requests sent meanwhile are dropped,
        never handled). :meth:`come_back` ends it."""
        if how not in ("refuse", "hang"):
            raise ValueError(how)
        self._server.run(self._server.refuse() if how == "refuse" else self._server.hang())

    def come_back(self) -> None:
        self._server.run(self._server.accept())

    def close_gateway(self, code: int) -> None:
        """Close every gateway connection with ``code`` (4004, 4014, 4000, 1001…)."""
        self._server.run(self._server.gateway.close(code))

    def reconnect_gateway(self) -> None:
        """Op 7 RECONNECT: the client reconnects and RESUMEs (missed events replayed)."""
        self._server.call(self._server.gateway.reconnect)

    def invalidate_session(self, resumable: bool = False) -> None:
        """Op 9 INVALID_SESSION: the client identifies anew (or resumes if ``resumable``)."""
        self._server.call(self._server.gateway.invalidate, resumable)

    def ack_heartbeats(self, acking: bool = True) -> None:
        """False: heartbeats go unanswered, so the client reconnects after its timeout."""
        self._server.call(setattr, self._server.gateway, "acking", acking)

    def expire_tokens(self, interaction_id: int | None = None) -> None:
        """Interaction tokens (one, or all) die now: webhook calls answer 401, code 50027."""

        def expire() -> None:
            now = self._backend.now_iso()
            for record in self._backend.interactions.values():
                if interaction_id in (None, record.id):
                    record.expires_at = now

        self._server.call(expire)

    def advance_clock(self, seconds: float) -> None:
        """Move the fake's clock ahead (tokens older than 15 minutes on it are dead)."""
        self._server.call(self._backend.advance_clock, seconds)

    # ---- history -------------------------------------------------------------------------

    def history(self) -> History:
        """A snapshot of everything so far (requests, gateway frames, message states)."""
        return self._server.call(self._history.snapshot)

    def cdn_fetches(self) -> list[tuple[float, str]]:
        """Every download from the fake's CDN: when (``time.time()``) and which path."""
        return self._server.call(lambda: list(self._backend.cdn.fetches))

    def wait_for(
        self, check: Callable[[History], T], *, timeout: float, what: str = "the condition"
    ) -> T:
        """Poll ``check(history)`` until it returns something truthy; that. An AssertionError
        naming ``what`` (and the last requests) after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            history = self.history()
            found = check(history)
            if found:
                return found
            if time.monotonic() > deadline:
                last = [f"{r.method} {r.path} → {r.status}" for r in history.requests[-8:]]
                raise AssertionError(f"no {what} after {timeout:g} s; last requests: {last}")
            time.sleep(0.05)

    def _channel_of(self, message_id: int) -> int:
        def find() -> int:
            for channel_id, messages in self._backend.messages.items():
                if message_id in messages:
                    return channel_id
            raise LookupError(f"no message {message_id}")

        return self._server.call(find)
