"""Auto mode: a voice message in a listening channel becomes a job, answered as a reply to it.

Needs auto mode on (``discord.auto_voice`` or the server's ``/settings``) and the privileged
Message Content intent (attachments are content). Off by default: the context-menu command needs
neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.domain.errors import UserFacingError
from cogs.launch import build_options, check_audio, submit
from cogs.messages import reply_route
from cogs.render import NO_MENTIONS

if TYPE_CHECKING:
    from cogs.client import SpeechBot


class VoiceMessages(commands.Cog):
    def __init__(self, bot: SpeechBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or not message.flags.voice or not message.attachments:
            return
        guild_id = message.guild.id if message.guild else None
        guild = await self.bot.guild_settings.get(guild_id)
        if not guild.listens_in(self.bot.settings, message.channel.id):
            return
        audio = message.attachments[0]
        try:
            check_audio(self.bot, audio)
            self.bot.queue.check_admission(message.author.id, user_limit=guild.per_user_limit)
        except UserFacingError as error:
            await message.reply(f"❌ {error}", mention_author=False, allowed_mentions=NO_MENTIONS)
            return
        answer = await message.reply(
            "⏳ Queued…", mention_author=False, allowed_mentions=NO_MENTIONS
        )
        options = await build_options(self.bot, guild_id, "", prompt_required=False)
        try:
            await submit(
                self.bot,
                guild_id,
                message.author,
                message.channel,
                options,
                source="voice",
                reply=reply_route(answer),
                audio=audio,
            )
        except UserFacingError as error:
            await answer.edit(content=f"❌ {error}", allowed_mentions=NO_MENTIONS)


async def setup(bot: SpeechBot) -> None:
    await bot.add_cog(VoiceMessages(bot))
