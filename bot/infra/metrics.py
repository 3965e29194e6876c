"""Health and Prometheus metrics over HTTP: ``GET /healthz`` and ``GET /metrics``.

:class:`MetricsServer` is generic: the bot and the workers each pass their own health check and
register what they measure on the server's own registry (process memory, GPU memory and the event
loop's lag are there from the start: :mod:`bot.infra.loop_lag`). :class:`bot.queue.metrics.JobMetrics`
measures a job queue: subscribe its ``observe`` to the queue.
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
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.config import MetricsSettings
from bot.infra.loop_lag import Lag, LoopLag
from bot.infra.process import ExitCode, StartFailure

log = logging.getLogger(__name__)

PREFIX = "speech2image"
LAG_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


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
        self.loop_lag = LoopLag(warn_above=settings.loop_lag_warn_seconds)
        self.loop_lag.on_probe = _lag_histograms(self.registry)
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
        app.router.add_get("/livez", self._livez)
        app.router.add_get("/metrics", self._metrics)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        where = f"{self._settings.host}:{self._settings.port}"
        try:
            await web.TCPSite(runner, self._settings.host, self._settings.port).start()
        except OSError as error:
            await runner.cleanup()
            raise StartFailure(
                f"The health and metrics port {where} cannot be opened ({error.strerror})",
                "stop what listens there, or set metrics.port (0 picks a free port) or "
                "metrics.enabled = false",
                ExitCode.PORT_UNAVAILABLE,
            ) from None
        self._runner = runner
        self.loop_lag.start()
        log.info("health and metrics on http://%s:%d/", self._settings.host, self.port)

    async def stop(self) -> None:
        await self.loop_lag.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        report = self._health()
        if inspect.isawaitable(report):
            report = await report
        return web.json_response(report.as_json(), status=200 if report.healthy else 503)

    async def _livez(self, request: web.Request) -> web.Response:
        """Always 200 while the process serves: a liveness probe (``/healthz`` is readiness)."""
        return web.json_response({"status": "live"})

    async def _metrics(self, request: web.Request) -> web.Response:
        response = web.Response(body=generate_latest(self.registry))
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response


def _lag_histograms(registry: CollectorRegistry) -> Callable[[Lag], None]:
    """Each probe of the loop into two histograms: how late, and how much of it blocked."""
    late = Histogram(
        f"{PREFIX}_event_loop_lag_seconds",
        "How late the event loop ran a timer (probed every 0.1 s).",
        buckets=LAG_BUCKETS,
        registry=registry,
    )
    blocked = Histogram(
        f"{PREFIX}_event_loop_blocked_seconds",
        "The same lag less the longest time a Python thread of the process (the loop's, or one "
        "holding the GIL) waited for a CPU: blocked by this process (a long callback, another "
        "thread computing with the GIL, a blocking call).",
        buckets=LAG_BUCKETS,
        registry=registry,
    )

    def observe(lag: Lag) -> None:
        late.observe(max(0.0, lag.late))
        blocked.observe(lag.blocked)

    return observe


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
