"""A stop that always ends: the real entry points (``python -m bot run`` against the fake Discord,
``python -m bot worker``) as processes, in each state they can be in, sent SIGTERM or SIGINT: each
exits with the expected code within ``shutdown.bound_seconds`` (read from the same settings), and
what it had accepted runs after the restart."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import ShutdownSettings
from bot.domain.jobs import JobState
from bot.infra.process import ExitCode
from cogs.connection import LOGIN_TIMEOUT
from tests.support.bot_process import BotProcess, bot_environment, environment
from tests.support.fake_discord import FakeDiscord, History, MessageState
from tests.support.fake_discord.server import free_port

pytestmark = pytest.mark.slow

SHORT = {"draw_grace_seconds": 2, "flush_seconds": 1, "margin_seconds": 3}
"""A bound of 6 s: a stop that runs into it is quick to test."""
SCHEDULING = 3.0
"""What the test may see on top of the bound: the signal's way to the process's event loop and the
test's own wake-up on a busy machine. The bound itself is the process's own deadline."""
WAIT = 240.0
"""Seconds a process may take to reach a state (a generous limit on a loaded 2-core machine)."""
LONG_DRAW = {"prompt": "a long night", "steps": 100, "count": 1}
"""A draw of the tiny model at 128×128: seconds (2.4 s on one quiet core, minutes at worst)."""
DRAWING = {
    "shutdown": SHORT | {"draw_grace_seconds": 0.5},
    "defaults": {"width": 128, "height": 128, "steps": LONG_DRAW["steps"]},
}
"""A stop while such a draw runs: it runs past the grace, and the bound is 4.5 s. Every draw is
that long: a voice message whose "listening" reached Discord late (a busy machine) may be drawing
when the stop comes; it is still left unfinished, not done within the grace."""


def bound_of(bot: BotProcess) -> float:
    prefix = "S2I_SHUTDOWN__"
    given = {k.removeprefix(prefix).lower(): v for k, v in bot.env.items() if k.startswith(prefix)}
    return ShutdownSettings(**given).bound_seconds


def printed(process: BotProcess, text: str) -> None:
    """Until the process has printed ``text``."""
    process.wait_until(lambda: text in process.output, WAIT, f"to print {text!r}")


def stop(bot: BotProcess, *signals: int) -> tuple[int, float]:
    """Send ``signals`` (SIGTERM by default), each once the process has said it took the one
    before (two signals sent at once are one: the kernel keeps one of a kind pending); the exit
    code and the seconds from the first until the process was gone."""
    sent = time.monotonic()
    for index, signum in enumerate(signals or (signal.SIGTERM,)):
        if index:
            printed(bot, ": stopping, within")
        bot.signal(signum)
    code = bot.wait(bound_of(bot) + WAIT)
    seconds = time.monotonic() - sent
    test = os.environ.get("PYTEST_CURRENT_TEST", "").removesuffix(" (call)").split("::")[-1]
    print(f"\n{test}: exit {code} {seconds:.1f} s after the signal (bound {bound_of(bot):g} s)")
    return code, seconds


def assert_stops_within_bound(
    bot: BotProcess, expected: int = ExitCode.OK, signum: int = signal.SIGTERM
) -> None:
    code, seconds = stop(bot, signum)
    assert code == expected, bot.output
    assert seconds <= bound_of(bot) + SCHEDULING, (seconds, bot.output)
    assert "Traceback" not in bot.output, bot.output


def assert_stops_while_reading(
    process: BotProcess,
    stalled: StalledFile,
    expected: int = ExitCode.OK,
    signum: int = signal.SIGTERM,
) -> None:
    """Once ``process`` blocks reading ``stalled``, it stops within the bound all the same."""
    try:
        process.wait_until(stalled.opened, WAIT, f"to block reading {stalled.path.name}")
        assert_stops_within_bound(process, expected, signum)
    finally:
        stalled.close()


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord() as fake:
        yield fake


@pytest.fixture
def bot_env(fake: FakeDiscord, tmp_path: Path, tiny_sd_dir: Path, whisper_base_dir: Path):
    def env(**sections: dict[str, Any]) -> dict[str, str]:
        sections = {"shutdown": SHORT} | sections
        return bot_environment(
            fake, tmp_path, image_model=tiny_sd_dir, speech_model=whisper_base_dir, **sections
        )

    return env


def unfinished_jobs(store: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(store)) as db:
        states = [row[0] for row in db.execute("SELECT state FROM jobs")]
    return [state for state in states if not JobState(state).finished]


def job_message(fake: FakeDiscord, interaction: int, title: str, since: float = 0) -> MessageState:
    """The interaction's public message, once it shows a title starting with ``title`` (in a
    state recorded after ``since``, a ``time.time()``)."""

    def shows(history: History) -> MessageState | None:
        shown = (
            state
            for state in history.states
            if state.interaction_id == interaction and not state.ephemeral and state.at > since
        )
        return next((state for state in shown if (state.title or "").startswith(title)), None)

    return fake.wait_for(shows, timeout=WAIT, what=f"a message showing {title!r}")


def drawing(fake: FakeDiscord, interaction: int, since: float = 0) -> None:
    job_message(fake, interaction, "🎨 Drawing — step", since)


# ---- the bot --------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_still_starting(tmp_path: Path, signum: int):
    """Before the stop's handlers are installed (importing, reading the settings and the token:
    here a token file on a mount that stopped answering): Ctrl-C is one line and exit 130,
    SIGTERM ends the process as its default action does."""
    token = StalledFile(tmp_path / "token")
    env = environment(tmp_path, {"discord": {"token_file": str(token.path)}})
    interrupted = signum == signal.SIGINT
    with BotProcess(env) as bot:
        assert_stops_while_reading(
            bot, token, ExitCode.INTERRUPTED if interrupted else -signum, signum
        )
    if interrupted:
        assert bot.output.splitlines()[-1] == "interrupted"


def test_connected_and_idle(bot_env):
    with BotProcess(bot_env()) as bot:
        bot.wait_serving(WAIT)
        assert_stops_within_bound(bot)


def test_while_the_gateway_reconnects_after_a_long_backoff(fake: FakeDiscord, bot_env):
    """discord.py's reconnect loop sleeps out its backoff before it looks at whether the client
    closed: a stop during a sleep longer than the bound must still end in time."""
    with BotProcess(bot_env()) as bot:
        bot.wait_serving(WAIT)
        fake.go_offline("refuse")

        def sleeping_past_the_bound() -> bool:
            delays = re.findall(r"Attempting a reconnect in ([\d.]+)s", bot.output)
            return any(float(delay) > bound_of(bot) for delay in delays)

        bot.wait_until(sleeping_past_the_bound, WAIT, "to back off past the bound")
        assert_stops_within_bound(bot, signum=signal.SIGINT)


@pytest.mark.parametrize("how", ["dns", "hang"])
def test_never_connected(fake: FakeDiscord, bot_env, how: str):
    """Discord's name does not resolve (stopped while it waits to try again), or Discord accepts
    connections and answers nothing (stopped while its second attempt waits for an answer):
    either way one line per attempt, and live but unready meanwhile."""
    if how == "dns":
        env = bot_env(discord={"api_base": "http://discord.invalid/api/v10"})
        waited = "Discord is unreachable ("
    else:
        fake.go_offline("hang")
        env = bot_env()
        waited = f"Discord is unreachable (no answer in {LOGIN_TIMEOUT:.0f} s); trying again"
    with BotProcess(env) as bot:
        printed(bot, waited)
        if how == "hang":
            bot.wait_until(
                lambda: len(fake.history().requests_to("GET", "/users/@me")) == 2,
                WAIT,
                "to try again",
            )
        assert bot.health() == 503
        assert_stops_within_bound(bot)


@pytest.mark.parametrize("redis", ["refused", "silent"])
def test_redis_unreachable(bot_env, redis: str):
    with contextlib.ExitStack() as stack:
        port = free_port() if redis == "refused" else stack.enter_context(silent_server())
        queue = {"backend": "redis", "redis_url": f"redis://127.0.0.1:{port}/0"}
        with BotProcess(bot_env(queue=queue)) as bot:
            printed(bot, "Logged in as")
            printed(bot, "is unreachable")  # the watcher asked Redis and gave up
            assert_stops_within_bound(bot)
        [said] = [line for line in bot.output.splitlines() if "Redis at" in line]
        assert said.endswith(
            "new requests are refused until it answers. Fix: start Redis, "
            "or point queue.redis_url at it"
        )  # once, however long it lasted


def test_a_model_still_loading(bot_env, whisper_base_dir: Path, tmp_path: Path):
    stalled = StalledWhisper(whisper_base_dir, tmp_path / "whisper")
    with BotProcess(bot_env(speech={"model": str(stalled.folder)})) as bot:
        assert_stops_while_reading(bot, stalled)


def test_a_draw_past_its_grace_a_second_signal_and_nothing_lost(
    fake: FakeDiscord, bot_env, tmp_path: Path
):
    store = tmp_path / "jobs.sqlite3"
    user = fake.add_user("nadia")
    env = bot_env(**DRAWING)
    with BotProcess(env) as bot:
        bot.wait_serving(WAIT)
        asked = fake.slash(user, "imagine", **LONG_DRAW)
        drawing(fake, asked)
        assert_stops_within_bound(bot)  # the draw was interrupted after its grace
    assert len(unfinished_jobs(store)) == 1  # queued again, or drawing if it was left

    restarted = time.time()
    with BotProcess(env) as bot:  # drawn again from the start, then a stop stopped at once
        drawing(fake, asked, since=restarted)
        code, _ = stop(bot, signal.SIGTERM, signal.SIGTERM)
        assert code == ExitCode.SECOND_SIGNAL, bot.output
        assert "second SIGTERM: exiting now" in bot.output
    assert unfinished_jobs(store) == [JobState.DRAWING.value]

    with BotProcess(env) as bot:
        done = job_message(fake, asked, "✅", since=restarted)
        assert done.title == "✅ Done" and len(done.attachments) == 1
        assert_stops_within_bound(bot)
    assert unfinished_jobs(store) == []


@pytest.mark.parametrize("job", ["transcription", "slow store"])
def test_a_stop_with_work_in_flight(
    fake: FakeDiscord, bot_env, tmp_path: Path, long_english_voice_message: bytes, job: str
):
    """A transcription is left (it runs again after the restart). A store that does not answer
    (another process holds its write lock: a request's record waits on it, and the stop's
    writes and the store's closing behind it) is left too: the deadline ends the process."""
    store = tmp_path / "jobs.sqlite3"
    user = fake.add_user("omar")
    with BotProcess(bot_env(queue={"speech_workers": 1}, **DRAWING)) as bot:
        bot.wait_serving(WAIT)
        if job == "transcription":
            voice = fake.voice_message(user, long_english_voice_message, duration=20.0)
            fake.wait_for(
                lambda h: [r for r in h.replies_to(voice) if (r.title or "").startswith("👂")],
                timeout=WAIT,
                what="the voice message being listened to",
            )
            assert_stops_within_bound(bot)
        else:
            drawing(fake, fake.slash(user, "imagine", **LONG_DRAW))
            with locked(store):
                fake.slash(user, "imagine", prompt="asked while the store is stuck")
                assert_stops_within_bound(bot, ExitCode.STOP_OVERRAN)
            assert "the stop took over" in bot.output
    assert len(unfinished_jobs(store)) == 1  # the accepted one; the other was never recorded


@contextlib.contextmanager
def locked(store: Path) -> Iterator[None]:
    """Another process's write lock on the job store: every write of the bot's waits (5 s)."""
    with contextlib.closing(sqlite3.connect(store, isolation_level=None)) as db:
        db.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            db.execute("ROLLBACK")


# ---- the worker -----------------------------------------------------------------------------


def worker_env(tmp_path: Path, tiny_sd_dir: Path, whisper: Path, redis_url: str) -> dict[str, str]:
    return environment(
        tmp_path,
        {
            "queue": {"backend": "redis", "redis_url": redis_url},
            "image": {"model": str(tiny_sd_dir), "device": "cpu", "local_files_only": True},
            "speech": {"model": str(whisper), "device": "cpu", "local_files_only": True},
            "metrics": {"enabled": False},
            "shutdown": SHORT,
        },
    )


def test_a_worker_while_a_model_is_still_loading(
    tmp_path: Path, tiny_sd_dir: Path, whisper_base_dir: Path
):
    stalled = StalledWhisper(whisper_base_dir, tmp_path / "whisper")
    redis_url = f"redis://127.0.0.1:{free_port()}/0"  # and Redis unreachable
    with BotProcess(
        worker_env(tmp_path, tiny_sd_dir, stalled.folder, redis_url), "worker"
    ) as worker:
        assert_stops_while_reading(worker, stalled)


def test_a_worker_while_redis_does_not_answer(
    tmp_path: Path, tiny_sd_dir: Path, whisper_base_dir: Path
):
    with silent_server() as port:
        redis_url = f"redis://127.0.0.1:{port}/0"
        env = worker_env(tmp_path, tiny_sd_dir, whisper_base_dir, redis_url)
        with BotProcess(env, "worker") as worker:
            printed(worker, "Redis is unreachable")  # its models loaded, Redis silent
            assert_stops_within_bound(worker)


# ---- faults the tests make ------------------------------------------------------------------


class StalledFile:
    """A file on a mount that stopped answering: a named pipe, so a reader blocks in ``open()``,
    then ``read()``, where Python cannot interrupt a thread (the main thread gets a signal's
    exception there)."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        self._writer: int | None = None

    def opened(self) -> bool:
        """Whether a process has opened it to read (a non-blocking writer can open the pipe only
        then). The writer is kept open: the reader gets no bytes and no end of file."""
        if self._writer is None:
            with contextlib.suppress(OSError):
                self._writer = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
        return self._writer is not None

    def close(self) -> None:
        if self._writer is not None:
            os.close(self._writer)


class StalledWhisper(StalledFile):
    """The Whisper model whose ``model.bin`` is a :class:`StalledFile`: its loading thread blocks."""

    def __init__(self, whisper_base_dir: Path, folder: Path) -> None:
        folder.mkdir()
        for file in whisper_base_dir.iterdir():
            if file.name != "model.bin":
                (folder / file.name).symlink_to(file)
        self.folder = folder
        super().__init__(folder / "model.bin")


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A TCP server that accepts connections and never answers (a Redis that hangs); its port."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    accepted: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        while not done.is_set():
            with contextlib.suppress(TimeoutError):
                accepted.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        done.set()
        thread.join()
        for connection in accepted:
            connection.close()
        server.close()
