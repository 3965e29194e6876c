"""The doctor's checks of this machine and its services: the config file, ffmpeg, the device and
the models, Redis and the workers, the job store, the metrics port."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import DEFAULT_CONFIG_PATH, Settings
from bot.doctor.findings import Checks, Finding
from bot.doctor.models import Device, model_findings
from bot.infra.process import StartFailure

if TYPE_CHECKING:
    from bot.distributed.protocol import WorkerInfo

GIB = 1024**3
REDIS_SECONDS = 3.0


def config_file(settings: Settings) -> Finding:
    """The file read and the environment variables that override it (names only: values may
    hold secrets)."""
    path = Path(os.environ.get("S2I_CONFIG", DEFAULT_CONFIG_PATH))
    overrides = sorted(name for name in os.environ if name.startswith("S2I_") and "__" in name)
    env = f"; from the environment: {', '.join(overrides)}" if overrides else ""
    if not path.is_file():
        fix = "cp config/bot.example.toml config/bot.toml (every setting is documented there)"
        return Finding("config", "warn", f"no file at {path}: the defaults{env}", fix)
    return Finding("config", "ok", f"{path}{env}")


async def host_checks(settings: Settings) -> AsyncIterator[Finding]:
    """What this machine needs to run the models: ffmpeg, the device, each model."""
    yield await asyncio.to_thread(_ffmpeg)
    device, finding = await asyncio.to_thread(_device, settings)
    yield finding
    if device is not None:
        async for finding in model_findings(settings, device):
            yield finding


def scaled_out(*, workers: bool) -> Checks:
    """Redis (``queue.backend = "redis"``) and, for the bot, the workers' heartbeats."""

    async def checks(settings: Settings) -> AsyncIterator[Finding]:
        from bot.distributed.protocol import WORKER_PREFIX, connect, read_heartbeats, redacted

        url = redacted(settings.queue.redis_url)
        redis = connect(settings.queue.redis_url, read_timeout=REDIS_SECONDS)
        try:
            async with asyncio.timeout(REDIS_SECONDS * 2):
                await redis.ping()
                keys = [key async for key in redis.scan_iter(match=WORKER_PREFIX + "*")]
                beats = await redis.mget(keys) if keys else []
        except Exception as error:
            fix = "start Redis, or point queue.redis_url at it (the bot and every worker)"
            yield Finding("redis", "FAIL", f"{url} is unreachable ({error or 'no answer'})", fix)
            return
        finally:
            with contextlib.suppress(Exception):
                await redis.aclose()
        yield Finding("redis", "ok", f"{url} answers")
        if workers:
            yield _workers(read_heartbeats(beats))

    return checks


def service_checks(*, store: bool) -> Checks:
    """The job store (the bot's) and the health and metrics port."""

    async def checks(settings: Settings) -> AsyncIterator[Finding]:
        if store:
            yield await _store(settings)
        yield await asyncio.to_thread(_metrics_port, settings)

    return checks


def _ffmpeg() -> Finding:
    path = shutil.which("ffmpeg")
    if path is None:
        fix = "install it (apt install ffmpeg; scripts/setup does): voice messages need it"
        return Finding("ffmpeg", "FAIL", "not found on PATH", fix)
    try:
        done = subprocess.run(
            [path, "-version"], capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError) as error:
        return Finding("ffmpeg", "FAIL", f"{path} does not run ({error})", "reinstall ffmpeg")
    version = done.stdout.splitlines()[0].split(" Copyright")[0] if done.stdout else "?"
    return Finding("ffmpeg", "ok", f"{version} ({path})")


def _device(settings: Settings) -> tuple[Device | None, Finding]:
    """The device the image model would run on (CUDA or the CPU), its memory, and the dtypes."""
    import torch

    from bot.engines.pipelines import resolve_device

    image = settings.image
    if "cuda" in (image.device, settings.speech.device) and not torch.cuda.is_available():
        fix = "install the NVIDIA driver and a CUDA build of torch, or set image.device and speech.device to auto"
        return None, Finding("device", "FAIL", "CUDA is asked for but not available", fix)
    device, dtype = resolve_device(image)
    cuda = device == "cuda"
    compute = settings.speech.compute_type
    if compute == "auto":
        compute = "float16" if cuda else "int8"
    dtypes = f"image {str(dtype).removeprefix('torch.')}, Whisper {compute}"
    if cuda:
        free, total = torch.cuda.mem_get_info()
        name = torch.cuda.get_device_name()
        said = f"CUDA: {name}, {total / GIB:.1f} GiB ({free / GIB:.1f} GiB free); {dtypes}"
        return Device(name, total, dtype.itemsize, 2 if "16" in compute else 1), Finding(
            "device", "ok", said
        )
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    said = f"CPU, {os.cpu_count()} cores, {total / GIB:.1f} GiB of memory; {dtypes}"
    fix = "drawing on a CPU takes minutes a picture; a GPU with CUDA takes seconds"
    return Device("the CPU", total, dtype.itemsize, 1 if compute.startswith("int8") else 4), (
        Finding("device", "warn", said, fix)
    )


def _workers(workers: list[WorkerInfo]) -> Finding:
    ready = [w for w in workers if w.ready]
    if ready:
        names = ", ".join(f"{w.name} ({w.device}, {w.model})" for w in ready)
        return Finding("workers", "ok", f"{len(ready)} ready: {names}")
    if workers:
        said = "; ".join(f"{w.name}: {w.status}" for w in workers)
        return Finding("workers", "warn", f"none ready yet: {said}", "wait for them to load")
    fix = "start python -m bot worker on a machine with a GPU (one per GPU)"
    return Finding("workers", "FAIL", "no worker's heartbeat in Redis", fix)


async def _store(settings: Settings) -> Finding:
    from bot.infra.store import JobStore

    store = JobStore(settings.store)
    try:
        await store.open()
    except StartFailure as failure:
        return Finding("store", "FAIL", failure.said, failure.fix)
    finally:
        await store.close()
    return Finding("store", "ok", f"{settings.store.path} is writable")


def _metrics_port(settings: Settings) -> Finding:
    """Free, or held by a running bot or worker (whose ``/healthz`` is then shown)."""
    metrics = settings.metrics
    if not metrics.enabled:
        return Finding("metrics", "skip", "metrics.enabled = false: no /healthz for probes")
    if metrics.port == 0:
        return Finding("metrics", "ok", "metrics.port = 0: a free port is picked at start")
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((metrics.host, metrics.port))
        except OSError as error:
            running = _running_health(metrics.port)
            if running is not None:
                return Finding("metrics", "ok", f"port {metrics.port}: running now, {running}")
            fix = "stop what listens there, or set metrics.port (0 picks a free port)"
            return Finding(
                "metrics", "FAIL", f"port {metrics.port} is taken ({error.strerror})", fix
            )
    return Finding("metrics", "ok", f"port {metrics.port} is free (/healthz, /livez, /metrics)")


def _running_health(port: int) -> str | None:
    """What the ``/healthz`` of a bot or worker on ``port`` says, if one answers there."""
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            body = response.read()
    except urllib.error.HTTPError as error:  # 503: running, not ready
        body = error.read()
    except OSError:
        return None
    with contextlib.suppress(ValueError):
        report = json.loads(body)
        return f"/healthz says {report['status']} ({report['checks']})"
    return None
