"""The bot's real entry point as a process: ``python -m bot run`` (or ``worker``) against a fake
Discord, with a fake token, a store in a test folder, the tiny diffusion model, Whisper base and
metrics on a free port; waits for it to serve, signals it, reads its exit code and console."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.support.fake_discord import FakeDiscord
from tests.support.fake_discord.server import free_port

ROOT = Path(__file__).resolve().parents[2]


def bot_environment(
    fake: FakeDiscord,
    folder: Path,
    *,
    image_model: Path,
    speech_model: Path,
    **sections: dict[str, Any],
) -> dict[str, str]:
    """The environment of a bot process pointed at ``fake``: settings as ``S2I_…`` variables
    (no config file), ``sections`` over the test defaults (``discord={"auto_voice": False}``)."""
    settings: dict[str, dict[str, Any]] = {
        "discord": {"api_base": fake.api_base, "auto_voice": True, "progress_edit_seconds": 0.2},
        "speech": {"model": str(speech_model), "device": "cpu", "local_files_only": True},
        "image": {"model": str(image_model), "device": "cpu", "local_files_only": True},
        "defaults": {"width": 64, "height": 64, "steps": 2, "count": 2},
        "limits": {"min_side": 64, "max_audio_seconds": 30},
        "store": {"path": str(folder / "jobs.sqlite3")},
        "metrics": {"host": "127.0.0.1", "port": free_port()},
    }
    for section, values in sections.items():
        settings.setdefault(section, {}).update(values)
    return environment(folder, settings, token=fake.token)


def environment(
    folder: Path, settings: dict[str, dict[str, Any]], *, token: str | None = None
) -> dict[str, str]:
    """This process's environment without its own ``S2I_…`` settings and token, then
    ``settings`` as ``S2I_…`` variables (no config file) and ``token`` as ``DISCORD_TOKEN``: for
    any ``python -m bot`` command (a worker, ``doctor``), with or without a fake Discord."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("S2I_") and key != "DISCORD_TOKEN"
    }
    env |= {"S2I_CONFIG": str(folder / "absent.toml")}
    env |= {"HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    if token is not None:
        env["DISCORD_TOKEN"] = token
    for section, values in settings.items():
        for key, value in values.items():
            text = value if isinstance(value, str) else json.dumps(value)
            env[f"S2I_{section.upper()}__{key.upper()}"] = text
    return env


class BotProcess:
    """One ``python -m bot <command>`` process; its console is collected as it runs."""

    def __init__(self, env: dict[str, str], command: str = "run") -> None:
        """``command``: ``run``, ``worker``, ``sync --guild 1``, ``doctor --worker``…"""
        self.env = env
        self.command = command
        self._lines: list[str] = []
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bot", *command.split()],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        """Its console so far (stdout and stderr together)."""
        return "\n".join(self._lines)

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.env['S2I_METRICS__PORT']}"

    def health(self) -> int | None:
        """``GET /healthz``: 200 serving, 503 not yet; None while nothing answers."""
        try:
            with urllib.request.urlopen(self.metrics_url + "/healthz", timeout=5) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def wait_serving(self, timeout: float = 180.0) -> None:
        """Until ``/healthz`` says it serves (logged in, gateway ready, models loaded)."""
        self.wait_until(lambda: self.health() == 200, timeout, "to serve")

    def wait_until(self, condition: Any, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self._process.poll() is not None:
                raise AssertionError(
                    f"bot exited ({self._process.returncode}) before {what}:\n{self.output}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"bot still not {what} after {timeout:g} s:\n{self.output}")
            time.sleep(0.1)

    def signal(self, signum: int = signal.SIGTERM) -> None:
        self._process.send_signal(signum)

    def kill(self) -> int:
        """SIGKILL, and its exit code."""
        self._process.kill()
        return self.wait()

    def wait(self, timeout: float = 120.0) -> int:
        """Its exit code, once it has exited (and its console is read)."""
        code = self._process.wait(timeout=timeout)
        self._reader.join(timeout=10)
        return code

    @property
    def returncode(self) -> int | None:
        return self._process.poll()

    def __enter__(self) -> BotProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._process.poll() is None:
            self.kill()
