"""CPU use while Redis is away: the bot (``python -m bot run``) and ``--workers`` workers against
the fake Discord (the chaos bench's deployment, :mod:`tests.support.chaos.cluster`), idle; their
CPU seconds over ``--seconds`` with Redis up, then over as long with Redis stopped (a busy loop
reconnecting would show as a whole CPU). Then Redis comes back empty: the bot must serve again
(``/healthz``), every worker's heartbeat come back, and one ``/imagine`` end done.

    python bench/outage_cpu.py [--seconds 60] [--workers 2] [--model DIR]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

import psutil
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.chaos import models
from bot.distributed.protocol import WORKER_PREFIX
from tests.support.chaos.cluster import Cluster
from tests.support.chaos.verdict import job_views
from tests.support.fake_discord import FakeDiscord, History

RECOVERY_SECONDS = 300.0
"""How long the job after the outage may take (workers reconnecting on a busy machine)."""


def cpu_seconds(processes: dict[str, psutil.Process]) -> dict[str, float]:
    times = {name: process.cpu_times() for name, process in processes.items()}
    return {name: t.user + t.system for name, t in times.items()}


def measure(processes: dict[str, psutil.Process], seconds: float) -> dict[str, float]:
    """CPU seconds each process used over ``seconds``."""
    before = cpu_seconds(processes)
    time.sleep(seconds)
    after = cpu_seconds(processes)
    return {name: after[name] - before[name] for name in processes}


def wait_workers(url: str, count: int) -> None:
    """Until ``count`` workers' heartbeats are in Redis."""
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + RECOVERY_SECONDS
    while len(client.keys(WORKER_PREFIX + "*")) < count:
        assert time.monotonic() < deadline, "the workers' heartbeats did not come back"
        time.sleep(0.2)
    client.close()


def done(history: History) -> bool:
    return any(view.outcome == "done" for view in job_views(history))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--model", type=Path, help="a diffusers folder (default: the tiny one)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="outage-") as temp, FakeDiscord() as fake:
        folder = Path(temp)
        cluster = Cluster(
            fake, folder, models(folder, args.model), backend="redis", workers=args.workers, steps=4
        )
        try:
            cluster.start()
            assert cluster.bot is not None and cluster.redis is not None
            processes = {"bot": psutil.Process(cluster.bot.pid)}
            for index, worker in enumerate(cluster.workers):
                processes[f"worker {index}"] = psutil.Process(worker.pid)
            time.sleep(10)  # the workers' start (loading their models) is over
            up = measure(processes, args.seconds)
            cluster.redis.stop(keep_data=False)
            away = measure(processes, args.seconds)
            cluster.redis.start()
            back = time.monotonic()
            cluster.bot.wait_until(lambda: cluster.bot.health() == 200, RECOVERY_SECONDS, "back")
            wait_workers(cluster.redis.url, args.workers)
            recovered = time.monotonic() - back
            user = fake.add_user("after")
            fake.slash(user, "imagine", prompt="after the outage")
            try:
                fake.wait_for(done, timeout=RECOVERY_SECONDS, what="a job done after the outage")
            except AssertionError:
                print(cluster.bot_output()[-8000:], "\n", cluster.worker_logs()[-8000:])
                raise
        finally:
            cluster.stop()
    print(f"CPU seconds over {args.seconds:.0f} s, idle, {args.workers} workers:")
    for name in processes:
        print(
            f"  {name}: Redis up {up[name]:.2f} s ({up[name] / args.seconds:.1%} of a CPU), "
            f"Redis away {away[name]:.2f} s ({away[name] / args.seconds:.1%})"
        )
    print(
        f"after Redis came back (empty): the bot and every worker back in {recovered:.1f} s, "
        "then a new job drawn and delivered"
    )


if __name__ == "__main__":
    main()
