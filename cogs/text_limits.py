"""Discord's limits on the texts of a message, and cutting a text to one."""

from __future__ import annotations

MESSAGE_LENGTH = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELD = 1024
EMBEDS_TOTAL = 6000
"""Characters of all the embeds of one message together (titles, descriptions, fields, footer)."""


def clip(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters, ending with an ellipsis when cut."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
