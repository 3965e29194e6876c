"""The deployment a chaos run shakes: the bot (``python -m bot run``) against a fake Discord that
outlives it, and with the Redis backend a ``redis-server`` and ``python -m bot worker``
processes. Every part can be killed, stopped and started again; each process's console is kept
(the workers' logs say which stages they ran)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.bot_process import ROOT, BotProcess, bot_environment
from tests.support.fake_discord import FakeDiscord
from tests.support.redis_server import RedisServer

START_SECONDS = 600.0
"""How long a bot may take to serve (logging in, loading models on a busy machine)."""
STOP_SECONDS = 120.0
"""How long a signalled process may take to exit (a graceful stop lets a draw finish)."""


@dataclass(frozen=True)
class Models:
    image: Path
    speech: Path


class Cluster:
    """The bot, Redis and the workers of one chaos run, in ``folder``."""

    def __init__(
        self,
        fake: FakeDiscord,
        folder: Path,
        models: Models,
        *,
        backend: str,
        workers: int,
        steps: int,
    ) -> None:
        """``steps``: a job's default denoising steps (how long each draw lasts)."""
        self.fake = fake
        self.folder = folder
        self.backend = backend
        self.redis = RedisServer(folder / "redis") if backend == "redis" else None
        queue: dict[str, object] = {"per_user_limit": 3}
        if self.redis is not None:
            queue |= {"backend": "redis", "redis_url": self.redis.url}
            queue |= {"blob_dir": str(folder / "blobs"), "blob_threshold_bytes": 65536}
        self.env = bot_environment(
            fake,
            folder,
            image_model=models.image,
            speech_model=models.speech,
            queue=queue,
            speech={"cpu_threads": 1},
            defaults={"steps": steps},
        ) | {"OMP_NUM_THREADS": "1"}
        self.worker_count = workers if self.redis is not None else 0
        self.bot: BotProcess | None = None
        self.bots: list[BotProcess] = []
        """Every bot process so far (their consoles)."""
        self.workers: list[subprocess.Popen[bytes]] = []
        self._worker_logs: list[Path] = []

    # ---- the whole ---------------------------------------------------------------------------

    def start(self) -> None:
        if self.redis is not None:
            self.redis.folder.mkdir(parents=True, exist_ok=True)
            self.redis.start()
        for _ in range(self.worker_count):
            self.start_worker()
        self.start_bot()
        assert self.bot is not None
        self.bot.wait_serving(START_SECONDS)

    def heal(self) -> None:
        """Everything running again: the end of a run, before waiting for the jobs to settle."""
        if self.redis is not None and self.redis.process is None:
            self.redis.start()
        while len(self.live_workers()) < self.worker_count:
            self.start_worker()
        if self.bot is None or self.bot.returncode is not None:
            self.start_bot()

    def stop(self) -> None:
        if self.bot is not None and self.bot.returncode is None:
            self.bot.signal(signal.SIGTERM)
            self._wait_or_kill(self.bot)
        for worker in self.live_workers():
            worker.terminate()
        for worker in self.workers:
            try:
                worker.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                worker.kill()
        if self.redis is not None:
            self.redis.stop()

    # ---- the bot -----------------------------------------------------------------------------

    def start_bot(self) -> None:
        self.bot = BotProcess(self.env)
        self.bots.append(self.bot)

    def signal_bot(self, signum: int) -> None:
        """Signal the bot, wait for it to exit, start it again (not waiting for it to serve)."""
        if self.bot is None or self.bot.returncode is not None:
            self.start_bot()
            return
        self.bot.signal(signum)
        self._wait_or_kill(self.bot)
        self.start_bot()

    def revive_bot(self) -> None:
        """Start the bot again if it stopped by itself (a bot that cannot log in exits)."""
        assert self.bot is not None
        try:
            self.bot.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            return  # still running: it rode it out
        self.start_bot()

    def _wait_or_kill(self, bot: BotProcess) -> None:
        try:
            bot.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            bot.kill()

    def bot_output(self) -> str:
        return "\n".join(bot.output for bot in self.bots)

    # ---- the workers -------------------------------------------------------------------------

    def start_worker(self) -> None:
        log = self.folder / f"worker-{len(self.workers)}.log"
        env = self.env | {"S2I_METRICS__ENABLED": "false"}
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "worker"],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.workers.append(process)
        self._worker_logs.append(log)

    def live_workers(self) -> list[subprocess.Popen[bytes]]:
        return [worker for worker in self.workers if worker.poll() is None]

    def signal_worker(self, index: int, signum: int) -> None:
        """Signal one live worker (``index`` modulo their number), and start another in its place
        once it has exited."""
        live = self.live_workers()
        if not live:
            self.start_worker()
            return
        worker = live[index % len(live)]
        worker.send_signal(signum)
        try:
            worker.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        self.start_worker()

    def worker_logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self._worker_logs)

    # ---- Redis -------------------------------------------------------------------------------

    def restart_redis(self, *, keep_data: bool, down_seconds: float) -> None:
        assert self.redis is not None
        self.redis.stop(keep_data=keep_data)
        time.sleep(down_seconds)
        self.redis.start()
