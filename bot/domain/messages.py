"""A text for a user, as data: a catalog key and its arguments. Every layer names what to say;
only the Discord layer (``cogs/i18n``) says it, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Union

Arg = Union[str, int, float, "Message"]
"""A string is shown as it is, a number formatted for the reader's locale (pass a seed or an id
as a string), a message rendered in the same language."""


@dataclass(frozen=True)
class Message:
    """``key`` names a message of the catalogs (``cogs/i18n/locales/<locale>/*.ftl``)."""

    key: str
    args: Mapping[str, Arg] = field(default_factory=dict)

    @classmethod
    def of(cls, key: str, **args: Arg) -> Message:
        return cls(key, args)

    @classmethod
    def text(cls, text: str) -> Message:
        """A text that is shown as it is (a record written before messages had keys)."""
        return cls("plain-text", {"text": text})

    def to_dict(self) -> dict[str, Any]:
        """For JSON and msgpack: nested messages as dicts too."""
        args = {k: v.to_dict() if isinstance(v, Message) else v for k, v in self.args.items()}
        return {"key": self.key, "args": args}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Message:
        args = {
            k: cls.from_dict(v) if isinstance(v, Mapping) else v
            for k, v in (data.get("args") or {}).items()
        }
        return cls(str(data["key"]), args)

    def __str__(self) -> str:
        """For logs (users get the rendered text)."""
        if not self.args:
            return self.key
        return f"{self.key}({', '.join(f'{k}={v}' for k, v in self.args.items())})"
