"""The discord harness, proven on a tiny demo cog driven through real discord.py under simcord.

The demo cog has the shapes the real cogs will have: a slash command with typed options and an
audio attachment that defers and edits its response from a background job (queue position,
progress, final PNG + embed + persistent buttons), a voice-message listener, a message context
menu, a modal, and a fallback to the channel when the interaction token is gone.
"""

from __future__ import annotations

import asyncio
import io
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import discord
import pytest
import simcord
from discord import app_commands
from discord.ext import commands
from PIL import Image

from tests.support.discord_harness import (
    ACK_DEADLINE_S,
    INVALID_WEBHOOK_TOKEN,
    MAX_FILES,
    TOKEN_LIFETIME_S,
    UPLOAD_LIMIT_BYTES,
    DiscordHarness,
)

MAX_SEED = 2**32 - 1
NO_PINGS = discord.AllowedMentions.none()
TOKEN_GONE = (10015, INVALID_WEBHOOK_TOKEN)  # Unknown Webhook (simcord), Invalid Webhook Token

StepReport = Callable[[int, int], Awaitable[None]]
Render = Callable[[str, int, StepReport], Awaitable[bytes]]


def png_bytes(size: int = 8) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), "teal").save(buffer, "PNG")
    return buffer.getvalue()


async def thread_render(prompt: str, steps: int, on_step: StepReport) -> bytes:
    """Like a diffusers pipeline: blocking steps in a worker thread, progress reported from it."""
    loop = asyncio.get_running_loop()

    def work() -> bytes:
        for step in range(1, steps + 1):
            time.sleep(0.005)
            asyncio.run_coroutine_threadsafe(on_step(step, steps), loop).result()
        return png_bytes()

    return await asyncio.to_thread(work)


def gated_render(gate) -> Render:
    """A fake engine that waits for the test before it draws."""

    async def render(prompt: str, steps: int, on_step: StepReport) -> bytes:
        await gate.wait()
        for step in range(1, steps + 1):
            await on_step(step, steps)
        return png_bytes()

    return render


# ------------------------------------------------------------------------------- demo cog


class RedoButton(discord.ui.DynamicItem[discord.ui.Button], template=r"demo:redo:(?P<seed>[0-9]+)"):
    """Stateless across restarts: the seed lives in the custom_id."""

    def __init__(self, seed: int) -> None:
        super().__init__(discord.ui.Button(label="Redo", custom_id=f"demo:redo:{seed}"))
        self.seed = seed

    @classmethod
    async def from_custom_id(cls, interaction, item, match) -> RedoButton:
        return cls(int(match["seed"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"redo with seed {self.seed}", ephemeral=True, allowed_mentions=NO_PINGS
        )


class PromptModal(discord.ui.Modal, title="Edit prompt"):
    prompt = discord.ui.TextInput(label="Prompt", custom_id="demo_prompt", max_length=200)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"new prompt: {self.prompt.value}", allowed_mentions=NO_PINGS
        )


class EditView(discord.ui.View):
    """A classic persistent view: fixed custom_id, no timeout, registered in setup_hook."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Edit prompt", custom_id="demo:edit")
    async def edit(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_modal(PromptModal())


@dataclass
class Job:
    interaction: discord.Interaction
    prompt: str
    seed: int
    steps: int


class Demo(commands.Cog):
    def __init__(self, bot: commands.Bot, render: Render) -> None:
        self.bot = bot
        self.render = render
        self.pending: deque[Job] = deque()
        self.running: Job | None = None
        self.drain: asyncio.Task[None] | None = None
        self.menu = app_commands.ContextMenu(
            name="Echo from voice message", callback=self.from_voice
        )

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    @app_commands.command(name="echo", description="Draw a prompt (demo).")
    @app_commands.describe(
        prompt="What to draw",
        seed="Seed",
        guidance="Guidance",
        steps="Steps",
        size="Size",
        audio="Audio",
    )
    @app_commands.choices(
        size=[
            app_commands.Choice(name="square", value="512x512"),
            app_commands.Choice(name="wide", value="768x512"),
        ]
    )
    async def echo(
        self,
        interaction: discord.Interaction,
        prompt: str,
        seed: app_commands.Range[int, 0, MAX_SEED] = 0,
        guidance: app_commands.Range[float, 1.0, 20.0] = 7.0,
        steps: app_commands.Range[int, 1, 50] = 3,
        size: str = "512x512",
        audio: discord.Attachment | None = None,
    ) -> None:
        # discord.py does not re-check Range bounds: values come as the client sent them.
        if not (0 <= seed <= MAX_SEED and 1.0 <= guidance <= 20.0):
            await interaction.response.send_message(
                f"out of range: seed={seed} guidance={guidance}",
                ephemeral=True,
                allowed_mentions=NO_PINGS,
            )
            return
        await interaction.response.defer(thinking=True)
        if audio is not None:
            data = await audio.read()
            prompt = f"{prompt} [{len(data)} bytes of {audio.content_type}]"
        job = Job(interaction, f"{prompt} ({size}, cfg {guidance:g})", seed, steps)
        self.pending.append(job)
        await self._show(job, f"queued (position {len(self.pending) + (self.running is not None)})")
        if self.drain is None or self.drain.done():
            self.drain = asyncio.create_task(self._drain())

    @app_commands.command(name="where", description="Is this channel NSFW?")
    async def where(self, interaction: discord.Interaction) -> None:
        kind = "nsfw" if interaction.channel.is_nsfw() else "sfw"
        await interaction.response.send_message(
            f"{kind}, uploads up to {interaction.filesize_limit} bytes", allowed_mentions=NO_PINGS
        )

    @app_commands.command(name="purge", description="Moderators only.")
    @app_commands.default_permissions(manage_messages=True)
    async def purge(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("purged", allowed_mentions=NO_PINGS)

    @app_commands.command(name="slow", description="Blocks the loop before answering.")
    async def slow(self, interaction: discord.Interaction) -> None:
        time.sleep(0.2)  # the bug the harness must expose: blocking work before the ack
        await interaction.response.send_message("slow", allowed_mentions=NO_PINGS)

    @app_commands.command(name="late", description="Sleeps past the ack deadline.")
    async def late(self, interaction: discord.Interaction) -> None:
        await asyncio.sleep(ACK_DEADLINE_S + 1)
        await interaction.response.defer()

    @app_commands.command(name="later", description="Posts from a thread of its own.")
    async def later(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("working", allowed_mentions=NO_PINGS)
        loop, channel = asyncio.get_running_loop(), interaction.channel

        def post() -> None:
            time.sleep(0.05)
            asyncio.run_coroutine_threadsafe(channel.send("later", allowed_mentions=NO_PINGS), loop)

        threading.Thread(target=post, daemon=True).start()

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or not message.flags.voice:
            return
        [audio] = message.attachments
        data = await audio.read()
        await message.reply(
            f"heard {len(data)} bytes, {audio.duration:.1f} s of {audio.content_type}",
            mention_author=False,
            allowed_mentions=NO_PINGS,
        )

    async def from_voice(self, interaction: discord.Interaction, message: discord.Message) -> None:
        if not message.flags.voice:
            await interaction.response.send_message(
                "That is not a voice message.", ephemeral=True, allowed_mentions=NO_PINGS
            )
            return
        await interaction.response.defer(thinking=True)
        data = await message.attachments[0].read()
        await interaction.followup.send(
            f"voice message of {len(data)} bytes",
            file=discord.File(io.BytesIO(data), "voice.ogg"),
            allowed_mentions=NO_PINGS,
        )

    async def _drain(self) -> None:
        """One job at a time; no task ever idles on an asyncio primitive (see the report)."""
        while self.pending:
            job = self.running = self.pending.popleft()
            try:
                png = await self.render(
                    job.prompt,
                    job.steps,
                    lambda k, n, job=job: self._show(job, f"drawing step {k}/{n}"),
                )
                await self._finish(job, png)
            finally:
                self.running = None

    async def _show(self, job: Job, text: str) -> None:
        try:
            await job.interaction.edit_original_response(content=text, allowed_mentions=NO_PINGS)
        except discord.HTTPException as error:
            if error.code not in TOKEN_GONE:
                raise

    async def _finish(self, job: Job, png: bytes) -> None:
        def reply() -> dict[str, object]:
            embed = discord.Embed(title=job.prompt[:256], description=f"seed {job.seed}")
            embed.set_image(url="attachment://image.png")
            view = EditView()
            view.add_item(RedoButton(job.seed))
            return {"embed": embed, "view": view}

        try:
            await job.interaction.edit_original_response(
                content=f"done: {job.prompt}",
                attachments=[discord.File(io.BytesIO(png), "image.png")],
                allowed_mentions=NO_PINGS,
                **reply(),
            )
        except discord.HTTPException as error:
            if error.code not in TOKEN_GONE:
                raise
            user = job.interaction.user
            await job.interaction.channel.send(
                f"{user.mention} done (late): {job.prompt}",
                file=discord.File(io.BytesIO(png), "image.png"),
                allowed_mentions=discord.AllowedMentions(
                    everyone=False, roles=False, users=[user], replied_user=False
                ),
                **reply(),
            )


class DemoBot(commands.Bot):
    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(command_prefix=commands.when_mentioned, intents=intents)

    async def setup_hook(self) -> None:
        await self.add_cog(Demo(self, thread_render))
        self.add_view(EditView())
        self.add_dynamic_items(RedoButton)
        await self.tree.sync()


@pytest.fixture
def make_bot() -> Callable[[], commands.Bot]:
    return DemoBot


@pytest.fixture
def h(discord_harness: DiscordHarness) -> DiscordHarness:
    return discord_harness


# ---------------------------------------------------------------------------------- tests


async def test_slash_defers_then_edits_progress_and_final_png_embed_buttons(h: DiscordHarness):
    alice = h.member("alice")
    audio = b"OggS" + bytes(100)

    result = await h.slash(
        alice,
        "echo",
        prompt="a cat",
        seed=MAX_SEED,
        guidance=2.5,
        size="768x512",
        audio=("clip.ogg", audio),
    )

    trace = h.last_interaction
    assert trace.deferred and trace.ack_latency < ACK_DEADLINE_S
    prompt = "a cat [104 bytes of audio/ogg] (768x512, cfg 2.5)"
    assert h.contents_of(result.response) == [
        "queued (position 1)",
        "drawing step 1/3",
        "drawing step 2/3",
        "drawing step 3/3",
        f"done: {prompt}",
    ]
    assert h.edits_of(result.response)[0].loading  # the 'thinking…' placeholder came first
    final = result.response
    assert final.embeds[0].title == prompt and final.embeds[0].description == f"seed {MAX_SEED}"
    assert final.embeds[0].image.url == "attachment://image.png"
    [attachment] = final.attachments
    assert attachment.filename == "image.png" and await attachment.read() == png_bytes()
    buttons = [c["custom_id"] for row in final.components for c in row["components"]]
    assert buttons == ["demo:edit", f"demo:redo:{MAX_SEED}"]
    assert h.sent_allowed_mentions() and all(m == {"parse": []} for m in h.sent_allowed_mentions())


async def test_client_checks_reject_out_of_range_but_raw_values_reach_the_bot(h: DiscordHarness):
    alice = h.member("alice")
    with pytest.raises(simcord.OptionError):
        await h.slash(alice, "echo", prompt="x", seed=MAX_SEED + 1)
    with pytest.raises(simcord.OptionError):
        await h.slash(alice, "echo", prompt="x", size="1x1")

    result = await h.slash_raw(alice, "echo", prompt="x", seed=2**40, guidance=0.5)

    assert (
        result.ephemeral and result.response.content == f"out of range: seed={2**40} guidance=0.5"
    )


async def test_user_text_with_mentions_pings_nobody(h: DiscordHarness):
    alice, bob = h.member("alice"), h.member("bob")

    result = await h.slash(alice, "echo", prompt=f"@everyone look {bob.mention}", steps=1)

    assert bob.mention in result.response.content
    assert h.pings(result.response).none


async def test_voice_message_reaches_on_message_with_flags_and_bytes(h: DiscordHarness):
    alice = h.member("alice")
    ogg = b"OggS" + bytes(2000)

    voice = await h.send_voice_message(alice, ogg, duration=2.5)

    assert voice.flags.voice and voice.attachments[0].is_voice_message()
    reply = h.messages()[-1]
    assert reply.reference.message_id == voice.id
    assert reply.content == "heard 2004 bytes, 2.5 s of audio/ogg"
    assert h.pings(reply).none


async def test_context_menu_on_a_voice_message(h: DiscordHarness):
    alice = h.member("alice")
    voice = await h.send_voice_message(alice, b"OggS-voice", duration=1.0)
    text = await alice.send(h.channel, "just text")

    refused = await alice.context_menu(h.channel, "Echo from voice message", text)
    result = await alice.context_menu(h.channel, "Echo from voice message", voice)

    assert refused.ephemeral and refused.response.content == "That is not a voice message."
    assert h.last_interaction.deferred
    # The first followup after a defer fills the 'thinking…' original (as on Discord).
    assert result.response.content == "voice message of 10 bytes" and result.followups == []
    assert await result.response.attachments[0].read() == b"OggS-voice"


async def test_buttons_and_modal_work_before_and_after_a_restart(h: DiscordHarness):
    alice = h.member("alice")
    result = await h.slash(alice, "echo", prompt="a dog", seed=42, steps=1)
    message = result.response

    for _ in range(2):
        redo = await alice.click(message, custom_id="demo:redo:42")
        assert redo.ephemeral and redo.response.content == "redo with seed 42"
        shown = await alice.click(message, label="Edit prompt")
        assert shown.modal["title"] == "Edit prompt"
        submitted = await alice.submit_modal(shown, {"demo_prompt": "a red dog"})
        assert submitted.response.content == "new prompt: a red dog"
        await h.restart_bot()


async def test_queue_positions_through_progress_to_final(h: DiscordHarness):
    alice, bob = h.member("alice"), h.member("bob")
    gate = h.gate()
    h.bot.get_cog("Demo").render = gated_render(gate)

    first = await h.slash(alice, "echo", prompt="one", steps=2)
    second = await h.slash(bob, "echo", prompt="two", steps=2)
    assert gate.waiting == 1  # the first job holds the (fake) GPU
    assert first.response.content == "queued (position 1)"
    assert second.response.content == "queued (position 2)"

    await gate.release(2)

    assert h.contents_of(second.response) == [
        "queued (position 2)",
        "drawing step 1/2",
        "drawing step 2/2",
        "done: two (512x512, cfg 7)",
    ]
    assert first.response.content == "done: one (512x512, cfg 7)"


@pytest.mark.parametrize("expiry", ["invalid_token_401", "virtual_15_minutes"])
async def test_expired_token_falls_back_to_the_channel(h: DiscordHarness, expiry: str):
    alice = h.member("alice")
    gate = h.gate()
    h.bot.get_cog("Demo").render = gated_render(gate)
    result = await h.slash(alice, "echo", prompt="slow one", steps=1)

    if expiry == "invalid_token_401":
        h.expire_interaction_tokens()
    else:
        await h.env.advance_time(TOKEN_LIFETIME_S)
    await gate.release()

    assert result.response.content == "queued (position 1)"  # the original was never finished
    late = h.messages()[-1]
    assert late.content == f"{alice.mention} done (late): slow one (512x512, cfg 7)"
    assert await late.attachments[0].read() == png_bytes()
    assert h.pings(late).users == {alice.id}
    assert h.sent_allowed_mentions()[-1] == {"parse": [], "users": [alice.id]}


async def test_nsfw_channel_flag_reaches_the_bot_and_survives_restart(h: DiscordHarness):
    alice = h.member("alice")
    adult = h.create_channel("adult", nsfw=True)

    assert (await h.slash(alice, "where", at=adult)).response.content.startswith("nsfw,")
    assert (await h.slash(alice, "where")).response.content.startswith("sfw,")
    await h.restart_bot()
    assert h.bot.get_channel(adult.id).is_nsfw()
    assert (await h.slash(alice, "where", at=adult)).response.content.startswith("nsfw,")


async def test_discord_upload_limits_are_applied(h: DiscordHarness):
    result = await h.slash(h.member("alice"), "where")
    assert result.response.content == f"sfw, uploads up to {UPLOAD_LIMIT_BYTES} bytes"

    channel = h.bot.get_channel(h.channel.id)
    files = [discord.File(io.BytesIO(b"x"), f"{i}.png") for i in range(MAX_FILES + 1)]
    await channel.send("too many", files=files)  # simcord itself accepts it

    assert h.upload_violations == [f"message {h.messages()[-1].id} has 11 files (max 10)"]
    h.upload_violations.clear()  # otherwise the fixture fails this test


async def test_default_permissions_hide_a_command_from_members_without_them(h: DiscordHarness):
    member = h.member("member")
    moderator = h.member("mod", permissions=discord.Permissions(manage_messages=True))

    with pytest.raises(simcord.SetupError, match="not visible"):
        await h.slash(member, "purge")
    assert (await h.slash(moderator, "purge")).response.content == "purged"


async def test_ack_latency_is_measured_in_real_time(h: DiscordHarness):
    await h.slash(h.member("alice"), "slow")

    assert 0.2 <= h.last_interaction.ack_latency < ACK_DEADLINE_S


@pytest.mark.simcord(settle_timeout=1.0)
async def test_simcord_rejects_an_ack_after_three_virtual_seconds(h: DiscordHarness):
    result = await h.slash(h.member("alice"), "late")  # parked: its sleep outlasts settling
    assert not result.acknowledged

    await h.env.advance_time(ACK_DEADLINE_S + 1)

    [error] = h.env.errors
    assert isinstance(error.original, discord.NotFound) and error.original.code == 10062
    assert not result.acknowledged


async def test_wait_for_sees_work_posted_from_a_thread_simcord_does_not_track(h: DiscordHarness):
    await h.slash(h.member("alice"), "later")

    await h.wait_for(lambda: h.messages()[-1].content == "later", timeout=2.0)
