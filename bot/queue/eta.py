"""Timings behind the ETAs: a running average of draw seconds per unit of work, and each running
draw's clock (model loading before its first step is timed apart, not as drawing)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.domain.jobs import Job
from bot.domain.options import GenerationOptions

EMA_WEIGHT = 0.3
"""Weight of the newest draw in the running seconds-per-unit average behind ETAs."""


def cost_units(options: GenerationOptions) -> float:
    """Work in a draw, in steps of one 512×512 image."""
    return options.steps * options.count * options.width * options.height / (512 * 512)


@dataclass
class DrawClock:
    """One draw's clock: when it was handed to the runner, and when its first step was reported.
    Drawing is timed from that step on, at the pace of the steps after it; what comes before
    (model loading, fetching a picture, waiting for a worker) is loading, not drawing."""

    began: float = field(default_factory=lambda: time.monotonic())
    first_step: tuple[float, int] | None = None
    """When the first step was reported, and how many were done then."""

    def stepped(self, done: int) -> None:
        if self.first_step is None:
            self.first_step = (time.monotonic(), done)

    def drawing_seconds(self, steps: int) -> float:
        """From the first reported step on, scaled to all ``steps`` (the first report comes a
        step or, from a worker, a few steps in); the whole time when no step was reported."""
        now = time.monotonic()
        if self.first_step is None:
            return now - self.began
        at, done = self.first_step
        if steps <= done or now <= at:
            return now - self.began
        return (now - at) * steps / (steps - done)

    def loading_seconds(self, steps: int) -> float | None:
        """The time before drawing began; None when no step was reported."""
        if self.first_step is None:
            return None
        return max(0.0, time.monotonic() - self.began - self.drawing_seconds(steps))

    def remaining(self, step: int, steps: int) -> float | None:
        """Seconds left, at the pace of the steps drawn so far; None before a second report."""
        if self.first_step is None or step <= self.first_step[1]:
            return None
        at, done = self.first_step
        return (time.monotonic() - at) * (steps - step) / (step - done)


@dataclass
class QueueStats:
    listened: int = 0
    listen_seconds: float = 0.0
    drawn: int = 0
    draw_seconds: float = 0.0
    seconds_per_unit: float | None = None
    finished: Counter[str] = field(default_factory=Counter)

    def add_listen(self, seconds: float) -> None:
        self.listened += 1
        self.listen_seconds += seconds

    def add_draw(self, seconds: float, units: float) -> None:
        self.drawn += 1
        self.draw_seconds += seconds
        rate = seconds / units
        old = self.seconds_per_unit
        self.seconds_per_unit = rate if old is None else old + EMA_WEIGHT * (rate - old)

    @property
    def avg_listen_seconds(self) -> float | None:
        return self.listen_seconds / self.listened if self.listened else None

    @property
    def avg_draw_seconds(self) -> float | None:
        return self.draw_seconds / self.drawn if self.drawn else None

    def remaining(self, job: Job, clock: DrawClock) -> float | None:
        """Seconds left in a running draw: measured once steps are drawn, estimated before (model
        loading does not count as drawing: a cold start's would make the estimate far too long)."""
        measured = clock.remaining(job.step, job.steps)
        if measured is not None:
            return measured
        per_unit = self.seconds_per_unit
        return None if per_unit is None else cost_units(job.options) * per_unit

    def etas(
        self, order: list[Job], running: Iterable[tuple[Job, DrawClock]], slots: int
    ) -> list[float | None]:
        """For each waiting job in ``order``: the work ahead of it (its own included, the running
        draws' remainder too) shared among the draw slots."""
        per_unit = self.seconds_per_unit
        if per_unit is None:
            return [None] * len(order)
        total = sum(self.remaining(job, clock) or 0.0 for job, clock in running)
        etas: list[float | None] = []
        for job in order:
            total += cost_units(job.options) * per_unit
            etas.append(total / max(slots, 1))
        return etas
