"""Engines: the Whisper model a server picks is loaded once, and at most N stay resident."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from bot.config import Settings
from bot.engines.runner import Engines


async def test_switching_whisper_models_loads_each_once_and_keeps_at_most_n(
    whisper_base_dir: Path, tmp_path: Path, english_voice_message: bytes
):
    small = tmp_path / "whisper-small-stand-in"
    shutil.copytree(whisper_base_dir, small)  # a second model, on disk (the base weights again)
    settings = Settings(
        speech={
            "model": "base",
            "choices": {"base": str(whisper_base_dir), "small": str(small)},
            "max_resident_models": 1,
            "device": "cpu",
            "local_files_only": True,
        }
    )
    engines = Engines(settings, images=False)
    try:
        await engines.wait_ready()
        assert engines.speech_models == ["base"]
        first, second = await asyncio.gather(
            asyncio.to_thread(engines.recognizer_for, "small"),
            asyncio.to_thread(engines.recognizer_for, "small"),
        )
        assert first is second  # asked twice at once, loaded once
        assert engines.speech_models == ["small"]  # base left: one model resident at most
        heard = await engines.listen(english_voice_message, "voice.ogg", model="small")
        assert heard.language == "en" and "table" in heard.transcript.lower()
        assert (
            await engines.listen(english_voice_message, "voice.ogg")
        ).transcript == heard.transcript
        assert engines.speech_models == ["base"]
    finally:
        engines.close()
