"""The bot as the Discord tests run it: real engines (Whisper base, tiny diffusion) loaded once
per session, a fresh ``SpeechBot`` per test on its own SQLite store, and helpers to read what the
bot showed. The only addition is :class:`HeldEngines`, which can hold a draw at a test gate."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.config import LoraSettings, ModelSettings, Settings
from bot.engines.runner import Engines
from cogs.client import SpeechBot
from tests.support.discord_harness import DiscordHarness, Gate


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


class HeldEngines:
    """The real engines, with each draw held at a test gate until the test releases it, and the
    keywords of every draw recorded (variation, safety_check) for the tests to inspect."""

    def __init__(self, engines: Engines, gate: Callable[[], Gate | None]) -> None:
        self._engines = engines
        self._gate = gate
        self.draws: list[dict[str, Any]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engines, name)

    async def draw(self, *args: Any, **kwargs: Any) -> Any:
        self.draws.append(kwargs)
        gate = self._gate()
        if gate is not None:
            await gate.wait()
        return await self._engines.draw(*args, **kwargs)


@pytest.fixture
def held() -> dict[str, Gate | None]:
    return {"gate": None}


@pytest.fixture
def settings(
    tiny_sd_dir: Path, whisper_base_dir: Path, more_models: dict[str, Any], tmp_path: Path
) -> Settings:
    store = {"path": tmp_path / "jobs.sqlite3"}
    return bot_settings(tiny_sd_dir, whisper_base_dir, image=more_models, store=store)


@pytest.fixture
def make_bot(settings: Settings, engines: Engines, held: dict[str, Gate | None]):
    def make() -> SpeechBot:
        return SpeechBot(settings, HeldEngines(engines, lambda: held["gate"]))  # type: ignore[arg-type]

    return make


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
    """The bot's public message for an interaction: a click's or form's is a follow-up (they are
    acknowledged invisibly), a command's is its response."""
    public = [message for message in result.followups if not message.ephemeral]
    return public[-1] if public else result.response


def told_privately(result: Any) -> str | None:
    """What the user alone was told: an ephemeral response or follow-up (None if nothing)."""
    for message in [*reversed(result.followups), result.response]:
        if message is not None and message.ephemeral:
            return message.content
    return None
