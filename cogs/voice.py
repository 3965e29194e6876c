"""Auto mode: a voice message in a listening channel becomes a job, answered as a reply to it.

Needs ``discord.auto_voice = true`` and the privileged Message Content intent (attachments are
content). Off by default: the context-menu command needs neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.errors import UserFacingError
from bot.jobs import JobRequest
from bot.options import GenerationOptions
from cogs.messages import reply_route
from cogs.render import NO_MENTIONS

if TYPE_CHECKING:
    from bot.client import SpeechBot


class VoiceMessages(commands.Cog):
    def __init__(self, bot: SpeechBot) -> None:
        self.bot = bot

    def listens_in(self, channel_id: int) -> bool:
        settings = self.bot.settings.discord
        return settings.auto_voice and (
            not settings.auto_voice_channels or channel_id in settings.auto_voice_channels
        )

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or not message.flags.voice or not message.attachments:
            return
        if not self.listens_in(message.channel.id):
            return
        settings = self.bot.settings
        audio = message.attachments[0]
        try:
            self.bot.queue.check_admission(message.author.id)
            if audio.size > settings.limits.max_audio_bytes:
                raise UserFacingError("That voice message is too big for me.")
        except UserFacingError as error:
            await message.reply(f"❌ {error}", mention_author=False, allowed_mentions=NO_MENTIONS)
            return
        answer = await message.reply(
            "⏳ Queued…", mention_author=False, allowed_mentions=NO_MENTIONS
        )
        options = GenerationOptions.build(
            "", settings.defaults, settings.limits, prompt_required=False
        )
        request = JobRequest(
            user_id=message.author.id,
            user_name=message.author.display_name,
            guild_id=message.guild.id if message.guild else None,
            channel_id=message.channel.id,
            options=options,
            audio=await audio.read(),
            audio_filename=audio.filename,
            source="voice",
            reply=reply_route(answer),
        )
        try:
            await self.bot.queue.submit(request)
        except UserFacingError as error:
            await answer.edit(content=f"❌ {error}", allowed_mentions=NO_MENTIONS)


async def setup(bot: SpeechBot) -> None:
    await bot.add_cog(VoiceMessages(bot))
