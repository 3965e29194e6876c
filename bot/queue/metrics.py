"""The queue's Prometheus measures: depth and jobs by state (read at scrape time), finished jobs,
errors and stage durations (counted from the queue's events)."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.domain.jobs import JobEvent, JobState
from bot.infra.metrics import PREFIX
from bot.queue.protocols import JobBackend

UNFINISHED = [state for state in JobState if not state.finished]
STAGE_BUCKETS = {
    "listen": (0.5, 1, 2, 5, 10, 20, 30, 60, 120),
    "load": (0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300),
    "draw": (1, 2, 5, 10, 20, 30, 60, 120, 300, 600),
    "queue_wait": (1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
}
"""Histogram buckets in seconds, by the name of the timing in ``Job.timings``."""


class JobMetrics:
    """Queue depth and jobs by state (read at scrape time), finished jobs, errors and stage
    durations (counted from the queue's events: ``queue.subscribe(metrics.observe)``)."""

    def __init__(self, queue: JobBackend, registry: CollectorRegistry) -> None:
        self._queue = queue
        self._finished = Counter(
            f"{PREFIX}_jobs_finished",
            "Jobs finished, by final state.",
            ["state"],
            registry=registry,
        )
        self._errors = Counter(
            f"{PREFIX}_job_errors", "Failed jobs, by error kind.", ["kind"], registry=registry
        )
        self._stages = {
            name: Histogram(
                f"{PREFIX}_{name}_seconds",
                f"Seconds of '{name}' per finished job.",
                buckets=buckets,
                registry=registry,
            )
            for name, buckets in STAGE_BUCKETS.items()
        }
        registry.register(_QueueCollector(queue))

    def observe(self, event: JobEvent) -> None:
        """Count a job once it finishes; a plain function, so the job is still in memory."""
        if event.kind != "state" or not event.state.finished:
            return
        self._finished.labels(event.state.value).inc()
        if event.state is JobState.FAILED:
            self._errors.labels(event.error_kind or "unknown").inc()
        job = self._queue.get(event.job_id)
        timings = job.timings if job is not None else {}
        for name, histogram in self._stages.items():
            if name in timings:
                histogram.observe(timings[name])


class _QueueCollector(Collector):
    def __init__(self, queue: JobBackend) -> None:
        self._queue = queue

    def collect(self) -> Iterator[Metric]:
        snapshot = self._queue.snapshot()
        yield GaugeMetricFamily(
            f"{PREFIX}_queue_depth", "Jobs waiting for the image stage.", snapshot.length
        )
        by_state = GaugeMetricFamily(
            f"{PREFIX}_jobs", "Unfinished jobs, by state.", labels=["state"]
        )
        for state in UNFINISHED:
            by_state.add_metric([state.value], snapshot.counts.get(state.value, 0))
        yield by_state
