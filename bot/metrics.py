"""Health and Prometheus metrics over HTTP: ``GET /healthz`` and ``GET /metrics``.

:class:`MetricsServer` is generic: the bot and the workers each pass their own health check and
register what they measure on the server's own registry (process memory and GPU memory are there
from the start). :class:`JobMetrics` measures a job queue: subscribe its ``observe`` to the queue.
"""

from __future__ import annotations

import inspect
import logging
import sys
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.config import MetricsSettings
from bot.jobs import JobBackend, JobEvent, JobState

log = logging.getLogger(__name__)

PREFIX = "speech2image"
UNFINISHED = [state for state in JobState if not state.finished]
STAGE_BUCKETS = {
    "listen": (0.5, 1, 2, 5, 10, 20, 30, 60, 120),
    "draw": (1, 2, 5, 10, 20, 30, 60, 120, 300, 600),
    "queue_wait": (1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
}
"""Histogram buckets in seconds, by the name of the timing in ``Job.timings``."""


@dataclass(frozen=True)
class HealthReport:
    """Each part of the process: ``True`` when fine, otherwise a short reason."""

    checks: Mapping[str, bool | str]

    @property
    def healthy(self) -> bool:
        return all(value is True for value in self.checks.values())

    def as_json(self) -> dict[str, object]:
        return {"status": "ok" if self.healthy else "unavailable", "checks": dict(self.checks)}


HealthCheck = Callable[[], HealthReport | Awaitable[HealthReport]]


class MetricsServer:
    """A small aiohttp server on ``settings.host:settings.port`` with its own registry."""

    def __init__(self, settings: MetricsSettings, health: HealthCheck) -> None:
        self._settings = settings
        self._health = health
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        self.registry.register(GpuMemoryCollector())
        self._runner: web.AppRunner | None = None

    @property
    def port(self) -> int:
        """The port listened on (the one picked when the settings say 0)."""
        if self._runner is None:
            raise RuntimeError("the metrics server is not running")
        return self._runner.addresses[0][1]

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, self._settings.host, self._settings.port).start()
        self._runner = runner
        log.info("health and metrics on http://%s:%d/", self._settings.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        report = self._health()
        if inspect.isawaitable(report):
            report = await report
        return web.json_response(report.as_json(), status=200 if report.healthy else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        response = web.Response(body=generate_latest(self.registry))
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response


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


class GpuMemoryCollector(Collector):
    """torch's CUDA memory per device, if this process has imported torch and has a GPU."""

    def collect(self) -> Iterator[Metric]:
        torch = sys.modules.get("torch")
        if torch is None or not torch.cuda.is_available():
            return
        allocated = GaugeMetricFamily(
            f"{PREFIX}_gpu_memory_allocated_bytes",
            "GPU memory held by tensors.",
            labels=["device"],
        )
        reserved = GaugeMetricFamily(
            f"{PREFIX}_gpu_memory_reserved_bytes",
            "GPU memory reserved by torch's caching allocator.",
            labels=["device"],
        )
        for index in range(torch.cuda.device_count()):
            allocated.add_metric([str(index)], torch.cuda.memory_allocated(index))
            reserved.add_metric([str(index)], torch.cuda.memory_reserved(index))
        yield allocated
        yield reserved
