"""Plain data read back from JSON or msgpack, written by this version or a newer one."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any


def known_fields(cls: type, data: Mapping[str, Any]) -> dict[str, Any]:
    """The items of ``data`` that are fields of the dataclass ``cls``: a newer writer's extra
    fields are left out, so that ``cls(**known_fields(cls, data))`` reads what it knows."""
    names = {field.name for field in dataclasses.fields(cls)}
    return {key: value for key, value in data.items() if key in names}
