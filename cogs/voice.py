"""Messages that become jobs, each answered as a reply: in auto mode, a voice message in a
listening channel; anywhere, a reply to one of the bot's results (a remix, :mod:`cogs.remix`).

Auto mode needs the privileged Message Content intent (attachments are content). A reply to the
bot's message that mentions it (Discord's default for a reply) arrives with its attachments
without that intent; see the README for the cases that need it.
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
        if message.author.bot:
            return
        if message.reference is not None and await self.bot.intake.from_reply(message):
            return
        if not message.flags.voice or not message.attachments:
            return
        await self.bot.intake.from_voice_message(message)


async def setup(bot: SpeechBot) -> None:
    await bot.add_cog(VoiceMessages(bot))
