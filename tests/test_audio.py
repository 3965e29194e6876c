"""bot.engines.audio: what users send becomes 16 kHz mono float32; what cannot be used gets a clear no."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import random
import shutil
import subprocess
import time
import tracemalloc
import wave

import numpy as np
import pytest
from PIL import Image

from bot.config import MIB, Limits
from bot.domain.errors import UserFacingError
from bot.engines.audio import SAMPLE_RATE, decode_audio, decode_audio_async
from tests.support.audio_clips import ENGLISH, ClipMaker, speak
from tests.support.refusals import refused

LIMITS = Limits()
TONE = "sine=frequency=440:sample_rate=48000:duration=3"


def spectrum_peak_hz(samples: np.ndarray) -> float:
    return float(np.argmax(np.abs(np.fft.rfft(samples)))) * SAMPLE_RATE / len(samples)


@pytest.mark.parametrize("fmt", ["ogg", "mp3", "m4a", "wav", "webm", "flac"])
def test_each_format_decodes_to_16k_mono_float32(make_clip: ClipMaker, fmt: str) -> None:
    audio = decode_audio(make_clip.lavfi(TONE, fmt), LIMITS, filename=f"clip.{fmt}")

    assert audio.samples.dtype == np.float32
    assert audio.samples.ndim == 1
    assert audio.duration == pytest.approx(3.0, abs=0.1)
    assert np.abs(audio.samples).max() <= 1.0
    assert spectrum_peak_hz(audio.samples) == pytest.approx(440, abs=2)  # resampled, not re-pitched


def test_voice_message_keeps_the_speech(english_voice_message: bytes) -> None:
    with wave.open(io.BytesIO(speak(ENGLISH, "en-us"))) as source:
        expected = source.getnframes() / source.getframerate()

    audio = decode_audio(english_voice_message, LIMITS)

    assert audio.duration == pytest.approx(expected, abs=0.1)
    assert np.sqrt(np.mean(audio.samples**2)) > 0.01


def test_stereo_44k_becomes_mono_16k(make_clip: ClipMaker) -> None:
    stereo = make_clip.lavfi("aevalsrc=0.5*sin(2*PI*440*t)|0.5*sin(2*PI*1000*t):s=44100:d=2", "wav")
    with wave.open(io.BytesIO(stereo)) as source:
        assert (source.getnchannels(), source.getframerate()) == (2, 44100)

    audio = decode_audio(stereo, LIMITS, filename="stereo.wav")

    assert audio.samples.ndim == 1
    assert audio.duration == pytest.approx(2.0, abs=0.01)
    spectrum = np.abs(np.fft.rfft(audio.samples))
    peaks = sorted(np.argsort(spectrum)[-2:] * SAMPLE_RATE / len(audio.samples))
    assert peaks == pytest.approx([440, 1000], abs=1)  # both channels are in the mix


@pytest.fixture(scope="session")
def not_audio(english_voice_message: bytes) -> dict[str, tuple[bytes, str | None]]:
    png = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(png, "PNG")
    return {
        "png": (png.getvalue(), "picture.png"),
        "png named .ogg": (png.getvalue(), "voice-message.ogg"),
        "text": (b"Draw me a castle on a hill, please.\n" * 20, "prompt.txt"),
        "random bytes": (random.Random(0).randbytes(5000), None),
        "truncated ogg": (english_voice_message[:300], "voice-message.ogg"),
    }


@pytest.mark.parametrize("case", ["png", "png named .ogg", "text", "random bytes", "truncated ogg"])
def test_not_audio_is_refused_without_ffmpeg_noise(
    not_audio: dict[str, tuple[bytes, str | None]], case: str, caplog: pytest.LogCaptureFixture
) -> None:
    data, filename = not_audio[case]
    with (
        caplog.at_level(logging.DEBUG, logger="bot.engines.audio"),
        pytest.raises(UserFacingError) as err,
    ):
        decode_audio(data, LIMITS, filename=filename)

    assert err.value.message.key == "audio-unreadable"
    assert any("ffmpeg failed" in record.getMessage() for record in caplog.records)


def test_empty_file_is_refused() -> None:
    with refused("empty"):
        decode_audio(b"", LIMITS)


def test_audio_without_samples_is_refused(make_clip: ClipMaker) -> None:
    header_only = make_clip.lavfi("anullsrc=r=48000:cl=mono", "wav", "-t", "0")
    with refused("The audio is empty"):
        decode_audio(header_only, LIMITS)


def test_too_big_is_refused_before_decoding(make_clip: ClipMaker) -> None:
    big = make_clip.lavfi("sine=frequency=440:sample_rate=48000:duration=20", "wav")
    assert len(big) > MIB

    with refused(r"too big \(1\.8 MiB\); the limit is 1 MiB") as err:
        decode_audio(big, Limits(max_audio_bytes=MIB))
    assert err.value.kind == "limit"


def test_duration_limit(make_clip: ClipMaker) -> None:
    clip = make_clip.lavfi(TONE)

    assert decode_audio(clip, Limits(max_audio_seconds=3.5)).duration == pytest.approx(3, abs=0.1)
    with refused(r"too long \(3\.0 s\); the limit is 2\.5 s") as err:
        decode_audio(clip, Limits(max_audio_seconds=2.5))
    assert err.value.kind == "limit"


def test_decompression_bomb_is_refused_quickly_in_bounded_memory(make_clip: ClipMaker) -> None:
    hour = make_clip.lavfi("anullsrc=r=8000:cl=mono", "flac", "-t", "3600")
    assert len(hour) < LIMITS.max_audio_bytes  # 1 h of 16 kHz float32 would be 230 MB

    tracemalloc.start()
    started = time.perf_counter()
    try:
        with refused(r"too long \(3,600\.0 s\)"):
            decode_audio(hour, LIMITS)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert elapsed < 3
    assert peak < 40 * MIB


def test_ffmpeg_is_bounded_in_time(english_voice_message: bytes) -> None:
    with refused("took too long to decode") as err:
        decode_audio(english_voice_message, Limits(ffmpeg_timeout_seconds=0.001))
    assert err.value.kind == "limit"


async def test_async_decode_leaves_the_event_loop_running(
    long_english_voice_message: bytes,
) -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.002)
            ticks += 1

    task = asyncio.create_task(ticker())
    try:
        audio = await decode_audio_async(long_english_voice_message, LIMITS, filename="long.ogg")
    finally:
        task.cancel()

    assert audio.duration > 40
    assert ticks >= 5
    with refused("empty"):
        await decode_audio_async(b"", LIMITS)


def test_ffmpeg_runs_without_the_bots_secrets(
    english_voice_message: bytes, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = tmp_path / "environment"
    wrapper = (
        tmp_path / "bin" / "ffmpeg"
    )  # the real ffmpeg, run through a script that notes its env
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nenv > "{seen}"\nexec "{shutil.which("ffmpeg")}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}:{os.environ['PATH']}")
    monkeypatch.setenv("DISCORD_TOKEN", "secret-token")
    monkeypatch.setenv("HF_TOKEN", "another-secret")

    audio = decode_audio(english_voice_message, LIMITS, filename="voice-message.ogg")

    assert audio.duration > 1  # the voice message still decodes
    names = {line.split("=", 1)[0] for line in seen.read_text().splitlines()}
    assert "secret-token" not in seen.read_text() and "another-secret" not in seen.read_text()
    assert names - {"PWD", "SHLVL", "_"} == {"PATH", "LANG", "LC_ALL"}  # sh adds PWD, SHLVL, _


@pytest.mark.parametrize(("codec", "fmt"), [("ac3", "matroska"), ("adpcm_ms", "wav")])
def test_a_codec_outside_the_whitelist_is_refused(
    make_clip: ClipMaker, tmp_path, codec: str, fmt: str
) -> None:
    clip = tmp_path / f"clip.{fmt}"
    encode = [
        "ffmpeg",
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        TONE,
        "-c:a",
        codec,
        "-f",
        fmt,
        str(clip),
    ]
    subprocess.run(encode, check=True)

    with pytest.raises(UserFacingError) as refused:
        decode_audio(clip.read_bytes(), LIMITS, filename=clip.name)
    assert refused.value.message.key == "audio-unreadable"
