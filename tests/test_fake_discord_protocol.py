"""The fake Discord against the real discord.py client in this process (fast): the gateway's
RESUME replays what a client missed, an invalid session makes it identify anew, a privileged
intent the portal has not enabled closes with 4014, Discord unreachable is survived, and REST
answers 401 / 50027 / Discord's limits and its idempotent message create as Discord does."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import discord
import pytest
import pytest_asyncio
from discord.gateway import DiscordWebSocket
from discord.http import Route

from cogs.api_base import follow_gateway, use_api_base
from tests.support.fake_discord import FakeDiscord, History

RESUME, IDENTIFY = 6, 2


class Client(discord.Client):
    """A plain client with message content, logging in through the fake like the bot does."""

    def __init__(self, fake: FakeDiscord, **options: Any) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(intents=intents, **options)
        self.fake = fake
        self.seen: list[str] = []

    async def login(self, token: str) -> None:
        use_api_base(self.fake.api_base)
        await super().login(token)
        await follow_gateway(self.http)

    async def on_message(self, message: discord.Message) -> None:
        self.seen.append(message.content)


@pytest.fixture(autouse=True)
def _discord_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """use_api_base and follow_gateway set discord.py's class defaults: restored after a test."""
    monkeypatch.setattr(Route, "BASE", Route.BASE)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord() as fake:
        yield fake
        assert not fake.problems


@pytest_asyncio.fixture(loop_scope="function")
async def client(fake: FakeDiscord) -> AsyncIterator[Client]:
    client = Client(fake)
    running = asyncio.create_task(client.start(fake.token))
    await asyncio.wait_for(client.wait_until_ready(), 60)
    yield client
    await client.close()
    await asyncio.wait_for(running, 30)


async def until(fake: FakeDiscord, check: Any, what: str) -> Any:
    """``fake.wait_for`` off this loop, which runs the client."""
    return await asyncio.to_thread(fake.wait_for, check, timeout=60, what=what)


async def seen(client: Client, text: str) -> None:
    for _ in range(600):
        if text in client.seen:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the client never saw {text!r} (it saw {client.seen})")


@pytest.mark.asyncio(loop_scope="function")
async def test_a_reconnect_resumes_and_replays_what_the_client_missed(
    fake: FakeDiscord, client: Client
) -> None:
    alice = fake.add_user("alice")
    fake.post(alice, "before")
    await seen(client, "before")

    fake.reconnect_gateway()
    fake.post(alice, "during")  # sent after op 7: the client drops it and gets it on RESUME
    await until(fake, lambda h: h.dispatched("RESUMED"), "RESUMED")
    await seen(client, "during")
    assert client.seen == ["before", "during"]
    history = fake.history()
    assert len(history.received(IDENTIFY)) == 1 and len(history.received(RESUME)) == 1


@pytest.mark.asyncio(loop_scope="function")
async def test_an_invalid_session_makes_the_client_identify_again(
    fake: FakeDiscord, client: Client
) -> None:
    fake.invalidate_session(resumable=False)
    await until(fake, lambda h: len(h.dispatched("READY")) == 2, "a second READY")
    alice = fake.add_user("alice")
    fake.post(alice, "after")
    await seen(client, "after")


@pytest.mark.asyncio(loop_scope="function")
@pytest.mark.parametrize("how", ["refuse", "hang"])
async def test_discord_unreachable_then_back_the_client_resumes(
    fake: FakeDiscord, client: Client, how: str
) -> None:
    fake.go_offline(how)
    if how == "hang":
        fake.close_gateway(4000)  # the socket ends; reconnecting finds no answer
    await asyncio.sleep(1.0)
    fake.come_back()
    await until(fake, lambda h: h.dispatched("RESUMED"), "RESUMED after the outage")
    alice = fake.add_user("alice")
    fake.post(alice, "back")
    await seen(client, "back")


@pytest.mark.asyncio(loop_scope="function")
async def test_a_privileged_intent_the_portal_has_not_enabled_closes_with_4014(
    fake: FakeDiscord,
) -> None:
    fake.set_privileged_intents()
    client = Client(fake)
    with pytest.raises(discord.PrivilegedIntentsRequired):
        await asyncio.wait_for(client.start(fake.token), 60)
    await client.close()
    [closed] = [f for f in fake.history().frames if f.direction == "closed"]
    assert closed.data == 4014


@pytest.mark.asyncio(loop_scope="function")
async def test_a_rejected_token_is_a_login_failure(fake: FakeDiscord) -> None:
    fake.reject_token()
    client = Client(fake)
    with pytest.raises(discord.LoginFailure):
        await client.login(fake.token)
    await client.close()


@pytest.mark.asyncio(loop_scope="function")
async def test_rest_answers_as_discord_does(fake: FakeDiscord, client: Client) -> None:
    channel = client.get_partial_messageable(fake.channel_id)
    with pytest.raises(discord.HTTPException) as too_long:
        await channel.send("x" * 2001)
    assert too_long.value.status == 400 and too_long.value.code == 50035
    files = [discord.File(io.BytesIO(b"x"), f"{n}.txt") for n in range(11)]
    with pytest.raises(discord.HTTPException) as too_many:
        await channel.send(files=files)
    assert too_many.value.code == 50035
    big = discord.File(io.BytesIO(bytes(10 * 1024 * 1024 + 1)), "big.bin")
    with pytest.raises(discord.HTTPException) as too_big:
        await channel.send(file=big)
    assert (too_big.value.status, too_big.value.code) == (413, 40005)

    fake.fail("POST", "/channels/*/messages", 500, times=2)
    fake.fail("POST", "/channels/*/messages", 429, retry_after=0.2)
    sent = await channel.send("through", file=discord.File(io.BytesIO(b"png"), "a.png"))
    history: History = fake.history()
    assert [r.status for r in history.requests_to("POST", "/channels/*/messages")][-4:] == [
        500,
        500,
        429,
        200,
    ]
    assert history.final_state(sent.id).filenames == ["a.png"]
    assert await sent.attachments[0].read() == b"png"  # from the fake's CDN

    held = fake.hang("POST", "/channels/*/messages", seconds=0.3)
    with pytest.raises(aiohttp.ServerDisconnectedError):  # no answer: the connection dropped
        await channel.send("held")
    assert held.hits == 1 and fake.history().requests[-1].status == 0


@pytest.mark.asyncio(loop_scope="function")
async def test_a_create_repeating_a_nonce_answers_the_first_message(
    fake: FakeDiscord, client: Client
) -> None:
    """discord.py sends ``enforce_nonce`` with every nonce: within 5 minutes a repeat answers the
    message the first create made, once that message is gone or the 5 minutes are over it
    creates another; a nonce over 25 characters is refused."""
    channel = client.get_partial_messageable(fake.channel_id)
    first = await channel.send("once", nonce="n-1")
    assert (await channel.send("again", nonce="n-1")).id == first.id
    assert (await channel.send("other", nonce="n-2")).id != first.id
    await first.delete()
    anew = await channel.send("anew", nonce="n-1")
    assert anew.id != first.id
    fake.advance_clock(5 * 60 + 1)
    assert (await channel.send("later", nonce="n-1")).id != anew.id
    with pytest.raises(discord.HTTPException) as too_long:
        await channel.send("x", nonce="n" * 26)
    assert (too_long.value.status, too_long.value.code) == (400, 50035)
    created = fake.history().requests_to("POST", "/channels/*/messages")
    assert [r.status for r in created] == [200] * 5 + [400]


@pytest.mark.asyncio(loop_scope="function")
@pytest.mark.parametrize("how", ["on demand", "15 minutes later"])
async def test_an_expired_interaction_token_answers_401_50027(
    fake: FakeDiscord, client: Client, how: str
) -> None:
    answered: list[discord.Interaction] = []
    tree = discord.app_commands.CommandTree(client)

    @tree.command(name="ping", description="Answers pong.")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        answered.append(interaction)

    await tree.sync()
    alice = fake.add_user("alice")
    interaction_id = fake.slash(alice, "ping")
    await until(fake, lambda h: h.messages_of_interaction(interaction_id), "the deferral")
    if how == "on demand":
        fake.expire_tokens(interaction_id)
    else:
        fake.advance_clock(15 * 60)
    with pytest.raises(discord.HTTPException) as expired:
        await answered[0].edit_original_response(content="pong")
    assert (expired.value.status, expired.value.code) == (401, 50027)


@pytest.mark.asyncio(loop_scope="function")
async def test_a_menu_choice_reaches_the_view_of_the_message(
    fake: FakeDiscord, client: Client
) -> None:
    chosen: list[list[str]] = []

    class Menu(discord.ui.View):
        @discord.ui.select(custom_id="colour", options=[discord.SelectOption(label="red")])
        async def colour(self, interaction: discord.Interaction, menu: discord.ui.Select) -> None:
            chosen.append(menu.values)
            await interaction.response.send_message("noted", ephemeral=True)

    sent = await client.get_partial_messageable(fake.channel_id).send("pick", view=Menu())
    alice = fake.add_user("alice")
    choice = fake.choose(alice, sent.id, "colour", ["red"])
    [reply] = await until(fake, lambda h: h.messages_of_interaction(choice), "the answer")
    assert chosen == [["red"]] and reply.ephemeral and reply.content == "noted"
    assert fake.history().ephemeral_requests()


@pytest.mark.asyncio(loop_scope="function")
async def test_unanswered_heartbeats_make_the_client_reconnect_and_resume() -> None:
    with FakeDiscord(heartbeat_interval_ms=300) as fake:
        client = Client(fake, heartbeat_timeout=1.0)  # 60 s by default
        running = asyncio.create_task(client.start(fake.token))
        await asyncio.wait_for(client.wait_until_ready(), 60)
        fake.ack_heartbeats(False)
        await until(fake, lambda h: h.received(RESUME), "a RESUME")
        fake.ack_heartbeats(True)
        await until(fake, lambda h: h.dispatched("RESUMED"), "RESUMED")
        await client.close()
        await asyncio.wait_for(running, 30)
