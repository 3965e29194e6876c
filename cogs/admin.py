"""``/help``, ``/queue`` and ``/status``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.messages import Message
from cogs.answers import reply_privately
from cogs.i18n.catalog import texts
from cogs.job_buttons import JobButton
from cogs.render import clip

HELP_PARTS = ("buttons", "parameters", "remix")
"""/help's sections after its first lines, as fields (each within Discord's 1024)."""
MAX_LISTED = 5
"""Jobs listed by /queue, one cancel button a row (Discord allows five rows)."""

if TYPE_CHECKING:
    from cogs.client import SpeechBot


class Admin(commands.Cog):
    def __init__(self, bot: SpeechBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="How to use the bot.")
    async def help(self, interaction: discord.Interaction) -> None:
        t = texts(interaction.locale)
        more = discord.Embed(colour=discord.Colour.blurple())
        for part in HELP_PARTS:
            more.add_field(name=t(f"help-{part}-title"), value=t(f"help-{part}"), inline=False)
        await reply_privately(interaction, Message("help"), embed=more)

    @app_commands.command(name="queue", description="Your place in the queue, with cancel buttons.")
    async def queue(self, interaction: discord.Interaction) -> None:
        t = texts(interaction.locale)
        queue = self.bot.queue
        snapshot = queue.snapshot()
        mine = queue.jobs_of(interaction.user.id)
        view = discord.ui.View(timeout=None)
        lines = []
        for job in mine[:MAX_LISTED]:
            place = queue.position(job.id)
            if place and place[0] == 0:
                where = t("queue-drawing-now")
            else:
                where = f"#{place[0]}" if place else t("queue-state", state=job.state.value)
            prompt = clip(job.options.prompt, 80) or t("queue-listening")
            lines.append(f"`{job.id}` — {where} — {prompt}")
            view.add_item(JobButton("cancel", job.id, row=len(lines) - 1, t=t))
        head = t("queue-head", waiting=snapshot.length, drawing=len(snapshot.drawing))
        body = "\n".join(lines) or t("queue-none-yours")
        await reply_privately(
            interaction, f"{head}\n{body}", view=view if lines else discord.utils.MISSING
        )

    @app_commands.command(name="status", description="Models, device, jobs done and speed.")
    async def status(self, interaction: discord.Interaction) -> None:
        t = texts(interaction.locale)
        engines, snapshot = self.bot.engines, self.bot.queue.snapshot()
        speech = ", ".join(engines.speech_models) or t("status-none-loaded")
        lines = [
            t("status-models", speech=speech, image=engines.model_name, status=engines.status),
            t("status-device", device=engines.device),
            t("status-jobs", done=snapshot.jobs_done, waiting=snapshot.length),
        ]
        if snapshot.avg_listen_seconds is not None:
            seconds = round(snapshot.avg_listen_seconds, 1)
            lines.append(t("status-average-listening", seconds=seconds))
        if snapshot.avg_draw_seconds is not None:
            lines.append(t("status-average-drawing", seconds=round(snapshot.avg_draw_seconds, 1)))
        await reply_privately(interaction, "\n".join(lines))


async def setup(bot: SpeechBot) -> None:
    await bot.add_cog(Admin(bot))
