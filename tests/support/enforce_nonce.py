"""Discord's idempotent message create, which simcord 3.2 does not model (it accepts and drops
``nonce`` and ``enforce_nonce``): a patch of its route table, carried until simcord honours them.
Both the in-process harness and the fake Discord on 127.0.0.1 answer through that table.

With ``enforce_nonce``, ``POST /channels/{id}/messages`` repeating a (channel, nonce) seen within
:data:`NONCE_WINDOW_S` whose message still exists answers that message and creates nothing;
otherwise it creates the message and remembers its nonce. A nonce over 25 characters is refused
with a 400, as Discord refuses it.
"""

from __future__ import annotations

import weakref
from datetime import datetime, timedelta
from typing import Any

from simcord.backend import Backend
from simcord.backend.errors import BackendError
from simcord.http import router
from simcord.http import routes as _routes  # noqa: F401  (importing registers the handlers)
from simcord.http._helpers import message_response

NONCE_WINDOW_S = 5 * 60
"""How long a nonce is remembered ("the past few minutes", in Discord's words)."""
MAX_NONCE = 25
_CREATE = ["channels", "{channel_id}", "messages"]

_seen: weakref.WeakKeyDictionary[Backend, dict[tuple[int, str], tuple[int, datetime]]] = (
    weakref.WeakKeyDictionary()
)
"""Per backend: (channel, nonce) -> (message id, when it was created)."""


def _once(create: router.Handler) -> router.Handler:
    def create_once(ctx: router.RequestContext) -> Any:
        body = ctx.body()
        nonce = body.get("nonce")
        if nonce is None or not body.get("enforce_nonce"):
            return create(ctx)
        if len(str(nonce)) > MAX_NONCE:
            raise BackendError(400, 50035, "Invalid Form Body (nonce: at most 25 characters)")
        channel_id, backend = ctx.int_arg("channel_id"), ctx.backend
        seen, now = _seen.setdefault(backend, {}), backend.clock.now()
        earlier = seen.get((channel_id, str(nonce)))
        if earlier is not None and now - earlier[1] < timedelta(seconds=NONCE_WINDOW_S):
            try:
                return message_response(ctx, backend.get_message(channel_id, earlier[0]))
            except BackendError:  # deleted since: create it again
                pass
        answer = create(ctx)
        seen[channel_id, str(nonce)] = (int(answer["id"]), now)
        return answer

    return create_once


def install() -> None:
    """Wrap simcord's message-create handler (once per process)."""
    handlers = router._ROUTES["POST"]
    for index, (template, handler) in enumerate(handlers):
        if template == _CREATE and not getattr(handler, "enforces_nonce", False):
            wrapped = _once(handler)
            wrapped.enforces_nonce = True  # type: ignore[attr-defined]
            handlers[index] = (template, wrapped)


install()
