"""``/remix``: a user's own Remix mode (a variation or re-roll opens its prompt for editing
first), kept in the job store; a server's default is in ``/settings``."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.messages import Message
from cogs.answers import reply_privately

if TYPE_CHECKING:
    from cogs.client import SpeechBot


class Preferences(commands.Cog):
    def __init__(self, bot: SpeechBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="remix", description="Remix mode: edit the prompt before each variation or re-roll."
    )
    @app_commands.describe(on="On or off (leave it out to switch)")
    async def remix(self, interaction: discord.Interaction, on: bool | None = None) -> None:
        users = self.bot.user_settings
        mine = users.get(interaction.user.id)
        if on is None:
            guild = await self.bot.guild_settings.get(interaction.guild_id)
            on = not mine.remixes(guild, self.bot.settings)
        await users.put(interaction.user.id, replace(mine, remix_mode=on))
        await reply_privately(interaction, Message("remix-mode-on" if on else "remix-mode-off"))


async def setup(bot: SpeechBot) -> None:
    await bot.add_cog(Preferences(bot))
