"""A start that says what to do next: the commands synced only when they changed (through real
discord.py under simcord), the invite URL the README promises, Discord's noise in one line."""

from __future__ import annotations

import logging
import re
import socket
import sys
import urllib.request
from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.config import StoreSettings
from bot.infra.process import ExitCode, StartFailure
from bot.infra.store import JobStore
from cogs.connection import Reconnects, greeting, invite_url
from tests.support.bot_process import BotProcess, bot_environment, environment
from tests.support.discord_harness import DiscordHarness
from tests.support.fake_discord import FakeDiscord

pytestmark = pytest.mark.simcord(settle_timeout=60)
ROOT = Path(__file__).resolve().parents[1]
WAIT = 240.0
"""Seconds a process may take to reach a state (a generous limit on a loaded 2-core machine)."""


def command_syncs(h: DiscordHarness) -> list[str]:
    """The bulk command uploads the bot made (global or to one server)."""
    requests = h.env.backend.http_requests
    return [r.path for r in requests if r.method == "PUT" and r.path.endswith("/commands")]


async def test_commands_are_synced_once_then_only_when_they_change(discord_harness: DiscordHarness):
    h = discord_harness
    assert len(command_syncs(h)) == 1  # the first start: nothing recorded yet
    await h.restart_bot()
    assert len(command_syncs(h)) == 1  # the same commands: not again

    async def with_a_new_command(bot: discord.Client) -> None:
        @app_commands.command(name="ping", description="Is the bot there?")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pong", ephemeral=True)

        h.bot.tree.add_command(ping)

    await restart_with(h, with_a_new_command)
    assert len(command_syncs(h)) == 2


class Shouting(app_commands.Translator):
    """A translation of every string into French, in capitals."""

    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: Any
    ) -> str | None:
        return string.message.upper() if locale is discord.Locale.french else None


async def test_a_new_translation_is_a_change_to_sync(discord_harness: DiscordHarness):
    h = discord_harness
    assert len(command_syncs(h)) == 1

    async def translated(bot: discord.Client) -> None:
        await h.bot.tree.set_translator(Shouting())

    await restart_with(h, translated)
    assert len(command_syncs(h)) == 2
    await restart_with(h, translated)
    assert len(command_syncs(h)) == 2  # the same translations: not again


async def restart_with(h: DiscordHarness, change) -> None:
    """Restart the bot with ``change(bot)`` applied to its command tree before it syncs."""
    original = type(h.bot).load_cogs

    async def load_cogs(bot) -> None:
        await original(bot)
        await change(bot)

    type(h.bot).load_cogs = load_cogs  # type: ignore[method-assign]
    try:
        await h.restart_bot()
    finally:
        type(h.bot).load_cogs = original  # type: ignore[method-assign]


README_PERMISSIONS = {
    "View Channels": "view_channel",
    "Send Messages": "send_messages",
    "Send Messages in Threads": "send_messages_in_threads",
    "Embed Links": "embed_links",
    "Attach Files": "attach_files",
    "Read Message History": "read_message_history",
}


def test_the_invite_asks_for_the_readme_permissions_and_both_scopes():
    url = invite_url(1234)
    assert "client_id=1234" in url and "scope=bot+applications.commands" in url
    asked = int(re.search(r"permissions=(\d+)", url).group(1))
    wanted = discord.Permissions(**dict.fromkeys(README_PERMISSIONS.values(), True))
    assert discord.Permissions(asked) == wanted
    readme = (ROOT / "README.md").read_text()
    assert all(f"*{label}*" in readme for label in README_PERMISSIONS)
    assert f"permissions integer {asked}" in readme


def test_the_greeting_says_who_where_and_how_to_invite():
    alone = greeting("Drawbot", 42, 0, 42)
    assert alone[0] == "Logged in as Drawbot (id 42), in no server yet"
    assert "Invite it to a server first" in alone[1] and alone[1].endswith(invite_url(42))
    assert greeting("Drawbot", 42, 3, 42)[0] == "Logged in as Drawbot (id 42), in 3 servers"


def test_a_reconnect_is_one_line_without_its_traceback():
    try:
        raise OSError("Cannot connect to host gateway.discord.gg:443")
    except OSError:
        info = sys.exc_info()
    record = logging.LogRecord(
        "discord.client",
        logging.ERROR,
        __file__,
        1,
        "Attempting a reconnect in %.2fs",
        (4.2,),
        info,
    )
    assert Reconnects().filter(record)
    assert record.exc_info is None and record.levelno == logging.WARNING
    line = logging.Formatter("%(levelname)s %(message)s").format(record)
    assert line == (
        "WARNING lost the connection to Discord (OSError: Cannot connect to host "
        "gateway.discord.gg:443); Attempting a reconnect in 4.20s"
    )


async def test_a_store_that_cannot_be_written_is_one_start_failure(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")  # a folder that is a file: unwritable even for root
    store = JobStore(StoreSettings(path=blocker / "jobs.sqlite3"))
    with pytest.raises(StartFailure) as failed:
        await store.open()
    assert failed.value.code is ExitCode.STORE_NOT_WRITABLE
    assert str(blocker) in failed.value.said and "store.path" in failed.value.fix
    assert "\n" not in str(failed.value)
    await store.close()


async def test_markers_are_kept(tmp_path: Path):
    store = JobStore(StoreSettings(path=tmp_path / "jobs.sqlite3"))
    await store.open()
    assert await store.marker("commands:1:global") is None
    await store.set_marker("commands:1:global", "abc")
    await store.set_marker("commands:1:global", "def")
    await store.close()
    again = JobStore(StoreSettings(path=tmp_path / "jobs.sqlite3"))
    await again.open()
    assert await again.marker("commands:1:global") == "def"
    await again.close()


def errors(output: str) -> list[str]:
    """The lines that say why a start stopped (``error: …``)."""
    return [line for line in output.splitlines() if line.startswith("error: ")]


def assert_one_line(bot: BotProcess, code: ExitCode, said: str) -> None:
    assert bot.wait(WAIT) == code, bot.output
    assert "Traceback" not in bot.output
    [error] = errors(bot.output)
    assert error.startswith(f"error: {said}"), bot.output


@pytest.mark.parametrize(
    ("case", "code", "said"),
    [
        (
            "no token",
            ExitCode.NO_TOKEN,
            "no Discord token: set DISCORD_TOKEN or discord.token_file",
        ),
        ("store", ExitCode.STORE_NOT_WRITABLE, "The job store"),
        ("port", ExitCode.PORT_UNAVAILABLE, "The health and metrics port"),
    ],
)
def test_a_start_that_cannot_go_on_is_one_line_and_its_own_exit_code(
    tmp_path: Path, case: str, code: ExitCode, said: str
):
    blocker = tmp_path / "a-file"
    blocker.write_text("")  # a folder that is a file: unwritable even for root
    store = (blocker if case == "store" else tmp_path) / "jobs.sqlite3"
    with socket.create_server(("127.0.0.1", 0)) as taken:
        metrics = {"host": "127.0.0.1", "port": taken.getsockname()[1], "enabled": case == "port"}
        settings = {"store": {"path": str(store)}, "metrics": metrics}
        token = None if case == "no token" else "a.b.c"
        with BotProcess(environment(tmp_path, settings, token=token)) as bot:
            assert_one_line(bot, code, said)


@pytest.mark.slow
@pytest.mark.parametrize("portal", ["token reset", "intent off"])
def test_discord_refuses(tmp_path: Path, tiny_sd_dir: Path, whisper_base_dir: Path, portal: str):
    with FakeDiscord() as fake:
        if portal == "token reset":
            fake.reject_token()
        else:
            fake.set_privileged_intents()
        env = bot_environment(
            fake, tmp_path, image_model=tiny_sd_dir, speech_model=whisper_base_dir
        )
        with BotProcess(env) as bot:
            if portal == "token reset":
                assert_one_line(bot, ExitCode.TOKEN_REJECTED, "Discord rejected the token (401)")
                assert "Reset Token" in errors(bot.output)[0]
            else:
                said = "The privileged Message Content intent, which discord.auto_voice = true"
                assert_one_line(bot, ExitCode.INTENT_NOT_ENABLED, said)
                portal_page = f"/applications/{fake.application_id}/bot"
                assert portal_page in errors(bot.output)[0]


@pytest.mark.slow
def test_unreachable_then_serving_says_who_it_is_and_how_to_invite_it(
    tmp_path: Path, tiny_sd_dir: Path, whisper_base_dir: Path
):
    with FakeDiscord() as fake:
        fake.go_offline("refuse")
        env = bot_environment(
            fake, tmp_path, image_model=tiny_sd_dir, speech_model=whisper_base_dir
        )
        with BotProcess(env) as bot:
            bot.wait_until(
                lambda: bot.output.count("Discord is unreachable") >= 2, WAIT, "to retry"
            )
            assert bot.health() == 503  # live (it answers) but not ready
            with urllib.request.urlopen(bot.metrics_url + "/livez", timeout=10) as live:
                assert live.status == 200
            attempts = [
                line for line in bot.output.splitlines() if "Discord is unreachable" in line
            ]
            assert "(attempt 1)" in attempts[0] and "(attempt 2)" in attempts[1]
            fake.come_back()
            bot.wait_serving(WAIT)
            bot.signal()
            assert bot.wait(WAIT) == ExitCode.OK
    lines = bot.output.splitlines()
    [greeting] = [line for line in lines if "Logged in as" in line]
    assert greeting.endswith(f"Logged in as Speech2Image (id {fake.bot_user_id}), in 1 server")
    [invite] = [line for line in lines if "Invite it to more servers" in line]
    assert f"client_id={fake.application_id}&scope=bot+applications.commands" in invite
    assert "permissions=274878024704" in invite
    assert not [line for line in lines if "PyNaCl" in line or "davey" in line]
    assert "Traceback" not in bot.output and "torchvision" not in bot.output


@pytest.mark.slow
def test_sync_forces_and_run_syncs_only_a_change(
    tmp_path: Path, tiny_sd_dir: Path, whisper_base_dir: Path
):
    with FakeDiscord() as fake:
        env = bot_environment(
            fake, tmp_path, image_model=tiny_sd_dir, speech_model=whisper_base_dir
        )
        for command in ("sync", "sync", f"sync --guild {fake.guild_id}"):
            with BotProcess(env, command) as sync:
                assert sync.wait(WAIT) == ExitCode.OK, sync.output
        syncs = [r.path for r in fake.history().command_syncs()]
        assert len(syncs) == 3 and "/guilds/" in syncs[2]
        with BotProcess(env) as bot:
            unchanged = "application commands unchanged since the last sync"
            bot.wait_until(lambda: unchanged in bot.output, WAIT, "to skip the sync")
            bot.signal()
            assert bot.wait(WAIT) == ExitCode.OK
        assert len(fake.history().command_syncs()) == 3
