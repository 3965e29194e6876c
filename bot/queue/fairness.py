"""Fair order for the image stage: users take turns.

Each job gets a *round* when it is admitted, one past its user's previous job (waiting or last
drawn) and never before the round being drawn now; the image stage draws the ready job with the
lowest ``(round, arrival)``. A user with five jobs thus waits behind a user with one, and a job
whose speech is not done yet keeps its place without holding up the jobs behind it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable


class FairOrder:
    """The jobs waiting for the image stage, by id, in round-robin order across users."""

    def __init__(self) -> None:
        self._keys: dict[str, tuple[int, int]] = {}
        """``(round, arrival)`` of each waiting job."""
        self._owners: dict[str, int] = {}
        self._arrivals = itertools.count()
        self._round = 0
        """Round of the job drawn last."""
        self._user_round: dict[int, int] = {}
        """Round of each user's job drawn last (users whose round is behind are dropped)."""

    def __contains__(self, job_id: object) -> bool:
        return job_id in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, job_id: str, user_id: int) -> None:
        """Place a new job one round past its user's previous one."""
        theirs = [self._keys[other][0] for other in self._of(user_id)]
        last = max(theirs, default=self._user_round.get(user_id, -1))
        self._keys[job_id] = (max(self._round, last + 1), next(self._arrivals))
        self._owners[job_id] = user_id

    def order(self) -> list[str]:
        """Waiting jobs in the order they would be drawn were all ready."""
        return sorted(self._keys, key=self._keys.__getitem__)

    def next(self, ready: Callable[[str], bool]) -> str | None:
        """The first job in the order for which ``ready`` holds."""
        candidates = [job_id for job_id in self._keys if ready(job_id)]
        return min(candidates, key=self._keys.__getitem__) if candidates else None

    def take(self, job_id: str) -> None:
        """A job leaves the order to be drawn: its round becomes the one being drawn."""
        round_, _ = self._keys.pop(job_id)
        user = self._owners.pop(job_id)
        self._round = max(self._round, round_)
        self._user_round[user] = max(self._user_round.get(user, -1), round_)
        self._user_round = {u: r for u, r in self._user_round.items() if r >= self._round}

    def remove(self, job_id: str) -> None:
        """A job leaves without being drawn: its user's later jobs move up a round."""
        theirs = sorted(self._of(self._owners[job_id]), key=self._keys.__getitem__)
        rounds = sorted(self._keys[other][0] for other in theirs)[:-1]
        del self._keys[job_id], self._owners[job_id]
        theirs.remove(job_id)
        for new_round, other in zip(rounds, theirs, strict=True):
            self._keys[other] = (new_round, self._keys[other][1])

    def _of(self, user_id: int) -> list[str]:
        return [job_id for job_id, owner in self._owners.items() if owner == user_id]
