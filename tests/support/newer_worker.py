"""``python -m tests.support.newer_worker``: a real ``python -m bot worker`` whose heartbeats carry
a field this version does not know, as a worker one version ahead would send (a rolling upgrade)."""

from __future__ import annotations

import sys

from bot.__main__ import main
from bot.distributed import protocol

_payload = protocol.WorkerInfo.payload


def _newer_payload(self: protocol.WorkerInfo) -> bytes:
    data = protocol.unpack(_payload(self))
    return protocol.pack(data | {"v": protocol.VERSION + 1, "gpu_temperature_c": 61})


if __name__ == "__main__":
    protocol.WorkerInfo.payload = _newer_payload  # type: ignore[method-assign]
    sys.exit(main(["worker"]))
