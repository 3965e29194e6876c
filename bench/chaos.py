"""Chaos benchmark: the bot as its own process (``python -m bot run``) against a fake Discord that
outlives it, with Redis and workers (``--backend redis``, the default) or the embedded backend,
many users sending slash commands, voice messages, button presses and cancels, and a seeded
random schedule of faults: SIGKILL and SIGTERM of the bot and of workers (each started again),
Redis restarts with and without its data, Discord answering 500s, 429s and nothing (timeouts),
interaction tokens expiring, the gateway resuming.

The run ends when ``--jobs`` jobs were accepted and ``--faults`` faults injected; then every part
is healthy again and the jobs settle. The history is checked (:mod:`tests.support.chaos.verdict`)
and printed: jobs, faults of each kind, lost, duplicated, stuck, time to result (p50, p95).

    python bench/chaos.py [--seed 1] [--jobs 500] [--faults 50] [--backend redis|embedded]
                          [--workers 2] [--users 40] [--steps 12] [--in-flight 12]
                          [--model DIR] [--keep FILE]
"""

from __future__ import annotations

import argparse
import logging
import pickle
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.audio_clips import speak, to_voice_message
from tests.support.chaos.cluster import Cluster, Models
from tests.support.chaos.faults import FORCING, FaultSchedule
from tests.support.chaos.users import Users
from tests.support.chaos.verdict import Verdict, job_views, judge, settled
from tests.support.fake_discord import FakeDiscord, History
from tests.support.tiny_diffusion import build_tiny_sd
from tests.support.whisper_model import assemble_whisper_base

SETTLE_SECONDS = 900.0
"""How long the jobs may take to settle once the faults stop (workers restarting included)."""
TICK_SECONDS = 0.25
VOICE_TEXT = "A red apple on a wooden table."


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=500, help="accepted jobs to reach")
    parser.add_argument("--faults", type=int, default=50)
    parser.add_argument("--backend", choices=("redis", "embedded"), default="redis")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--steps", type=int, default=12, help="a job's denoising steps")
    parser.add_argument("--in-flight", type=int, default=12, help="unfinished jobs at most")
    parser.add_argument("--no-voice", action="store_true", help="no voice messages")
    parser.add_argument("--model", type=Path, help="a diffusers folder (default: the tiny one)")
    parser.add_argument("--keep", type=Path, help="pickle the history and the requests here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse(argv)
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="chaos-") as temp, FakeDiscord() as fake:
        folder = Path(temp)
        cluster = Cluster(
            fake,
            folder,
            models(folder, args.model),
            backend=args.backend,
            workers=args.workers,
            steps=args.steps,
        )
        began = time.monotonic()
        try:
            cluster.start()
            verdict, faults = run(args, fake, cluster)
        finally:
            cluster.stop()
        problems = fake.problems
    figures = report(args, verdict, faults, time.monotonic() - began, problems)
    return figures


def models(folder: Path, image: Path | None) -> Models:
    if image is None:
        image = folder / "tiny-sd"
        build_tiny_sd(image)
    return Models(image=image, speech=assemble_whisper_base())


def run(args: argparse.Namespace, fake: FakeDiscord, cluster: Cluster) -> tuple[Verdict, Any]:
    voice = None if args.no_voice else to_voice_message(speak(VOICE_TEXT, "en-us"))
    users = Users(fake, args.users, args.seed, voice)
    schedule = FaultSchedule(cluster, args.seed)
    kills: list[float] = []
    every = max(1, args.jobs // max(args.faults, 1))
    history = fake.history()
    while len(accepted(history)) < args.jobs or len(schedule.injected) < args.faults:
        views = job_views(history)
        in_flight = {v.job for v in views if not v.final and not v.deleted}
        if len(in_flight) < args.in_flight and len(accepted(history)) < args.jobs:
            users.act(history)
        due = len(accepted(history)) >= every * (len(schedule.injected) + 1)
        if len(schedule.injected) < args.faults and (due or len(accepted(history)) >= args.jobs):
            fault = schedule.inject()
            if fault.kind == "bot SIGKILL":
                kills.append(fault.began)
        time.sleep(TICK_SECONDS)
        history = fake.history()
    fake.clear_faults()
    cluster.heal()
    settle(fake, cluster)
    history = fake.history()
    if args.keep is not None:
        args.keep.write_bytes(pickle.dumps((history, users.sent, schedule.injected, kills)))
    verdict = judge(
        history,
        users.sent,
        schedule.injected,
        bot_user=fake.bot_user_id,
        kills=kills,
        worker_logs=cluster.worker_logs() if cluster.redis is not None else None,
        forcing=FORCING,
    )
    return verdict, schedule


def accepted(history: History) -> set[str]:
    return {view.job for view in job_views(history)}


def settle(fake: FakeDiscord, cluster: Cluster) -> None:
    """Until every job message is final and no message is left "thinking…" (or
    :data:`SETTLE_SECONDS` pass: the verdict then says which are stuck)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        if settled(fake.history(), fake.bot_user_id):
            return
        if cluster.bot is not None and cluster.bot.returncode is not None:
            cluster.start_bot()  # it exited by itself: a real deployment restarts it too
        time.sleep(1.0)


def report(
    args: argparse.Namespace,
    verdict: Verdict,
    schedule: FaultSchedule,
    seconds: float,
    problems: list[str],
) -> dict[str, Any]:
    counts = schedule.counts()
    p50, p95 = verdict.median(), verdict.percentile(0.95)
    print(f"chaos: seed {args.seed}, {args.backend} backend, {args.users} users, {seconds:.0f} s")
    print(f"requests: {dict(verdict.requests)}")
    print(
        f"jobs: {verdict.jobs} ({dict(verdict.outcomes)}); refused privately: {verdict.refused}; "
        f"not delivered (bot down): {verdict.undelivered}; dropped by a SIGKILL before the "
        f"acknowledgement: {verdict.dropped_by_kill}; acknowledgement failed by Discord: "
        f"{verdict.unacknowledged}"
    )
    print(
        f"faults: {sum(counts.values())} "
        + ", ".join(f"{k}: {n}" for k, n in sorted(counts.items()))
    )
    print(
        f"lost: {len(verdict.lost)}, duplicated: {len(verdict.duplicated)}, stuck: "
        f"{len(verdict.stuck)}, public refusals: {len(verdict.public_refusals)}; redrawn after a "
        f"fault (delivered once): {verdict.redrawn}"
    )
    if p50 is not None and p95 is not None:
        print(f"time to result: p50 {p50:.1f} s, p95 {p95:.1f} s")
    for line in (verdict.lost + verdict.duplicated + verdict.stuck + verdict.public_refusals)[:20]:
        print("  " + line)
    if problems:
        print(f"the fake's own problems: {problems[:5]}")
    return {
        "jobs": verdict.jobs,
        "faults": sum(counts.values()),
        "fault_kinds": dict(counts),
        "lost": len(verdict.lost),
        "duplicated": len(verdict.duplicated),
        "stuck": len(verdict.stuck),
        "public_refusals": len(verdict.public_refusals),
        "redrawn": verdict.redrawn,
        "p50": p50,
        "p95": p95,
        "fake_problems": problems,
        "sound": verdict.sound,
    }


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    figures = main()
    sys.exit(0 if figures["sound"] else 1)
