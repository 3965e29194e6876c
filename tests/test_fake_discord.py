"""The bot's real entry point (``python -m bot run``, a process of its own) against the fake
Discord on 127.0.0.1 (REST, gateway, CDN): the fake is faithful enough for discord.py to log in,
sync, answer, retry and resume through it, and the bot's promises hold across that boundary."""

from __future__ import annotations

import signal
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.infra.process import ExitCode
from cogs.attachments import PREVIEW_FILENAME
from tests.support.bot_process import BotProcess, bot_environment
from tests.support.fake_discord import FakeDiscord, History, MessageState

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JOB_WAIT = 240.0
"""Seconds a job may take on a loaded 2-core machine (a generous limit, not a measurement)."""


def finished(state: MessageState) -> bool:
    return (state.title or "").startswith(("✅", "📝", "❌", "🚫"))


def job_of(state: MessageState) -> str:
    """The job id in a job message's footer (``job <id> · <user>``)."""
    return state.embeds[0]["footer"]["text"].split()[1]


def public_answer(interaction_id: int) -> Callable[[History], MessageState | None]:
    """The interaction's one public message, once it shows a finished job."""

    def check(history: History) -> MessageState | None:
        public = [m for m in history.messages_of_interaction(interaction_id) if not m.ephemeral]
        return public[0] if len(public) == 1 and finished(public[0]) else None

    return check


def imagine(fake: FakeDiscord, user: int, prompt: str) -> MessageState:
    """``/imagine prompt count:1 steps:2``, and its finished message."""
    interaction = fake.slash(user, "imagine", prompt=prompt, count=1, steps=2)
    return fake.wait_for(public_answer(interaction), timeout=JOB_WAIT, what="picture")


def download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read()


def assert_one_picture_with_buttons(state: MessageState) -> None:
    assert state.title == "✅ Done", state.title
    assert len(state.attachments) == 1 and state.filenames[0].endswith(".png")
    assert download(state.attachments[0]["url"]).startswith(PNG_MAGIC)
    job = job_of(state)
    assert f"s2i:reroll:{job}" in state.custom_ids
    assert not state.pinged


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord() as fake:
        yield fake
        assert not fake.problems


@pytest.fixture(scope="module")
def user(fake: FakeDiscord) -> int:
    return fake.add_user("alice")


@pytest.fixture(scope="module")
def start_bot(
    tiny_sd_dir: Path, whisper_base_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., BotProcess]]:
    """``start(fake, folder=None, **sections)``: a bot process (its store in ``folder``)."""
    started: list[BotProcess] = []

    def start(fake: FakeDiscord, folder: Path | None = None, **sections: Any) -> BotProcess:
        folder = folder or tmp_path_factory.mktemp("bot")
        env = bot_environment(
            fake, folder, image_model=tiny_sd_dir, speech_model=whisper_base_dir, **sections
        )
        started.append(BotProcess(env))
        return started[-1]

    yield start
    for bot in started:
        bot.__exit__()


@pytest.fixture(scope="module")
def bot(fake: FakeDiscord, start_bot: Callable[..., BotProcess]) -> BotProcess:
    bot = start_bot(fake, discord={"auto_voice_channels": [fake.channel_id]})
    bot.wait_serving()
    return bot


@pytest.mark.slow
def test_the_bot_logs_in_syncs_its_commands_and_draws_one_picture(
    fake: FakeDiscord, bot: BotProcess, user: int
) -> None:
    history = fake.history()
    [identify] = history.received(2)
    assert discord.Intents._from_value(identify.data["intents"]).message_content  # auto mode
    assert len(history.dispatched("READY")) == 1
    [sync] = history.command_syncs()
    assert {"imagine", "settings", "help"} <= {command["name"] for command in sync.body}

    state = imagine(fake, user, "a red cat")
    assert_one_picture_with_buttons(state)
    history = fake.history()
    assert history.states_of(state.id)[0].loading  # deferred: "thinking…" first
    assert history.job_messages(job_of(state)) == [state]
    pictures = [f.filename for f in history.files_sent() if f.filename != PREVIEW_FILENAME]
    assert pictures == state.filenames  # each sent once (a slow draw also sends live previews)
    assert not history.pinging() and not history.ephemeral_requests()


@pytest.mark.slow
def test_re_roll_makes_a_new_job_in_a_new_message(
    fake: FakeDiscord, bot: BotProcess, user: int
) -> None:
    shown = imagine(fake, user, "a blue dog")
    click = fake.click(user, shown.id, f"s2i:reroll:{job_of(shown)}")
    again = fake.wait_for(public_answer(click), timeout=JOB_WAIT, what="re-rolled picture")
    assert again.id != shown.id and job_of(again) != job_of(shown)
    assert_one_picture_with_buttons(again)


@pytest.mark.slow
def test_the_edit_form_draws_the_prompt_typed_in_it(
    fake: FakeDiscord, bot: BotProcess, user: int
) -> None:
    shown = imagine(fake, user, "a red apple")
    edit = fake.click(user, shown.id, f"s2i:edit:{job_of(shown)}")
    fake.wait_for(lambda h: h.requests_to("POST", f"/interactions/{edit}/*"), timeout=60)
    submitted = fake.submit_form(edit, prompt="a green apple")
    state = fake.wait_for(public_answer(submitted), timeout=JOB_WAIT, what="edited picture")
    assert_one_picture_with_buttons(state)
    assert "a green apple" in str(state.embeds[0])


@pytest.mark.slow
def test_a_voice_message_ends_in_pictures_in_a_reply(
    fake: FakeDiscord, bot: BotProcess, user: int, english_voice_message: bytes
) -> None:
    voice = fake.voice_message(user, english_voice_message, duration=3.0)

    def reply(history: History) -> MessageState | None:
        replies = history.replies_to(voice)
        return replies[0] if len(replies) == 1 and finished(replies[0]) else None

    state = fake.wait_for(reply, timeout=JOB_WAIT, what="reply with pictures")
    assert state.title == "✅ Done", state.title
    assert state.filenames and all(name.endswith(".png") for name in state.filenames)
    assert not state.pinged
    assert any(path.endswith("voice-message.ogg") for _, path in fake.cdn_fetches())


@pytest.mark.slow
def test_the_message_menu_transcribes_a_voice_message(
    fake: FakeDiscord, bot: BotProcess, user: int, english_voice_message: bytes
) -> None:
    quiet = fake.add_channel("quiet")  # auto mode listens in the first channel only
    voice = fake.voice_message(user, english_voice_message, duration=3.0, channel=quiet)
    asked = fake.message_command(user, "Transcribe voice message", voice, channel=quiet)
    state = fake.wait_for(public_answer(asked), timeout=JOB_WAIT, what="transcript")
    assert state.title == "📝 Transcribed", state.title
    assert "apple" in str(state.embeds[0]).lower()


@pytest.mark.slow
def test_two_500s_and_a_429_still_end_in_one_final_result(
    fake: FakeDiscord, bot: BotProcess, user: int
) -> None:
    edits = "/webhooks/*/messages/@original"
    errors = fake.fail("PATCH", edits, 500, times=2)
    limited = fake.fail("PATCH", edits, 429, retry_after=0.5)

    assert_one_picture_with_buttons(imagine(fake, user, "a green horse"))
    assert (errors.hits, limited.hits) == (2, 1)


@pytest.mark.slow
def test_a_bot_killed_mid_draw_finishes_the_job_in_the_same_message_after_a_restart(
    start_bot: Callable[..., BotProcess], tmp_path: Path
) -> None:
    with FakeDiscord() as fake:
        user = fake.add_user("bob")
        bot = start_bot(fake, tmp_path)
        bot.wait_serving()
        interaction = fake.slash(user, "imagine", prompt="a moon city", count=2, steps=50)

        def drawing(history: History) -> MessageState | None:
            states = history.messages_of_interaction(interaction)
            drawn = [s for s in states if (s.title or "").startswith("🎨 Drawing — step")]
            return drawn[0] if drawn else None

        before = fake.wait_for(drawing, timeout=JOB_WAIT, what="drawing progress")
        assert bot.kill() == -9
        assert not finished(fake.history().final_state(before.id))  # killed mid-draw

        restarted = start_bot(fake, tmp_path)
        state = fake.wait_for(public_answer(interaction), timeout=JOB_WAIT, what="pictures")
        assert state.id == before.id and job_of(state) == job_of(before)
        assert state.title == "✅ Done" and len(state.attachments) == 2
        restarted.signal(signal.SIGTERM)
        assert restarted.wait() == 0
        assert not fake.problems


@pytest.mark.slow
def test_a_rejected_token_ends_the_start_in_a_login_failure(
    start_bot: Callable[..., BotProcess], tmp_path: Path
) -> None:
    with FakeDiscord() as fake:
        fake.reject_token()
        bot = start_bot(fake, tmp_path)
        assert bot.wait() == ExitCode.TOKEN_REJECTED
        assert "error: Discord rejected the token (401)" in bot.output
        assert [r.status for r in fake.history().requests_to("GET", "/users/@me")] == [401]
        assert not fake.history().received(2)  # never identified
