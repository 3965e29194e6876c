"""What every settings section shares: strict sections, and how a model setting is shown."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict


def is_a_path(model: str) -> bool:
    """Whether a model setting names a file or folder and not a hub name (``name``, ``org/name``):
    absolute, relative to ``.``, ``..`` or ``~``, or deeper than ``org/name``."""
    return bool(re.search(r"^[~./]|/.*/|\\", model))


def display_name(model: str) -> str:
    """A model setting as users may see it, never a server path: a hub name as it is, the repo id
    of a hub cache folder (``…/models--org--name/…``), else the last part of the path (a checkpoint
    file without its extension), whether or not it exists."""
    if not is_a_path(model):
        return model
    parts = [part for part in re.split(r"[\\/]", model) if part]
    repo = next((part for part in parts if part.startswith("models--")), None)
    if repo:
        return repo.removeprefix("models--").replace("--", "/")
    last = parts[-1] if parts else "?"
    return re.sub(r"\.(pt|bin|ckpt|safetensors)$", "", last)  # a checkpoint file, by its stem


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")
