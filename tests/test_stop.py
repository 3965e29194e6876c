"""A stop that always ends: the real entry points (``python -m bot run`` / ``worker``) as
subprocesses, in each state the process can be in, sent SIGTERM; each must exit with the expected
code within ``shutdown.bound_seconds`` (read from the same settings) and lose nothing accepted."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.infra.process import ExitCode
from tests.support.entry_point import SCHEDULING, SHORT_STOP, EntryPoint

pytestmark = pytest.mark.slow


def assert_stopped_within_bound(process: EntryPoint, expected: ExitCode = ExitCode.OK) -> None:
    code, seconds = process.stop()
    assert code == expected, process.output
    assert seconds <= process.bound + SCHEDULING, (seconds, process.output)
    assert "Traceback" not in process.output


def worker_env(tiny_sd_dir: Path, whisper: Path, redis_url: str) -> dict[str, str]:
    return SHORT_STOP | {
        "S2I_QUEUE__BACKEND": "redis",
        "S2I_QUEUE__REDIS_URL": redis_url,
        "S2I_IMAGE__MODEL": str(tiny_sd_dir),
        "S2I_IMAGE__DEVICE": "cpu",
        "S2I_IMAGE__LOCAL_FILES_ONLY": "true",
        "S2I_SPEECH__MODEL": str(whisper),
        "S2I_SPEECH__DEVICE": "cpu",
        "S2I_SPEECH__LOCAL_FILES_ONLY": "true",
        "S2I_METRICS__ENABLED": "false",
        "OMP_NUM_THREADS": "1",
        "HF_HUB_OFFLINE": "1",
    }


class StalledWhisper:
    """The Whisper model on a mount that stopped answering: its ``model.bin`` is a named pipe, so
    the loading thread blocks in ``open()``, then ``read()``, where Python cannot interrupt it."""

    def __init__(self, whisper_base_dir: Path, folder: Path) -> None:
        folder.mkdir()
        for file in whisper_base_dir.iterdir():
            if file.name != "model.bin":
                (folder / file.name).symlink_to(file)
        self.folder = folder
        self.pipe = folder / "model.bin"
        os.mkfifo(self.pipe)
        self._writer: int | None = None

    def loading(self) -> bool:
        """Whether a process has opened the model to read it (a non-blocking writer can open the
        pipe only then). The writer is kept open: the reader gets no bytes and no end of file."""
        if self._writer is None:
            with contextlib.suppress(OSError):
                self._writer = os.open(self.pipe, os.O_WRONLY | os.O_NONBLOCK)
        return self._writer is not None

    def close(self) -> None:
        if self._writer is not None:
            os.close(self._writer)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A TCP server that accepts connections and never answers (a Redis that hangs)."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                accepted.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        server.close()


def test_a_worker_stops_within_its_bound_while_a_model_is_still_loading(
    tmp_path: Path, tiny_sd_dir: Path, whisper_base_dir: Path
):
    stalled = StalledWhisper(whisper_base_dir, tmp_path / "whisper")
    redis_url = f"redis://127.0.0.1:{closed_port()}/0"  # and Redis unreachable
    worker = EntryPoint(
        "worker", worker_env(tiny_sd_dir, stalled.folder, redis_url), tmp_path / "log"
    )
    try:
        worker.wait_for(lambda _: stalled.loading(), "the model load to block")
        assert_stopped_within_bound(worker)
    finally:
        worker.kill()
        stalled.close()


def test_a_worker_stops_within_its_bound_while_redis_does_not_answer(
    tmp_path: Path, tiny_sd_dir: Path, whisper_base_dir: Path
):
    with silent_server() as port:
        env = worker_env(tiny_sd_dir, whisper_base_dir, f"redis://127.0.0.1:{port}/0")
        worker = EntryPoint("worker", env, tmp_path / "worker.log")
        try:
            worker.wait_for_line("Redis is unreachable")  # its models loaded, waiting for Redis
            assert_stopped_within_bound(worker)
        finally:
            worker.kill()
