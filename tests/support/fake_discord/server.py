"""The fake Discord's process side: an aiohttp server on 127.0.0.1 in a thread of its own, with
its own event loop, so that a test (sync or async) and bot processes can all use it, and it
outlives every bot process started against it. Every method is safe to call from any thread."""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket
import threading
from collections.abc import Callable, Coroutine
from types import SimpleNamespace
from typing import Any, TypeVar

from aiohttp import web
from simcord.http.routes.application import application_info

from tests.support.fake_discord.gateway import Gateway
from tests.support.fake_discord.rest import Rest
from tests.support.fake_discord.world import World

T = TypeVar("T")
HOST = "127.0.0.1"
API_VERSION = 10


class Server:
    """Owns the thread, the loop, the listening socket and what answers on it."""

    def __init__(self, world: World, *, port: int = 0, heartbeat_interval_ms: int = 41_250) -> None:
        self.world = world
        self.port = port or free_port()
        self._heartbeat_interval_ms = heartbeat_interval_ms
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="fake-discord", daemon=True)
        self._started = concurrent.futures.Future[None]()
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self.gateway: Gateway

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def gateway_url(self) -> str:
        return f"ws://{HOST}:{self.port}/gateway"

    # ---- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()
        self._started.result(timeout=30)

    def stop(self) -> None:
        if self._thread.is_alive():
            self.run(self._close())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._open())
        except BaseException as error:
            self._started.set_exception(error)
            return
        self._started.set_result(None)
        self._loop.run_forever()
        self._loop.close()

    async def _open(self) -> None:
        self.world.answering.set()
        self.world.backend.cdn.base = self.url
        self.gateway = Gateway(self.world, lambda: self.gateway_url, self._heartbeat_interval_ms)
        rest = Rest(
            self.world,
            {
                ("GET", "/gateway"): lambda: {"url": self.gateway_url},
                ("GET", "/gateway/bot"): self._bot_gateway,
                ("GET", "/oauth2/applications/@me"): self._application,
            },
        )
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        rest.add_routes(app)
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=5.0
        )
        await self._runner.setup()
        await self._listen()

    async def _close(self) -> None:
        """Stop listening, say goodbye to the gateway clients (1001), drop what is left (the
        requests :meth:`hang` holds too: left waiting, they would outlive the loop)."""
        await self.refuse()
        self.world.answering.set()
        await self.gateway.close(1001)
        if self._runner is not None:
            await self._runner.cleanup()

    def _bot_gateway(self) -> dict[str, Any]:
        limit = {"total": 1000, "remaining": 999, "reset_after": 86_400_000, "max_concurrency": 1}
        return {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    def _application(self) -> dict[str, Any]:
        info = application_info(SimpleNamespace(backend=self.world.backend))
        return info | {"flags": self.world.portal.application_flags}

    # ---- reachability ------------------------------------------------------------------------

    async def _listen(self) -> None:
        assert self._runner is not None
        self._site = web.TCPSite(self._runner, HOST, self.port, reuse_address=True)
        await self._site.start()

    async def refuse(self) -> None:
        """Close the listening socket and every open connection: connections are refused."""
        if self._site is not None:
            await self._site.stop()
            self._site = None
        assert self._runner is not None and self._runner.server is not None
        for handler in self._runner.server.connections:
            handler.force_close()

    async def accept(self) -> None:
        """Listen again (on the same port), and answer again after :meth:`hang`."""
        if self._site is None:
            await self._listen()
        self.world.answering.set()

    async def hang(self) -> None:
        """Keep accepting connections but answer nothing (REST, CDN, gateway)."""
        self.world.answering.clear()

    # ---- calls from other threads ----------------------------------------------------------

    def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``function(*args, **kwargs)`` on the fake's loop; its result or its exception."""
        if threading.current_thread() is self._thread:
            return function(*args, **kwargs)
        done = concurrent.futures.Future[T]()

        def run() -> None:
            try:
                done.set_result(function(*args, **kwargs))
            except BaseException as error:
                done.set_exception(error)

        self._loop.call_soon_threadsafe(run)
        return done.result(timeout=30)

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """A coroutine on the fake's loop; its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=60)


def free_port() -> int:
    """A port nothing listens on now (reused with ``SO_REUSEADDR``)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]
