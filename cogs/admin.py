"""``/help``, ``/queue`` and ``/status``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs.intake import reply_privately
from cogs.job_buttons import JobButton
from cogs.render import clip

MAX_LISTED = 5
"""Jobs listed by /queue, one cancel button a row (Discord allows five rows)."""

if TYPE_CHECKING:
    from cogs.client import SpeechBot

HELP = """\
**Speak, and I draw.**
• `/imagine prompt:<text>` — or attach `audio:` (a voice message or audio file) and I draw what you say, in any language (I translate it to English first).
• Right-click a voice message → *Apps* → **Imagine from voice message**, or **Transcribe voice message** (language, transcript and English translation; then 🎨 *Draw this* or ✏️ edit it first).
• `language:` says which language you speak (default: detected); on a voice job, the **Wrong language?** menu listens again in the one you pick.
• Options: `seed` (same seed + same options = same picture), `guidance` (1–20: how literally to follow the prompt), `steps` (more = slower and finer), `count` (images), `negative` (what to leave out), `size` or `aspect` (16:9, 2:3…), `model`, `sampler`, `style` (a look the model offers), `fast` (a few quick steps).
• `image:` draws from your own picture (PNG, JPEG or WebP); `strength` 0.05–1 says how far to move from it.
• Buttons on a result: 🎲 re-roll, ✏️ edit prompt, **V1…** a variation, **U1…** that picture at twice the size (same seed). On a single picture: 🔍 zoom out 1.5× or 2×, ⬅➡⬆⬇ extend it that way (your picture's pixels stay).
• Every result shows the detected language, transcript, translation, prompt, seed, guidance, steps, size and model, so you can reproduce it.
• `/queue` shows your place; `/status` shows what I'm running on."""


class Admin(commands.Cog):
    def __init__(self, bot: SpeechBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="How to use the bot.")
    async def help(self, interaction: discord.Interaction) -> None:
        await reply_privately(interaction, HELP)

    @app_commands.command(name="queue", description="Your place in the queue, with cancel buttons.")
    async def queue(self, interaction: discord.Interaction) -> None:
        queue = self.bot.queue
        snapshot = queue.snapshot()
        mine = queue.jobs_of(interaction.user.id)
        view = discord.ui.View(timeout=None)
        lines = []
        for job in mine[:MAX_LISTED]:
            place = queue.position(job.id)
            where = (
                "drawing now" if place and place[0] == 0 else f"#{place[0]}" if place else job.state
            )
            prompt = clip(job.options.prompt, 80) or "(listening…)"
            lines.append(f"`{job.id}` — {where} — {prompt}")
            view.add_item(JobButton("cancel", job.id, row=len(lines) - 1))
        drawing = f"{len(snapshot.drawing) or 'none'} drawing"
        head = f"Queue: {snapshot.length} waiting, {drawing}."
        body = "\n".join(lines) or "You have no jobs in the queue."
        await reply_privately(
            interaction, f"{head}\n{body}", view=view if lines else discord.utils.MISSING
        )

    @app_commands.command(name="status", description="Models, device, jobs done and speed.")
    async def status(self, interaction: discord.Interaction) -> None:
        engines, snapshot = self.bot.engines, self.bot.queue.snapshot()
        speech = ", ".join(engines.speech_models) or "none loaded yet"
        lines = [
            f"Whisper: {speech} · image model: `{engines.model_name}` — {engines.status}",
            f"Device: {engines.device}",
            f"Jobs done: {snapshot.jobs_done}; waiting: {snapshot.length}",
        ]
        if snapshot.avg_listen_seconds is not None:
            lines.append(f"Average listening: {snapshot.avg_listen_seconds:.1f} s")
        if snapshot.avg_draw_seconds is not None:
            lines.append(f"Average drawing: {snapshot.avg_draw_seconds:.1f} s")
        await reply_privately(interaction, "\n".join(lines))


async def setup(bot: SpeechBot) -> None:
    await bot.add_cog(Admin(bot))
