"""The faults of a chaos run: drawn from a seeded generator, injected at the real boundaries (a
signal to a process, Redis stopped, Discord answering errors, a dead token, a gateway resume),
and recorded with when they happened."""

from __future__ import annotations

import random
import signal
import time
from collections import Counter
from dataclasses import dataclass

from tests.support.chaos.cluster import Cluster

ANY_WRITE = "/*"
"""Every REST path (the faults pick a method)."""


@dataclass(frozen=True)
class Injected:
    kind: str
    began: float
    ended: float
    """``time.time()`` when the fault was over (the process back, Redis up, the errors spent)."""


@dataclass(frozen=True)
class Kind:
    name: str
    weight: int
    redis_only: bool = False
    forces_redraw: bool = False
    """A stage running then may be drawn again (its worker killed, or Redis lost it)."""


KINDS = (
    Kind("bot SIGKILL", 3),
    Kind("bot SIGTERM", 3),
    Kind("worker SIGKILL", 3, redis_only=True, forces_redraw=True),
    Kind("worker SIGTERM", 3, redis_only=True, forces_redraw=True),
    Kind("Redis restart, data kept", 2, redis_only=True, forces_redraw=True),
    Kind("Redis restart, data lost", 2, redis_only=True, forces_redraw=True),
    Kind("Discord 500s", 5),
    Kind("Discord 429s", 4),
    Kind("Discord timeouts", 3),
    Kind("expired interaction tokens", 3),
    Kind("bot token rejected", 1),
    Kind("gateway resume", 3),
)
FORCING = {kind.name for kind in KINDS if kind.forces_redraw}


class FaultSchedule:
    """Which fault comes next, from ``seed``; :meth:`inject` makes it happen."""

    def __init__(self, cluster: Cluster, seed: int) -> None:
        self.cluster = cluster
        self.random = random.Random(seed)
        self.kinds = [k for k in KINDS if cluster.redis is not None or not k.redis_only]
        self.injected: list[Injected] = []

    def inject(self) -> Injected:
        kind = self.random.choices(self.kinds, weights=[k.weight for k in self.kinds])[0]
        began = time.time()
        getattr(self, "_" + kind.name.lower().replace(",", "").replace(" ", "_"))()
        fault = Injected(kind.name, began, time.time())
        self.injected.append(fault)
        return fault

    def counts(self) -> Counter[str]:
        return Counter(fault.kind for fault in self.injected)

    # ---- processes ---------------------------------------------------------------------------

    def _bot_sigkill(self) -> None:
        self.cluster.signal_bot(signal.SIGKILL)

    def _bot_sigterm(self) -> None:
        self.cluster.signal_bot(signal.SIGTERM)

    def _worker_sigkill(self) -> None:
        self.cluster.signal_worker(self.random.randrange(8), signal.SIGKILL)

    def _worker_sigterm(self) -> None:
        self.cluster.signal_worker(self.random.randrange(8), signal.SIGTERM)

    def _redis_restart_data_kept(self) -> None:
        self.cluster.restart_redis(keep_data=True, down_seconds=self.random.uniform(0.5, 4))

    def _redis_restart_data_lost(self) -> None:
        self.cluster.restart_redis(keep_data=False, down_seconds=self.random.uniform(0.5, 4))

    # ---- Discord -----------------------------------------------------------------------------

    def _discord_500s(self) -> None:
        method = self.random.choice(["POST", "PATCH", "*"])
        self.cluster.fake.fail(method, ANY_WRITE, 500, times=self.random.randint(1, 6))

    def _discord_429s(self) -> None:
        method = self.random.choice(["POST", "PATCH", "*"])
        wait = self.random.uniform(0.2, 2.0)
        times = self.random.randint(1, 4)
        is_global = self.random.random() < 0.3
        self.cluster.fake.fail(
            method, ANY_WRITE, 429, times=times, retry_after=wait, is_global=is_global
        )

    def _discord_timeouts(self) -> None:
        method = self.random.choice(["POST", "PATCH"])
        seconds = self.random.uniform(2, 12)
        self.cluster.fake.hang(method, ANY_WRITE, seconds, times=self.random.randint(1, 2))

    def _expired_interaction_tokens(self) -> None:
        self.cluster.fake.expire_tokens()

    def _bot_token_rejected(self) -> None:
        """The bot's token reset: REST answers 401 and the gateway closes with 4004 (the bot
        stops: its token is no good), until the token is good again and the bot is restarted."""
        fake = self.cluster.fake
        fake.reject_token()
        fake.close_gateway(4004)
        time.sleep(self.random.uniform(1, 5))
        fake.reject_token(False)
        self.cluster.revive_bot()

    def _gateway_resume(self) -> None:
        self.cluster.fake.reconnect_gateway()
