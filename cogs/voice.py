"""Auto mode: a voice message in a listening channel becomes a job, answered as a reply to it.

Needs auto mode on (``discord.auto_voice`` or the server's ``/settings``) and the privileged
Message Content intent (attachments are content). Off by default: the context-menu command needs
neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord.ext import commands

if TYPE_CHECKING:
    from cogs.client import SpeechBot


class VoiceMessages(commands.Cog):
    def __init__(self, bot: SpeechBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or not message.flags.voice or not message.attachments:
            return
        await self.bot.intake.from_voice_message(message)


async def setup(bot: SpeechBot) -> None:
    await bot.add_cog(VoiceMessages(bot))
