"""How late the event loop runs, and how much of that this process caused.

Every :data:`PROBE_SECONDS` a probe hands the loop a callback and measures how long the loop
took to run it (the *lag*: a heartbeat, an acknowledgement or a progress edit due then waits as
long). On a busy machine part of the lag is waiting for a CPU, which says nothing about the code:
the loop's thread waiting for one, or another Python thread holding the GIL the loop needs while
it waits for one (a model loading in a thread, descheduled with the GIL in hand, held a loop
2.5 s late that way with 0.25 s of CPU). The kernel counts that wait per thread
(``/proc/self/task/<id>/schedstat``), so
each probe also gives the lag less the longest such wait of any of the process's Python threads:
the time the loop was *blocked* by this process (a callback that ran long, another thread
computing with the GIL, a blocking call). A block over a threshold is logged;
:class:`bot.infra.metrics.MetricsServer` turns the probes into Prometheus histograms.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

PROBE_SECONDS = 0.1
"""How long the probe waits between two callbacks."""


@dataclass(frozen=True)
class Lag:
    """One probe: seconds late, and the most of them any Python thread of the process (the loop's,
    or one holding the GIL) waited for a CPU."""

    late: float
    waited: float

    @property
    def blocked(self) -> float:
        """Late for this process's own doing."""
        return max(0.0, self.late - self.waited)


class LoopLag:
    """Probes the running loop while started. ``worst`` is the probe most blocked since
    :meth:`start` or :meth:`reset`; blocks over ``warn_above`` seconds are logged.

    The probe is a thread that hands the loop a callback every :data:`PROBE_SECONDS` and
    measures how long the loop took to run it: no task or timer of the loop's own, so a loop
    that is idle has nothing pending (what lets simcord's harness, and any caller waiting for
    the loop's work to end, see it idle)."""

    def __init__(self, *, warn_above: float) -> None:
        self.warn_above = warn_above
        self.worst = Lag(0.0, 0.0)
        self.probes = 0
        self.on_probe: Callable[[Lag], None] = lambda lag: None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> None:
        """Start probing the running loop (called from its thread)."""
        if self._thread is None:
            self._stopping.clear()
            loop = asyncio.get_running_loop()
            self._thread = threading.Thread(
                target=self._probe, args=(loop,), name="loop-lag", daemon=True
            )
            self._thread.start()

    async def stop(self) -> None:
        if self._thread is not None:
            self._stopping.set()
            self._thread.join()  # it wakes every PROBE_SECONDS and never waits for the loop
            self._thread = None

    def reset(self) -> None:
        self.worst = Lag(0.0, 0.0)

    def _probe(self, loop: asyncio.AbstractEventLoop) -> None:
        waits = _cpu_waits()
        while not self._stopping.wait(PROBE_SECONDS):
            ran = threading.Event()
            posted = time.monotonic()
            try:
                loop.call_soon_threadsafe(ran.set)
            except RuntimeError:
                return  # the loop is closed
            while not ran.wait(PROBE_SECONDS):
                if self._stopping.is_set():
                    return
            late = time.monotonic() - posted
            now = _cpu_waits()
            waited = max([0.0, *(now[thread] - waits.get(thread, 0.0) for thread in now)])
            waits = now
            self._record(Lag(late, waited))

    def _record(self, lag: Lag) -> None:
        self.probes += 1
        self.on_probe(lag)
        if lag.blocked > self.worst.blocked:
            self.worst = lag
        if lag.blocked > self.warn_above:
            log.warning(
                "the event loop was blocked for %.2f s (%.2f s late, %.2f s of it waiting for a "
                "CPU)",
                lag.blocked,
                lag.late,
                lag.waited,
            )


def _cpu_waits() -> dict[int, float]:
    """Seconds each Python thread of this process has waited for a CPU so far, by native id
    (none where the kernel does not say). Only Python threads can hold the GIL; the others (a
    library's compute threads) cannot keep the loop waiting."""
    waits = {}
    for thread in threading.enumerate():
        if thread.native_id is None:
            continue
        try:
            schedstat = Path(f"/proc/self/task/{thread.native_id}/schedstat").read_text()
            waits[thread.native_id] = int(schedstat.split()[1]) / 1e9
        except (OSError, IndexError, ValueError):
            continue  # it ended, or the kernel does not say
    return waits
