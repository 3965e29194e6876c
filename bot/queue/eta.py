"""Timings behind the ETAs: a running average of draw seconds per unit of work."""

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

    def remaining(self, job: Job) -> float | None:
        """Seconds left in a running draw: measured once a step is done, estimated before."""
        if job.step and job.started_at is not None:
            elapsed = time.time() - job.started_at
            return elapsed * (job.steps - job.step) / job.step
        per_unit = self.seconds_per_unit
        return None if per_unit is None else cost_units(job.options) * per_unit

    def etas(self, order: list[Job], running: Iterable[Job], slots: int) -> list[float | None]:
        """For each waiting job in ``order``: the work ahead of it (its own included, the running
        draws' remainder too) shared among the draw slots."""
        per_unit = self.seconds_per_unit
        if per_unit is None:
            return [None] * len(order)
        total = sum(self.remaining(job) or 0.0 for job in running)
        etas: list[float | None] = []
        for job in order:
            total += cost_units(job.options) * per_unit
            etas.append(total / max(slots, 1))
        return etas
