"""Big results out of Redis: a folder that the bot and every worker share (``queue.blob_dir``).

A worker whose result is larger than ``queue.blob_threshold_bytes`` writes it to a file of its own
and sends only the file's name through Redis; the bot reads it once and deletes it. Files nobody
collected (the bot was away) are removed after the result TTL by the next worker that writes one.
Names are random hex, checked before use, so nothing read from Redis can point elsewhere.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from pathlib import Path
from typing import Any

from bot.distributed.protocol import RESULT_TTL_SECONDS, VERSION, pack, unpack

_NAME = re.compile(r"[0-9a-f]{32}\.msgpack")


class BlobStore:
    """The shared folder; ``None`` threshold handling is the caller's (no folder: no blobs)."""

    def __init__(self, folder: Path, threshold: int) -> None:
        self.folder = folder
        self.threshold = threshold

    def wrap(self, reply: dict[str, Any]) -> dict[str, Any]:
        """``reply``, or a reference to it in the folder when it is over the threshold."""
        data = pack(reply)
        if len(data) <= self.threshold:
            return reply
        self.folder.mkdir(parents=True, exist_ok=True)
        self._expire()
        name = f"{uuid.uuid4().hex}.msgpack"
        partial = self.folder / f".{name}.part"
        partial.write_bytes(data)
        os.replace(partial, self.folder / name)  # whole or absent, for the reader
        return {"v": VERSION, "blob": name}

    def unwrap(self, reply: dict[str, Any]) -> dict[str, Any]:
        """The reply itself, read (and removed) from the folder if it was sent there."""
        name = reply.get("blob")
        if name is None:
            return reply
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise RuntimeError("a worker sent a malformed blob reference")
        path = self.folder / name
        try:
            data = unpack(path.read_bytes())
        except OSError as error:  # not OSError: the caller takes that for Redis being away
            raise RuntimeError(f"the result file {name} in queue.blob_dir is gone") from error
        path.unlink(missing_ok=True)
        return data

    def _expire(self) -> None:
        cutoff = time.time() - RESULT_TTL_SECONDS
        for path in self.folder.glob("*.msgpack"):
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)


def blob_store(folder: Path | None, threshold: int) -> BlobStore | None:
    return None if folder is None else BlobStore(folder, threshold)
