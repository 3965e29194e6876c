"""``/healthz`` and ``/metrics`` over real HTTP on 127.0.0.1, with a real job queue behind them."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import torch
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.parser import text_string_to_metric_families

from bot.config import MetricsSettings, Settings
from bot.distributed.remote import RemoteEngines
from bot.domain.jobs import JobState
from bot.engines.runner import Engines
from bot.infra.metrics import HealthReport, MetricsServer
from bot.queue.metrics import JobMetrics
from cogs.client import SpeechBot
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import bot_settings
from tests.test_jobs import ScriptedRunner, ask, drawing, finish_all, serving

LOCAL = MetricsSettings(host="127.0.0.1", port=0)
JOB_WAIT = 120.0
"""Real seconds the bot may take to load its models, or to draw a tiny job, on a loaded 2-core
machine (simcord's own settling limit is 5 s)."""
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def get(port: int, path: str) -> tuple[int, str, str]:
    """Status, content type and body of ``GET path``, on a connection closed afterwards."""
    connector = aiohttp.TCPConnector(force_close=True)
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        session.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, response.headers["Content-Type"], await response.text()


async def scrape(port: int) -> Samples:
    status, content_type, text = await get(port, "/metrics")
    assert status == 200 and content_type == CONTENT_TYPE_LATEST
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


@contextlib.asynccontextmanager
async def running(server: MetricsServer) -> AsyncIterator[MetricsServer]:
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def test_healthz_is_503_naming_what_is_not_ready_then_200() -> None:
    checks: dict[str, bool | str] = {"gateway": True, "models": "loading Whisper medium"}

    async def health() -> HealthReport:  # a worker's check is async (it pings Redis)
        return HealthReport(dict(checks))

    async with running(MetricsServer(LOCAL, health)) as server:
        assert server.port > 0
        status, content_type, body = await get(server.port, "/healthz")
        assert (status, content_type) == (503, "application/json; charset=utf-8")
        assert body == (
            '{"status": "unavailable", "checks": '
            '{"gateway": true, "models": "loading Whisper medium"}}'
        )
        checks["models"] = True
        status, _, body = await get(server.port, "/healthz")
        assert status == 200
        assert body == '{"status": "ok", "checks": {"gateway": true, "models": true}}'
        assert (await get(server.port, "/nothing-here"))[0] == 404


async def test_stopped_server_frees_its_port() -> None:
    server = MetricsServer(LOCAL, lambda: HealthReport({}))
    await server.start()
    port = server.port
    await server.stop()
    await server.stop()
    with pytest.raises(aiohttp.ClientConnectionError):
        await get(port, "/healthz")
    with pytest.raises(RuntimeError):
        _ = server.port


async def test_metrics_follow_a_real_queue_through_done_failed_and_cancelled_jobs() -> None:
    runner = ScriptedRunner()
    runner.hold("slow")
    server = MetricsServer(LOCAL, lambda: HealthReport({}))
    async with serving(runner, per_user_limit=5) as queue:
        queue.subscribe(JobMetrics(queue, server.registry).observe)
        async with running(server):
            heard = await queue.submit(ask(1, "", audio="a dog"))
            refused = await queue.submit(ask(2, "refuse"))
            assert [j.state for j in await finish_all(queue, [heard, refused])] == [
                JobState.DONE,
                JobState.FAILED,
            ]
            slow = await queue.submit(ask(3, "slow"))
            await drawing(runner, "slow")
            behind = await queue.submit(ask(4, "next"))
            dropped = await queue.submit(ask(5, "dropped"))
            assert await queue.cancel(dropped.id, 5)

            samples = await scrape(server.port)
            assert value(samples, "speech2image_queue_depth") == 1
            assert value(samples, "speech2image_jobs", state="drawing") == 1
            assert value(samples, "speech2image_jobs", state="queued") == 1
            assert value(samples, "speech2image_jobs", state="listening") == 0
            finished = "speech2image_jobs_finished_total"
            assert value(samples, finished, state="done") == 1
            assert value(samples, finished, state="failed") == 1
            assert value(samples, finished, state="cancelled") == 1
            assert value(samples, "speech2image_job_errors_total", kind="blocked") == 1
            assert value(samples, "speech2image_listen_seconds_count") == 1
            assert value(samples, "speech2image_draw_seconds_count") == 1
            # the done and the refused job reached the image stage; the cancelled one never did
            assert value(samples, "speech2image_queue_wait_seconds_count") == 2
            assert value(samples, "process_resident_memory_bytes") > 0

            runner.release("slow")
            await finish_all(queue, [slow, behind])
            samples = await scrape(server.port)
            assert value(samples, "speech2image_queue_depth") == 0
            assert value(samples, "speech2image_jobs", state="drawing") == 0
            assert value(samples, finished, state="done") == 3
            assert value(samples, "speech2image_draw_seconds_count") == 3
            assert value(samples, "speech2image_queue_wait_seconds_count") == 4


async def test_gpu_memory_is_reported_only_where_cuda_is() -> None:
    async with running(MetricsServer(LOCAL, lambda: HealthReport({}))) as server:
        if torch.cuda.is_available():
            block = torch.empty(2**20, dtype=torch.uint8, device="cuda")
            samples = await scrape(server.port)
            allocated = value(samples, "speech2image_gpu_memory_allocated_bytes", device="0")
            assert allocated is not None and allocated >= block.numel()
        else:
            names = {name for name, _ in await scrape(server.port)}
            assert not any(name.startswith("speech2image_gpu") for name in names)


def test_scraping_gpu_memory_does_not_import_torch() -> None:
    code = (
        "import sys; from bot.infra.metrics import GpuMemoryCollector; "
        "assert list(GpuMemoryCollector().collect()) == []; assert 'torch' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


def test_bot_health_names_the_gateway_and_the_models_it_runs() -> None:
    settings = Settings(metrics={"enabled": False})
    bot = SpeechBot(settings, Engines(settings))
    assert bot.health().checks == {"gateway": "not connected", "models": "starting"}
    redis = settings.model_copy(
        update={"queue": settings.queue.model_copy(update={"backend": "redis"})}
    )
    assert SpeechBot(redis, RemoteEngines(redis)).health().checks == {
        "gateway": "not connected",
        "queue": "Redis unreachable",
    }


@pytest.fixture
def make_bot(tiny_sd_dir: Path, whisper_base_dir: Path, tmp_path: Path, engines: Engines):
    settings = bot_settings(
        tiny_sd_dir,
        whisper_base_dir,
        store={"path": tmp_path / "jobs.sqlite3"},
        metrics={"enabled": True, "host": "127.0.0.1", "port": 0},
    )
    return lambda: SpeechBot(settings, engines)  # the session's (a bot never closes its engines)


@pytest.mark.simcord(settle_timeout=JOB_WAIT)  # settling waits for the draw
async def test_the_bot_serves_health_and_metrics_while_it_runs(
    discord_harness: DiscordHarness,
) -> None:
    bot = discord_harness.bot
    assert isinstance(bot, SpeechBot) and bot.metrics is not None
    await asyncio.wait_for(bot.engines.wait_ready(), JOB_WAIT)
    status, _, body = await get(bot.metrics.port, "/healthz")
    assert status == 200, body
    await discord_harness.slash(discord_harness.member("alice"), "imagine", prompt="a red cat")
    await discord_harness.wait_for(lambda: sum(finished(bot).values()) == 1, timeout=JOB_WAIT)
    assert finished(bot) == {"done": 1}
    samples = await scrape(bot.metrics.port)
    assert value(samples, "speech2image_queue_depth") == 0
    assert value(samples, "speech2image_jobs_finished_total", state="done") == 1
    assert value(samples, "speech2image_draw_seconds_count") == 1
    assert bot.metrics.loop_lag.probes > 0  # probing all along: simcord settled beside it


def finished(bot: SpeechBot) -> dict[str, int]:
    """Finished jobs by final state, as the queue counts them."""
    counts = bot.queue.snapshot().counts
    return {state: n for state, n in counts.items() if JobState(state).finished}
