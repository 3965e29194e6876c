"""How a long-running process (``python -m bot run``, ``python -m bot worker``) ends.

A start that cannot go on ends in one line and an exit code of its own (:class:`StartFailure`,
:class:`ExitCode`), never a traceback. A stop always ends: the first SIGTERM or SIGINT starts the
graceful stop and arms a deadline (``shutdown.bound_seconds``); by then the process has exited,
whatever it was doing — a model loading in a thread (Python cannot interrupt a thread), a draw
past its grace, a slow job store, a connection that never answers. A second signal exits at once.
Every exit skips the interpreter's wait for threads (``os._exit``) once the logs are flushed: the
job store's SQLite commits are durable, so what was recorded stays recorded.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Coroutine
from enum import IntEnum
from typing import Any, NoReturn

log = logging.getLogger(__name__)

SIGNALS = (signal.SIGTERM, signal.SIGINT)
LAST_WORDS_SECONDS = 1.0
"""How long an exit waits for its logs and its line to be written (stderr may be a full pipe)."""


class ExitCode(IntEnum):
    """The process's exit status: each start failure has its own."""

    OK = 0
    FAILED = 1
    """Something unexpected: the log has the traceback."""
    CONFIG = 2
    """The settings are invalid (each bad key named)."""
    NO_TOKEN = 3
    TOKEN_REJECTED = 4
    INTENT_NOT_ENABLED = 5
    STORE_NOT_WRITABLE = 6
    PORT_UNAVAILABLE = 7
    """The health and metrics port cannot be listened on."""
    STOP_OVERRAN = 8
    """The graceful stop passed ``shutdown.bound_seconds``: the process exited anyway."""
    SECOND_SIGNAL = 9
    """A second SIGTERM or SIGINT during the stop: the process exited at once."""
    INTERRUPTED = 130
    """SIGINT (Ctrl-C) before the stop's handlers were installed: still importing, reading its
    settings or its token (the shell's code for a SIGINT)."""


class StartFailure(Exception):
    """A start that cannot go on: ``str()`` is one line, what is wrong and the fix."""

    def __init__(self, said: str, fix: str, code: ExitCode) -> None:
        super().__init__(f"{said}. Fix: {fix}" if fix else said)
        self.said, self.fix, self.code = said, fix, code


class _Unwanted(logging.Filter):
    def __init__(self, phrases: tuple[str, ...]) -> None:
        super().__init__()
        self.phrases = phrases

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(phrase in message for phrase in self.phrases)


def silence(logger: str, *phrases: str) -> None:
    """Drop a library's messages that hold one of ``phrases``: those not the admin's to act on
    (an optional backend it falls back from, voice support a bot that joins no voice lacks)."""
    logging.getLogger(logger).addFilter(_Unwanted(phrases))


def exit_now(code: int, line: str | None = None) -> NoReturn:
    """End the process at once with ``code``, once the logs are flushed and ``line`` written to
    stderr (from a thread of its own, for :data:`LAST_WORDS_SECONDS` at most: a blocked stderr
    cannot hold the exit); threads still running are left behind."""

    def last_words() -> None:
        for handler in logging.getLogger().handlers:
            handler.flush()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        if line is not None:
            os.write(2, f"{line}\n".encode())

    writer = threading.Thread(target=last_words, name="last-words", daemon=True)
    writer.start()
    writer.join(LAST_WORDS_SECONDS)
    os._exit(code)


class StopSignals:
    """SIGTERM and SIGINT on the running loop: the first sets :attr:`requested` (and calls
    ``on_stop``) and arms the deadline, a second exits at once. A context manager: leaving it
    removes the handlers and disarms the deadline (for tests that stop a bot in-process)."""

    def __init__(self, bound: float, on_stop: Callable[[], object] = lambda: None) -> None:
        self.bound = bound
        self.requested = asyncio.Event()
        self.since: float | None = None
        """When the first signal came (``time.monotonic()``)."""
        self._on_stop = on_stop
        self._deadline: threading.Timer | None = None

    def __enter__(self) -> StopSignals:
        loop = asyncio.get_running_loop()
        for signum in SIGNALS:
            loop.add_signal_handler(signum, self._received, signum)
        return self

    def __exit__(self, *exc_info: object) -> None:
        loop = asyncio.get_running_loop()
        for signum in SIGNALS:
            loop.remove_signal_handler(signum)
        if self._deadline is not None:
            self._deadline.cancel()

    def _received(self, signum: int) -> None:
        name = signal.Signals(signum).name
        if self.requested.is_set():
            exit_now(
                ExitCode.SECOND_SIGNAL, f"second {name}: exiting now (nothing recorded is lost)"
            )
        self.requested.set()
        self.since = time.monotonic()
        log.info("%s: stopping, within %.0f s (a second signal exits at once)", name, self.bound)
        # The exit's last words take up to LAST_WORDS_SECONDS: armed that much earlier, the
        # process has exited by the bound, not just begun to exit.
        self._deadline = threading.Timer(max(0.0, self.bound - LAST_WORDS_SECONDS), self._overran)
        self._deadline.daemon = True
        self._deadline.start()
        self._on_stop()

    def _overran(self) -> None:
        exit_now(
            ExitCode.STOP_OVERRAN,
            f"the stop took over {self.bound:.0f} s (shutdown.bound_seconds): exiting now; "
            "what was recorded runs after the restart",
        )


def run_process(main: Callable[[StopSignals], Coroutine[Any, Any, int]], bound: float) -> NoReturn:
    """Run ``main(signals)`` on a fresh event loop with :class:`StopSignals` installed, then exit
    with its code: a :class:`StartFailure` as its one line on stderr, anything else unexpected
    with its traceback. The loop is not closed: closing it waits for its executor's threads."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    async def guarded() -> int:
        with StopSignals(bound) as signals:
            code = await main(signals)
        if signals.since is not None:
            log.info("stopped in %.1f s", time.monotonic() - signals.since)
        return code

    try:
        code = loop.run_until_complete(guarded())
    except StartFailure as failure:
        exit_now(failure.code, f"error: {failure}")
    except Exception:
        log.exception("stopped by an unexpected error")
        code = ExitCode.FAILED
    exit_now(code)
