"""The bot as the Discord tests run it: real engines (Whisper base, tiny diffusion) loaded once
per session, a fresh ``SpeechBot`` per test on its own SQLite store, and helpers to read what the
bot showed. The only addition is :class:`HeldEngines`, which can hold a draw at a test gate, or
let draws go on while the test acts (:class:`DrawsInFlight`: held at their first step, or slowed
down to watch their live previews)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import discord
import pytest
import simcord

from bot.config import LoraSettings, ModelSettings, Settings
from bot.engines.runner import Engines
from cogs.client import SpeechBot
from tests.support.discord_harness import DiscordHarness, Gate, MessageState


def bot_settings(tiny_sd_dir: Path, whisper_base_dir: Path, **changes: Any) -> Settings:
    settings = Settings(
        speech={"model": str(whisper_base_dir), "device": "cpu", "local_files_only": True},
        image={"model": str(tiny_sd_dir), "device": "cpu", "local_files_only": True},
        defaults={"width": 64, "height": 64, "steps": 2, "count": 2},
        limits={"min_side": 64, "max_audio_seconds": 30},
        discord={"auto_voice": True, "progress_edit_seconds": 0.2},
        queue={"per_user_limit": 3},
        metrics={"enabled": False},
    )
    for section, values in changes.items():
        settings = settings.model_copy(
            update={section: getattr(settings, section).model_copy(update=values)}
        )
    return settings


@pytest.fixture(scope="session")
def more_models(tiny_sd_dir: Path, tiny_sd_narrow_dir: Path, tiny_lora_dir: Path) -> dict[str, Any]:
    """The image settings' other models: ``narrow`` (another tiny pipeline, Euler) and ``styled``
    (the default weights with the LoRA style ``ink``); each loads on first use."""
    ink = LoraSettings(path=tiny_lora_dir)
    return {
        "models": {
            "narrow": ModelSettings(source=str(tiny_sd_narrow_dir), sampler="euler"),
            "styled": ModelSettings(source=str(tiny_sd_dir), loras={"ink": ink}),
        },
        "max_resident_models": 3,
    }


@pytest.fixture(scope="session")
def engines(tiny_sd_dir: Path, whisper_base_dir: Path, more_models: dict[str, Any]):
    engines = Engines(bot_settings(tiny_sd_dir, whisper_base_dir, image=more_models))
    engines.start_loading().result()
    yield engines
    engines.close()


class DrawsInFlight:
    """Draws that go on while the test acts (a click while a picture is drawn).

    The bot's wait for each draw is declared to simcord as an external wait, so a command returns
    once its draw is handed to the image engine, not when it ends (wait for that with
    ``DiscordHarness.wait_for``, or :func:`watch` it). The next ``hold`` draws to report a step
    stop there, on the engine's worker thread, until their job is stopped (by its Cancel button):
    the worker stays busy meanwhile, so the jobs that come next wait for it together. With
    ``step_seconds``, each denoising step takes that much longer, so a test advancing the virtual
    clock sees the live previews.
    """

    LIMIT = 300.0
    """Real seconds a held draw waits for its stop before it goes on (the test then fails)."""

    def __init__(self, env: simcord.Env, *, hold: int = 0, step_seconds: float = 0.0) -> None:
        self._env = env
        self._to_hold = hold
        self._step_seconds = step_seconds
        self._lock = threading.Lock()
        self.held = 0
        """Draws stopped at their first step now."""

    async def draw(
        self,
        engines: Engines,
        options: Any,
        on_step: Callable[[int, int], None],
        should_stop: Callable[[], bool],
        **kwargs: Any,
    ) -> Any:
        first = threading.Event()

        def step(done: int, total: int) -> None:  # on the draw thread
            time.sleep(self._step_seconds)
            on_step(done, total)
            if not first.is_set():
                first.set()
                self._hold(should_stop)

        drawing = engines.draw(options, step, should_stop, **kwargs)
        return await self._env.external_wait(drawing, reason="a draw in flight")

    def _hold(self, should_stop: Callable[[], bool]) -> None:
        with self._lock:
            if not self._to_hold:
                return
            self._to_hold -= 1
            self.held += 1
        deadline = time.monotonic() + self.LIMIT
        while not should_stop() and time.monotonic() < deadline:
            time.sleep(0.01)
        with self._lock:
            self.held -= 1


class HeldEngines:
    """The real engines, with each draw held at a test gate (``held["gate"]``) until the test
    releases it, or drawn in flight (``held["in_flight"]``, a :class:`DrawsInFlight`); the
    keywords of every draw are recorded (variation, safety_check) for the tests to inspect."""

    def __init__(self, engines: Engines, held: dict[str, Any]) -> None:
        self._engines = engines
        self._held = held
        self.draws: list[dict[str, Any]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engines, name)

    async def draw(self, *args: Any, **kwargs: Any) -> Any:
        self.draws.append(kwargs)
        gate: Gate | None = self._held.get("gate")
        if gate is not None:
            await gate.wait()
        in_flight: DrawsInFlight | None = self._held.get("in_flight")
        if in_flight is not None:
            return await in_flight.draw(self._engines, *args, **kwargs)
        return await self._engines.draw(*args, **kwargs)


@pytest.fixture
def held() -> dict[str, Any]:
    """``gate``: a :class:`Gate` every draw waits at; ``in_flight``: :class:`DrawsInFlight`."""
    return {"gate": None, "in_flight": None}


@pytest.fixture
def settings(
    tiny_sd_dir: Path, whisper_base_dir: Path, more_models: dict[str, Any], tmp_path: Path
) -> Settings:
    store = {"path": tmp_path / "jobs.sqlite3"}
    return bot_settings(tiny_sd_dir, whisper_base_dir, image=more_models, store=store)


@pytest.fixture
def make_bot(settings: Settings, engines: Engines, held: dict[str, Any]):
    def make() -> SpeechBot:
        return SpeechBot(settings, HeldEngines(engines, held))  # type: ignore[arg-type]

    return make


async def retry_for(h: DiscordHarness, seconds: float) -> None:
    """Let the deliverer's backoff timers run (they are virtual under simcord)."""
    for _ in range(int(seconds // 5)):
        await h.env.advance_time(5)


def final_state(h: DiscordHarness, message: Any):
    return h.edits_of(message)[-1]


def titles(h: DiscordHarness, message: Any) -> list[str]:
    return [state.embeds[0]["title"] for state in h.edits_of(message) if state.embeds]


def job_id(state) -> str:
    """The job id in a job message's footer (``job <id> · <user>…``)."""
    return state.embeds[0]["footer"]["text"].split()[1]


def reply_to(h: DiscordHarness, message: Any) -> discord.Message:
    """The bot's reply to ``message`` (a voice message it heard)."""
    return next(m for m in h.messages() if m.reference and m.reference.message_id == message.id)


def fields(state) -> dict[str, str]:
    return {field["name"]: field["value"] for field in state.embeds[0].get("fields", [])}


def heard_texts(state) -> dict[str, str]:
    """What a job message shows it heard, by title: the job embed's fields, and the embeds after
    it (a text too long for a field, its pieces joined)."""
    shown = fields(state)
    title = ""
    for embed in state.embeds[1:]:
        title = embed.get("title") or title
        piece = embed["description"]
        shown[title] = f"{shown[title]} {piece}" if embed.get("title") is None else piece
    return shown


async def pngs(message: discord.Message) -> list[bytes]:
    return [await attachment.read() for attachment in message.attachments]


def latest(h: DiscordHarness, message_id: int) -> discord.Message:
    return next(m for m in h.messages() if m.id == message_id)


def answer(result: Any) -> Any:
    """The bot's public message for an interaction: its response (a command's, a click's or a
    form's "thinking…" message), or its newest public follow-up where it has one (a re-listen's
    refusal leaves the clicked message as its response)."""
    public = [message for message in result.followups if not message.ephemeral]
    return public[-1] if public else result.response


def told_privately(result: Any) -> str | None:
    """What the user alone was told: an ephemeral response or follow-up (None if nothing)."""
    for message in [*reversed(result.followups), result.response]:
        if message is not None and message.ephemeral:
            return message.content
    return None


STEP_SECONDS = 0.1
"""A slow draw's steps take this much longer."""


@pytest.fixture
def slow_draws(
    held: dict[str, Any], engines, discord_env: simcord.Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slow draws, the engine making a preview every 0.05 s (within its 5 % budget)."""
    held["in_flight"] = DrawsInFlight(discord_env, step_seconds=STEP_SECONDS)
    generator = engines.generator
    quick = generator.settings.model_copy(update={"preview_seconds": 0.05})
    monkeypatch.setattr(generator, "settings", quick)


async def watch(
    h: DiscordHarness, until: Callable[[], bool], each: Callable[[], Any] | None = None
) -> None:
    """Move simcord's clock on, a quarter second at a time, while the draw runs in real time,
    until ``until()`` (``each()`` after every tick, awaited when it is a coroutine)."""
    deadline = time.perf_counter() + 120
    while not until():
        assert time.perf_counter() < deadline, "the job did not finish"
        await h.env.advance_time(0.25)
        if each is not None:
            outcome = each()
            if asyncio.iscoroutine(outcome):
                await outcome
        await asyncio.sleep(0.05)


def previews_in(h: DiscordHarness, states: list[MessageState]) -> list[bytes]:
    """The preview each state showed (its ``preview.jpg``, which its embed shows), in order."""
    shown = []
    for state in states:
        for attachment in state.attachments:
            if attachment["filename"] == "preview.jpg":
                shown.append(h.env.backend.cdn.get(attachment["url"]))
                assert state.embeds[0]["image"]["url"].endswith("preview.jpg")
    return shown
