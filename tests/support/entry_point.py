"""``python -m bot …`` as a subprocess, the way an operator runs it: its output in a log file, read
as it comes, and SIGTERM/SIGINT sent to it; the shutdown bound read from the same settings."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bot.config import ShutdownSettings

ROOT = Path(__file__).resolve().parents[2]
WAIT = 180.0
"""Seconds a process may take to reach a state before the test fails (the machine is busy)."""
SHORT_STOP = {
    "S2I_SHUTDOWN__DRAW_GRACE_SECONDS": "2",
    "S2I_SHUTDOWN__FLUSH_SECONDS": "1",
    "S2I_SHUTDOWN__MARGIN_SECONDS": "3",
}
"""A bound of 6 s, so that a test of a stop that runs into it is quick."""
SCHEDULING = 3.0
"""What the test may see on top of the bound: the signal's way to the process's event loop and the
test's own wake-up on a busy machine. The bound itself is the process's own deadline."""


class EntryPoint:
    """One ``python -m bot <command>`` process."""

    def __init__(self, command: str, env: dict[str, str | None], log: Path) -> None:
        """``env`` over this process's environment, without the config file; None unsets."""
        base = {"S2I_CONFIG": "/nonexistent.toml", "PYTHONUNBUFFERED": "1"}
        merged = os.environ | base | env
        self.log = log
        self.env = {key: value for key, value in merged.items() if value is not None}
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", *command.split()],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def bound(self) -> float:
        """``shutdown.bound_seconds`` as this process reads it (from its environment)."""
        prefix = "S2I_SHUTDOWN__"
        given = {
            k.removeprefix(prefix).lower(): v for k, v in self.env.items() if k.startswith(prefix)
        }
        return ShutdownSettings(**given).bound_seconds

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, condition: Callable[[str], bool], what: str, timeout: float = WAIT) -> None:
        """Until ``condition(output)`` holds; fails if the process ends first."""
        deadline = time.monotonic() + timeout
        while not condition(self.output):
            if self.process.poll() is not None:
                raise AssertionError(
                    f"it ended ({self.process.returncode}) before {what}:\n{self.output}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} after {timeout:.0f} s:\n{self.output[-4000:]}")
            time.sleep(0.1)

    def wait_for_line(self, text: str, timeout: float = WAIT) -> None:
        self.wait_for(lambda output: text in output, repr(text), timeout)

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, float]:
        """Send ``signum``; the exit code and the seconds until the process was gone."""
        sent = time.monotonic()
        self.process.send_signal(signum)
        try:
            code = self.process.wait(self.bound + WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        return code, time.monotonic() - sent

    def ended(self, timeout: float = WAIT) -> int:
        return self.process.wait(timeout)

    def errors(self) -> list[str]:
        """The lines that say why it stopped (``error: …``)."""
        return [line for line in self.output.splitlines() if line.startswith("error: ")]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
