"""Load benchmark: many users' ``/imagine`` through the real discord.py bot, offline (simcord), on
the tiny random-weight Stable Diffusion pipeline, against calling the pipeline directly.

Every user sends ``--per-user`` requests in a row, one user after another, as in a busy server.
The image stage is held until all are queued, then released. Checked and printed: every
interaction acknowledged (and how fast), every job finished with its pictures (none lost), the draw
order (fair round-robin across users), peak memory, wall time and jobs/s. The same jobs (same
options and seeds) are drawn by ``Engines.draw`` one after another before and after the bot pass;
the bot's overhead is its time from release to the last result shown, against their mean.

To tell where the time goes, the same jobs also go through the job queue and its store alone (no
Discord), and during the bot's drain the event-loop thread is sampled: simcord runs in this process
and costs CPU that Discord's servers would spend in production. simcord's clock stands still while
the bot is busy, so throttled message edits wait until the queue is drained; the edits the bot would
make in real time are estimated from the queue's events and the edit interval.

    python bench/load.py [--users 50] [--per-user 4] [--steps 4] [--size 64] [--count 1]
                         [--threads 1] [--model DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import discord
import simcord
import torch

from bot.config import DiscordSettings, Settings
from bot.domain.jobs import JobEvent, JobRequest, JobState
from bot.domain.options import GenerationOptions
from bot.engines.runner import Engines
from bot.infra.store import JobStore
from bot.queue.lifecycle import JobQueue
from cogs.client import SpeechBot
from cogs.outbox import edit_interval
from tests.support.discord_harness import DiscordHarness, Gate
from tests.support.speech_bot import HeldEngines, final_state, job_id
from tests.support.tiny_diffusion import build_tiny_sd

ROOT = Path(__file__).resolve().parent.parent
SETTLE_TIMEOUT_S = 3600.0
"""Releasing the held stage settles only once every job is drawn and shown."""
SAMPLE_INTERVAL_S = 0.005
OWNERS = (
    ("simcord", f"{Path(simcord.__file__).parent}/"),
    ("bot", f"{ROOT / 'bot'}/"),
    ("bot", f"{ROOT / 'cogs'}/"),
    ("bot", f"{Path(discord.__file__).parent}/"),
    ("harness", f"{ROOT / 'tests'}/"),
)
"""Whose code a sampled stack is in: the innermost frame under one of these folders."""

Figures = dict[str, Any]


@dataclass(frozen=True)
class Request:
    """One ``/imagine`` of the plan: the ``index``-th request of user ``user``."""

    user: int
    index: int
    options: GenerationOptions

    @property
    def filenames(self) -> list[str]:
        seed = self.options.seed
        return [f"image-{i}-seed-{seed + i}.png" for i in range(self.options.count)]


class Progress:
    """A line on stderr at every tenth of ``total``."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self._started = time.perf_counter()

    def advance(self) -> None:
        self.done += 1
        if self.done * 10 // self.total != (self.done - 1) * 10 // self.total:
            seconds = time.perf_counter() - self._started
            print(f"  {self.label}: {self.done}/{self.total} ({seconds:.1f} s)", file=sys.stderr)


class TimedDraws:
    """The engines, adding up the seconds spent inside ``draw``."""

    def __init__(self, engines: Engines) -> None:
        self._engines = engines
        self.seconds = 0.0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engines, name)

    async def draw(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await self._engines.draw(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started


class LoopSampler:
    """Samples the calling (event-loop) thread's stack from a side thread and counts whose code
    it is in (see ``OWNERS``; ``other`` is asyncio and the standard library), or ``idle``."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._target = threading.get_ident()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="loop-sampler", daemon=True)

    def __enter__(self) -> LoopSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def shares(self) -> dict[str, float]:
        """Each owner's fraction of the samples where the loop was busy."""
        busy = sum(n for owner, n in self.counts.items() if owner != "idle") or 1
        return {
            owner: self.counts[owner] / busy for owner in ("simcord", "bot", "harness", "other")
        }

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_INTERVAL_S):
            frame = sys._current_frames().get(self._target)
            if frame is not None:
                self.counts[_owner(frame)] += 1


def _owner(frame: FrameType | None) -> str:
    if frame is not None and frame.f_code.co_filename.endswith("selectors.py"):
        return "idle"  # waiting in epoll for the next event
    while frame is not None:
        path = frame.f_code.co_filename
        owner = next((owner for owner, folder in OWNERS if path.startswith(folder)), None)
        if owner is not None:
            return owner
        frame = frame.f_back
    return "other"


class WarningCounter(logging.Handler):
    """Counts (and echoes to stderr) what is logged at WARNING or above."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        print(f"  logged {record.levelname}: {record.getMessage()}", file=sys.stderr)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--per-user", type=int, default=4)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--size", type=int, default=64, help="square side in pixels")
    parser.add_argument("--count", type=int, default=1, help="images per request")
    parser.add_argument("--model", type=Path, help="tiny pipeline folder (default: build one)")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads for drawing (default 1: the tiny model gains nothing from more, and "
        "a core left to the event loop stands in for a GPU server, where drawing takes no core)",
    )
    return parser.parse_args(argv)


def bench_settings(args: argparse.Namespace, model: Path, folder: Path) -> Settings:
    return Settings(
        image={"model": str(model), "device": "cpu", "local_files_only": True},
        defaults={"width": args.size, "height": args.size, "steps": args.steps},
        limits={"min_side": min(64, args.size)},
        # simcord waits out the bot's throttle sleeps after every action: keep position edits as
        # frequent as progress ones here; `real_time_writes` counts the production rule.
        discord={"progress_edit_seconds": 0.2, "position_edits_per_second": 10_000},
        queue={"per_user_limit": args.per_user, "max_size": max(args.users * args.per_user, 100)},
        store={"path": folder / "jobs.sqlite3"},
        metrics={"host": "127.0.0.1", "port": 0},
    )


def plan(args: argparse.Namespace, settings: Settings) -> list[Request]:
    """The requests in submission order: each user's in a row, users one after another."""
    return [
        Request(
            user,
            index,
            GenerationOptions.build(
                f"picture {index} of user {user}: a red cat on the moon",
                settings.defaults,
                settings.limits,
                seed=user * args.per_user + index,
                count=args.count,
            ),
        )
        for user in range(args.users)
        for index in range(args.per_user)
    ]


async def direct_pass(engines: Engines, requests: list[Request], label: str) -> float:
    """Seconds to draw every request with ``Engines.draw``, one after another."""
    progress = Progress(label, len(requests))
    started = time.perf_counter()
    for request in requests:
        await engines.draw(request.options, lambda done, total: None, lambda: False)
        progress.advance()
    return time.perf_counter() - started


async def queue_pass(
    settings: Settings, engines: Engines, requests: list[Request], folder: Path
) -> float:
    """Seconds for every request through the job queue and its store alone, no Discord: all are
    submitted first, then the queue is started; timed from its start to the last job done."""
    store = JobStore(settings.store.model_copy(update={"path": folder / "queue-pass.sqlite3"}))
    queue = JobQueue(engines, settings.queue, settings.limits, store)
    progress = Progress("queue only", len(requests))
    all_done = asyncio.Event()

    def observe(event: JobEvent) -> None:
        if event.kind == "state" and event.state is JobState.DONE:
            progress.advance()
            if progress.done == progress.total:
                all_done.set()

    queue.subscribe(observe)
    await store.open()
    try:
        for r in requests:
            await queue.submit(JobRequest(r.user, f"user{r.user:02d}", None, None, r.options))
        started = time.perf_counter()
        await queue.start()
        await all_done.wait()
        return time.perf_counter() - started
    finally:
        await queue.stop()
        await store.close()


async def bot_pass(settings: Settings, engines: Engines, requests: list[Request]) -> Figures:
    held: dict[str, Any] = {"gate": None}
    timed = TimedDraws(engines)

    def make_bot() -> SpeechBot:
        return SpeechBot(settings, HeldEngines(timed, held))  # type: ignore[arg-type]

    async with simcord.run(make_bot(), settle_timeout=SETTLE_TIMEOUT_S) as env:
        h = DiscordHarness(env, make_bot)
        gate = held["gate"] = h.gate()
        messages, figures = await submit(h, requests)
        held["gate"] = None
        released, drained = await drain(h, gate, len(requests))
        figures |= drained | await check(h, messages, released)
        figures["bot_draw_seconds"] = timed.seconds
        figures["bot_errors"] = len(env.errors)  # reading them here also keeps them from raising
        figures["upload_violations"] = len(h.upload_violations)
    return figures


async def submit(h: DiscordHarness, requests: list[Request]) -> tuple[dict[Request, Any], Figures]:
    """Every request as a ``/imagine`` of its user, with the image stage held."""
    users = [h.member(f"user{user:02d}") for user in range(max(r.user for r in requests) + 1)]
    messages = {}
    refused = 0
    progress = Progress("submitted", len(requests))
    started = time.perf_counter()
    for request in requests:
        options = request.options
        result = await h.slash(
            users[request.user], "imagine", prompt=options.prompt, seed=options.seed,
            steps=options.steps, count=options.count,
        )  # fmt: skip
        refused += result.ephemeral
        messages[request] = result.response
        progress.advance()
    queued = h.bot.queue.snapshot()
    return messages, {
        "submit_seconds": time.perf_counter() - started,
        "refused": refused,
        "queued_before_release": queued.length + len(queued.drawing),
    }


async def drain(h: DiscordHarness, gate: Gate, jobs: int) -> tuple[float, Figures]:
    """Release the held stage (when, and figures): it settles once every job is drawn and shown."""
    shown = Progress("shown", jobs)
    h.env.backend.subscribers.append(lambda event, payload: _count_done(event, payload, shown))
    events: list[tuple[float, JobEvent]] = []

    def observe(event: JobEvent) -> None:
        events.append((time.perf_counter(), event))

    h.bot.queue.subscribe(observe)
    with LoopSampler() as sampler:
        cpu = time.thread_time()
        released = time.perf_counter()
        await gate.release()
        loop_cpu = time.thread_time() - cpu
    shares = sampler.shares()
    done_at = [at for at, event in events if event.kind == "state" and event.state is JobState.DONE]
    return released, {
        "stage_seconds": max(done_at) - released,
        "queue_events": len(events),
        "real_time_writes": real_time_writes(events),
        "loop_cpu_seconds": loop_cpu,
        **{f"loop_share_{owner}": share for owner, share in shares.items()},
    }


def real_time_writes(events: list[tuple[float, JobEvent]]) -> int:
    """Message edits the bot would make for these events were time flowing, with the default
    settings (``cogs.outbox.edit_interval``): a state change at once, positions and progress at
    most once per interval (the newest)."""
    settings = DiscordSettings()
    timelines: defaultdict[str, list[tuple[float, JobEvent]]] = defaultdict(list)
    for at, event in events:
        timelines[event.job_id].append((at, event))
    writes = 0
    for timeline in timelines.values():
        last, due = float("-inf"), None
        for at, event in timeline:
            if due is not None and at >= due:
                writes, last, due = writes + 1, due, None
            interval = edit_interval(event, settings)
            if event.kind == "state" or at >= last + interval:
                writes, last, due = writes + 1, at, None
            elif due is None:
                due = last + interval
        writes += due is not None
    return writes


def _count_done(event: str, payload: Any, progress: Progress) -> None:
    """Gateway observer: count the job messages that turn ✅ Done with their pictures."""
    embeds = (payload.get("embeds") or []) if event == "MESSAGE_UPDATE" else []
    if embeds and embeds[0].get("title", "").startswith("✅ Done") and payload.get("attachments"):
        progress.advance()


async def check(h: DiscordHarness, messages: dict[Request, Any], released: float) -> Figures:
    """Who was answered, which jobs finished with the right pictures, and in what order."""
    states = {request: final_state(h, message) for request, message in messages.items()}
    finished = {
        request: state
        for request, state in states.items()
        if state.embeds
        and state.embeds[0]["title"].startswith("✅ Done")
        and state.filenames == request.filenames
    }
    drawn_at = {}
    for request, state in finished.items():
        job = await h.bot.store.load(job_id(state))
        if job is not None and job.started_at is not None:
            drawn_at[request] = job.started_at
    order = sorted(drawn_at, key=drawn_at.__getitem__)
    acks = [trace.ack_latency * 1000 for trace in h.interactions if trace.acknowledged]
    bot_seconds = max(state.at for state in states.values()) - released
    writes = h.message_requests()
    return {
        "answered": sum(trace.deferred for trace in h.interactions),
        "ack_ms_max": max(acks),
        "ack_ms_p50": statistics.median(acks),
        "finished": len(finished),
        "lost": len(messages) - len(finished),
        "most_drawn_before_all_served": most_drawn_before_all_served(order),
        "round_robin": order == sorted(messages, key=lambda r: (r.index, r.user)),
        "bot_seconds": bot_seconds,
        "submit_writes": sum(r.at < released for r in writes),
        "message_writes": sum(r.at >= released for r in writes),
    }


def most_drawn_before_all_served(order: list[Request]) -> int:
    """The most jobs one user had drawn before every user had one drawn (fair: 1)."""
    everyone = {request.user for request in order}
    drawn: Counter[int] = Counter()
    for request in order:
        drawn[request.user] += 1
        if drawn.keys() == everyone:
            break
    return max(drawn.values(), default=0)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def run(args: argparse.Namespace, folder: Path) -> Figures:
    model = args.model
    if model is None:
        model = folder / "tiny-sd"
        build_tiny_sd(model)
    settings = bench_settings(args, model, folder)
    requests = plan(args, settings)
    threads = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    engines = Engines(settings, speech=False)
    engines.start_loading().result()
    try:
        await direct_pass(engines, requests[:1], "warm-up")
        before = await direct_pass(engines, requests, "direct (before)")
        queue = await queue_pass(settings, engines, requests, folder)
        rss_before_bot = peak_rss_mib()
        figures = await bot_pass(settings, engines, requests)
        after = await direct_pass(engines, requests, "direct (after)")
    finally:
        engines.close()
        torch.set_num_threads(threads)
    jobs = len(requests)
    direct = (before + after) / 2
    bot = figures["bot_seconds"]
    return {
        "users": args.users,
        "per_user": args.per_user,
        "jobs": jobs,
        "steps": args.steps,
        "size": args.size,
        "count": args.count,
        "threads": args.threads,
        **figures,
        "jobs_per_s": jobs / bot,
        "direct_seconds_before": before,
        "direct_seconds_after": after,
        "direct_seconds": direct,
        "draw_ms_per_job": direct / jobs * 1000,
        "overhead_pct": (bot - direct) / direct * 100,
        "overhead_ms_per_job": (bot - direct) / jobs * 1000,
        "queue_seconds": queue,
        "queue_overhead_pct": (queue - direct) / direct * 100,
        "real_time_writes_per_s": figures["real_time_writes"] / figures["stage_seconds"],
        "stage_gap_ms_per_job": (figures["stage_seconds"] - figures["bot_draw_seconds"])
        / jobs
        * 1000,
        "bot_loop_cpu_ms_per_job": figures["loop_cpu_seconds"]
        * figures["loop_share_bot"]
        / jobs
        * 1000,
        "peak_rss_mib_before_bot": rss_before_bot,
        "peak_rss_mib": peak_rss_mib(),
    }


def report(f: Figures) -> None:
    jobs = f["jobs"]
    shares = ", ".join(
        f"{owner} {f[f'loop_share_{owner}']:.0%}"
        for owner in ("simcord", "bot", "harness", "other")
    )
    print(
        f"{jobs} /imagine from {f['users']} users × {f['per_user']}: "
        f"{f['size']}×{f['size']}, {f['steps']} steps, {f['count']} image(s) each, "
        f"{f['threads']} torch thread(s)\n"
        f"answered     {f['answered']}/{jobs} deferred, {f['refused']} refused; ack latency "
        f"max {f['ack_ms_max']:.0f} ms, p50 {f['ack_ms_p50']:.1f} ms "
        f"(submitting took {f['submit_seconds']:.1f} s and {f['submit_writes']} message writes)\n"
        f"finished     {f['finished']}/{jobs} ✅ Done with their PNGs, {f['lost']} lost "
        f"({f['queued_before_release']} queued at release)\n"
        f"fair order   round-robin: {'yes' if f['round_robin'] else 'NO'}; most drawn by one "
        f"user before all were served: {f['most_drawn_before_all_served']}\n"
        f"through bot  {f['bot_seconds']:.2f} s from release to the last result shown "
        f"({f['jobs_per_s']:.1f} jobs/s); last draw done at {f['stage_seconds']:.2f} s\n"
        f"direct       {f['direct_seconds_before']:.2f} s before, "
        f"{f['direct_seconds_after']:.2f} s after, mean {f['direct_seconds']:.2f} s "
        f"({f['draw_ms_per_job']:.1f} ms per job)\n"
        f"overhead     {f['overhead_pct']:+.1f} % ({f['overhead_ms_per_job']:+.1f} ms per job)\n"
        f"  queue only {f['queue_seconds']:.2f} s through the job queue and store, no Discord: "
        f"{f['queue_overhead_pct']:+.1f} %\n"
        f"  draws      {f['bot_draw_seconds']:.2f} s inside Engines.draw during the bot pass; "
        f"the stage idled {f['stage_gap_ms_per_job']:.1f} ms per job between draws\n"
        f"  loop       {f['loop_cpu_seconds']:.2f} s CPU on the event loop while draining "
        f"({shares}); the bot's part {f['bot_loop_cpu_ms_per_job']:.1f} ms per job\n"
        f"  Discord    {f['queue_events']} queue events while draining: {f['message_writes']} "
        f"message writes under simcord, about {f['real_time_writes']} in real time "
        f"({f['real_time_writes_per_s']:.0f}/s)\n"
        f"memory       peak RSS {f['peak_rss_mib']:.0f} MiB "
        f"({f['peak_rss_mib_before_bot']:.0f} MiB before the bot pass)\n"
        f"problems     {f['bot_errors']} bot errors, {f['logged_warnings']} logged warnings, "
        f"{f['upload_violations']} upload violations"
    )


def main(argv: list[str] | None = None) -> Figures:
    args = parse(argv)
    warnings = WarningCounter()
    logging.getLogger().addHandler(warnings)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
            figures = asyncio.run(run(args, Path(folder)))
    finally:
        logging.getLogger().removeHandler(warnings)
    figures["logged_warnings"] = warnings.count
    report(figures)
    return figures


if __name__ == "__main__":
    main()
