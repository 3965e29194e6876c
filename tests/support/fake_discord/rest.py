"""The fake's REST API (``/api/v10/…``) and CDN over HTTP: authentication, injected faults and
Discord's limits in front of simcord's route table (with Discord's ``enforce_nonce``, see
:mod:`tests.support.enforce_nonce`), each request recorded as it was answered."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import mimetypes
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from aiohttp import web
from simcord.backend.errors import BackendError
from simcord.http import router
from simcord.http import routes as _routes  # noqa: F401  (importing registers the handlers)

from tests.support import enforce_nonce  # noqa: F401  (idempotent creates: importing installs)
from tests.support.fake_discord import limits
from tests.support.fake_discord.faults import Fault
from tests.support.fake_discord.history import Request, SentFile
from tests.support.fake_discord.world import World

log = logging.getLogger(__name__)

INVALID_WEBHOOK_TOKEN = 50027
"""Discord's code for an expired interaction token (HTTP 401)."""
UNAUTHORIZED = {"message": "401: Unauthorized", "code": 0}


@dataclass(frozen=True)
class Upload:
    """One file of a multipart request, as simcord's route handlers read it."""

    filename: str
    data: bytes
    content_type: str | None
    description: str | None = None

    @property
    def fp(self) -> io.BytesIO:
        return io.BytesIO(self.data)


class Rest:
    """Answers ``/api/v{n}/{path}`` and ``/attachments/…`` on the fake's event loop."""

    def __init__(
        self, world: World, extra_routes: dict[tuple[str, str], Callable[[], Any]]
    ) -> None:
        self._backend = world.backend
        self._history = world.history
        self._faults = world.faults
        self._portal = world.portal
        self._answering = world.answering
        self._on_problem = world.problems.append
        self._extra = extra_routes
        """Routes the fake answers itself (``GET /gateway/bot``): ``(method, path) -> body``."""

    def add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/api/v{version:\\d+}/{path:.*}", self.api)
        app.router.add_get("/attachments/{path:.*}", self.cdn)

    async def cdn(self, request: web.Request) -> web.StreamResponse:
        await self._reached(request)
        data = self._backend.cdn.fetch(request.path)
        if data is None:
            return web.Response(status=404, text="asset not found")
        kind = mimetypes.guess_type(request.path)[0] or "application/octet-stream"
        return web.Response(body=data, content_type=kind)

    async def api(self, request: web.Request) -> web.StreamResponse:
        arrived = time.time()
        method, path = request.method, "/" + request.match_info["path"]
        body, uploads = await _read_body(request)
        sent = tuple(SentFile(u.filename, len(u.data), u.content_type) for u in uploads)

        def record(status: int, fault: str | None = None) -> None:
            self._history.requests.append(Request(arrived, method, path, body, sent, status, fault))

        if not self._answering.is_set():
            record(0, "unreachable")
        await self._reached(request)

        fault = self._faults.take(method, path)
        if fault is not None:
            return await self._answer_with(fault, request, record)
        status, answer = self._answer(request, method, path, body, uploads)
        record(status)
        if status == 204:
            return web.Response(status=204)
        return json_response(answer, status)

    async def _answer_with(
        self, fault: Fault, request: web.Request, record: Callable[..., None]
    ) -> web.StreamResponse:
        if fault.hang is None:
            record(fault.status, fault.label)
            return json_response(fault.body(), fault.status, fault.headers())
        record(0, fault.label)
        await asyncio.sleep(fault.hang)
        drop(request)

    async def _reached(self, request: web.Request) -> None:
        """Return at once while Discord is reachable. A request that came while it was not
        (:meth:`Server.hang`) waits, and its connection is dropped unanswered when it is back."""
        if not self._answering.is_set():
            await self._answering.wait()
            drop(request)

    def _answer(
        self, request: web.Request, method: str, path: str, body: Any, uploads: list[Upload]
    ) -> tuple[int, Any]:
        refusal = self._refusal(request, method, path, body, uploads)
        if refusal is not None:
            return refusal
        extra = self._extra.get((method, path))
        if extra is not None:
            return 200, extra()
        try:
            answer = router.dispatch(
                self._backend,
                method,
                path,
                json=body,
                params=dict(request.query),
                files=uploads,
                reason=request.headers.get("X-Audit-Log-Reason"),
                message_content_access="message_content" in self._portal.privileged_intents,
            )
        except (router.RouteNotImplemented, router.UnsupportedField) as gap:
            self._on_problem(f"{method} {path}: {gap}")
            return 501, {"message": str(gap), "code": 0}
        except BackendError as error:
            return error.status, error.to_json()
        except Exception as error:  # a bug of the fake's: loud, never a silent success
            log.exception("fake Discord failed on %s %s", method, path)
            self._on_problem(f"{method} {path}: {error!r}")
            return 500, {"message": "500: Internal Server Error", "code": 0}
        return (204, None) if answer is None else (200, answer)

    def _refusal(
        self, request: web.Request, method: str, path: str, body: Any, uploads: list[Upload]
    ) -> tuple[int, Any] | None:
        """Discord's answer where it refuses before doing anything: authentication, an expired
        interaction token, a payload over its limits."""
        parts = path.strip("/").split("/")
        token_route = parts[0] in ("webhooks", "interactions") and len(parts) >= 3
        if not token_route and not self._portal.accepts(request.headers.get("Authorization")):
            return 401, UNAUTHORIZED
        if parts[0] == "webhooks" and len(parts) >= 3 and self._token_expired(parts[2]):
            return 401, {"message": "Invalid Webhook Token", "code": INVALID_WEBHOOK_TOKEN}
        problem = None
        if uploads:
            problem = limits.check_uploads([len(upload.data) for upload in uploads])
        if problem is None and parts[0] == "interactions":
            problem = limits.check_callback(body)
        if problem is None and method == "PUT" and parts[-1] == "commands":
            problem = limits.check_commands(body)
        return problem

    def _token_expired(self, token: str) -> bool:
        interaction_id = self._backend.interaction_tokens.get(token)
        if interaction_id is None:
            return False
        expires = self._backend.interactions[interaction_id].expires_at
        return expires is not None and self._backend.now_iso() >= expires


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """JSON as Discord sends it: ``Content-Type: application/json`` with no charset, which
    discord.py compares exactly (anything else reaches it as text)."""
    body = json.dumps(data).encode()
    return web.Response(body=body, status=status, headers=headers, content_type="application/json")


def drop(request: web.Request) -> NoReturn:
    """End the request without an answer: the client sees the connection drop."""
    if request.transport is not None:
        request.transport.close()
    raise asyncio.CancelledError


async def _read_body(request: web.Request) -> tuple[Any, list[Upload]]:
    """The JSON body, or a multipart request's ``payload_json`` and its files."""
    if not request.can_read_body:
        return None, []
    if not request.content_type.startswith("multipart/"):
        text = await request.text()
        return (json.loads(text) if text else None), []
    body: Any = None
    files: list[Upload] = []
    reader = await request.multipart()
    async for part in reader:
        if part.name == "payload_json":
            body = json.loads(await part.text())
        elif getattr(part, "filename", None):
            data = await part.read()
            files.append(Upload(part.filename, bytes(data), part.headers.get("Content-Type")))
    described = {
        str(item.get("id")): item.get("description")
        for item in ((body or {}).get("attachments") or [])
        if isinstance(item, dict)
    }
    files = [
        Upload(f.filename, f.data, f.content_type, described.get(str(index)))
        for index, f in enumerate(files)
    ]
    return body, files
