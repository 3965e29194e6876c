"""The users of a chaos run: many of them, each sending slash commands, voice messages, button
presses (variations, upscales, rerolls) and cancels, from a seeded generator; every request is
recorded with what identifies its answer."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from tests.support.chaos.verdict import JobView, job_views
from tests.support.fake_discord import FakeDiscord, History

NEW_JOB_BUTTONS = ("vary", "upscale", "reroll")


@dataclass(frozen=True)
class Sent:
    """One request: ``kind`` is ``slash``, ``voice``, ``button`` or ``cancel``."""

    kind: str
    user: int
    at: float
    interaction: int | None = None
    message: int | None = None
    """A voice message's id (its answer replies to it)."""
    token: str | None = None
    """Written into a slash command's prompt: its job message shows it."""


class Users:
    """``count`` users in ``fake``'s server; :meth:`act` makes one of them send something."""

    def __init__(self, fake: FakeDiscord, count: int, seed: int, voice: bytes | None) -> None:
        self.fake = fake
        self.random = random.Random(seed)
        self.ids = [fake.add_user(f"user{n}") for n in range(count)]
        self.voice = voice
        self.sent: list[Sent] = []

    def act(self, history: History) -> Sent:
        """One request from a random user: mostly slash commands, then presses on the results
        and cancels of jobs in flight (when there are some), voice messages."""
        user = self.random.choice(self.ids)
        views = job_views(history)
        done = [v for v in views if v.done and v.custom_ids]
        running = [v for v in views if not v.final and v.user_name == f"user{self.ids.index(user)}"]
        roll = self.random.random()
        sent = None
        try:
            if roll < 0.15 and done:
                sent = self._press(user, self.random.choice(done))
            elif roll < 0.22 and running:
                sent = self._cancel(user, self.random.choice(running))
        except LookupError:  # the button went between the look and the press (the job ended)
            sent = None
        if sent is None and roll < 0.32 and self.voice is not None:
            message = self.fake.voice_message(user, self.voice, 2.0)
            sent = Sent("voice", user, time.time(), message=message)
        elif sent is None:
            sent = self._slash(user)
        self.sent.append(sent)
        return sent

    def _slash(self, user: int) -> Sent:
        token = f"chaos{len(self.sent)}"
        at = time.time()
        interaction = self.fake.slash(user, "imagine", prompt=f"{token} a lighthouse at dusk")
        return Sent("slash", user, at, interaction=interaction, token=token)

    def _press(self, user: int, view: JobView) -> Sent:
        choices = [c for c in view.custom_ids if c.split(":")[1] in NEW_JOB_BUTTONS]
        custom_id = self.random.choice(choices) if choices else view.custom_ids[0]
        at = time.time()
        interaction = self.fake.click(user, view.message, custom_id)
        return Sent("button", user, at, interaction=interaction)

    def _cancel(self, user: int, view: JobView) -> Sent | None:
        cancel = [c for c in view.custom_ids if c.startswith("s2i:cancel:")]
        if not cancel:
            return None
        at = time.time()
        interaction = self.fake.click(user, view.message, cancel[0])
        return Sent("cancel", user, at, interaction=interaction)
