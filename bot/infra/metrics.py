"""Health and Prometheus metrics over HTTP: ``GET /healthz`` and ``GET /metrics``.

:class:`MetricsServer` is generic: the bot and the workers each pass their own health check and
register what they measure on the server's own registry (process memory and GPU memory are there
from the start). :class:`bot.queue.metrics.JobMetrics` measures a job
queue: subscribe its ``observe`` to the queue.
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
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.config import MetricsSettings
from bot.infra.process import ExitCode, StartFailure

log = logging.getLogger(__name__)

PREFIX = "speech2image"


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

    async def _livez(self, request: web.Request) -> web.Response:
        """Always 200 while the process serves: a liveness probe (``/healthz`` is readiness)."""
        return web.json_response({"status": "live"})

    async def _metrics(self, request: web.Request) -> web.Response:
        response = web.Response(body=generate_latest(self.registry))
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response


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
