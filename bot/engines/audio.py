"""Any audio a user can send → 16 kHz mono float32 samples for Whisper, decoded by ffmpeg.

ffmpeg runs as a subprocess, because a decode must be bounded in time (pydub takes no timeout),
and the input is untrusted: the tools get a minimal environment (``PATH`` and the locale, none of
the bot's secrets), one thread, a cap on their address space, and only the demuxers and decoders
of the formats users may send.
The bytes go to a temporary file, not a pipe: phones write MP4/M4A with the index at the end,
which ffmpeg cannot seek back to on a pipe. Only the ``file`` protocol and audio demuxers are
allowed (no playlists that open other files), and the output is cut a little past the duration
limit, so a tiny file that expands to hours costs no more than the limit to refuse.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import resource
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.config import MIB, Limits
from bot.domain.errors import UserFacingError

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000

_DEMUXERS = "ogg,mp3,mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,wav,flac,aac"
_DECODERS = ",".join(
    ["opus", "libopus", "vorbis", "mp3", "mp3float", "aac", "aac_fixed", "alac", "flac"]
    + [
        f"pcm_{kind}"
        for kind in ("u8", "s16le", "s24le", "s32le", "f32le", "f64le", "alaw", "mulaw")
    ]
)
"""Discord voice messages (Ogg Opus), mp3, m4a/aac (and Apple Lossless), wav, webm, flac."""
_INPUT_OPTIONS = (
    "-v", "error", "-threads", "1", "-protocol_whitelist", "file",
    "-format_whitelist", _DEMUXERS, "-codec_whitelist", _DECODERS,
)  # fmt: skip
_MEMORY_LIMIT = 1024 * MIB
"""Address space an ffmpeg tool may map; decoding a voice message maps about a tenth of it."""
_PRLIMIT = shutil.which("prlimit")
"""util-linux's prlimit sets the bound in the child without running Python code between fork
and exec (``preexec_fn``), which is unsafe in a process with threads; the fallback where it is
missing."""
_TO_SAMPLES = ("-map", "0:a:0", "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "f32le", "-")
_PROBE_DURATION = ("-show_entries", "format=duration", "-of", "csv=p=0")
_MARGIN_SECONDS = 1.0
"""Decode this far past the duration limit: enough to tell "too long" without decoding it all."""


@dataclass(frozen=True)
class DecodedAudio:
    """Samples ready for Whisper."""

    samples: np.ndarray
    """float32, mono, 16 kHz, in [-1, 1]."""

    @property
    def duration(self) -> float:
        """Seconds of audio."""
        return len(self.samples) / SAMPLE_RATE


def decode_audio(data: bytes, limits: Limits, *, filename: str | None = None) -> DecodedAudio:
    """Decode ``data`` (any format ffmpeg reads); blocking, so call it from a worker thread.

    Raises :class:`UserFacingError` when the input is empty, too big, too long, takes longer than
    ``limits.ffmpeg_timeout_seconds`` to decode, or is not audio. ``filename`` is a format hint.
    """
    if not data:
        raise UserFacingError("audio-file-empty")
    if len(data) > limits.max_audio_bytes:
        raise UserFacingError(
            "file-too-big",
            kind="limit",
            size_mib=round(len(data) / MIB, 1),
            limit_mib=limits.max_audio_bytes / MIB,
        )
    deadline = time.monotonic() + limits.ffmpeg_timeout_seconds
    with tempfile.NamedTemporaryFile(prefix="s2i-audio-", suffix=_suffix(filename)) as file:
        file.write(data)
        file.flush()
        seconds = f"{limits.max_audio_seconds + _MARGIN_SECONDS:.3f}"
        cmd = ["ffmpeg", "-nostdin", *_INPUT_OPTIONS, "-i", file.name, "-t", seconds, *_TO_SAMPLES]
        output = _run(cmd, deadline, filename)
        if output.returncode:
            raise UserFacingError("audio-unreadable")
        samples = np.frombuffer(output.stdout, dtype="<f4")
        if len(samples) > limits.max_audio_seconds * SAMPLE_RATE:
            raise _too_long(_probe_duration(file.name, deadline, filename), limits)
    if not len(samples):
        raise UserFacingError("audio-silent")
    return DecodedAudio(np.clip(samples, -1.0, 1.0))


async def decode_audio_async(
    data: bytes, limits: Limits, *, filename: str | None = None
) -> DecodedAudio:
    """:func:`decode_audio` in a worker thread, so the event loop keeps running."""
    return await asyncio.to_thread(decode_audio, data, limits, filename=filename)


def _run(
    args: list[str], deadline: float, filename: str | None
) -> subprocess.CompletedProcess[bytes]:
    """Run an ffmpeg tool until ``deadline``; its stderr goes to the debug log, never to users."""
    bound = [_PRLIMIT, f"--as={_MEMORY_LIMIT}", "--"] if _PRLIMIT else []
    try:
        done = subprocess.run(
            [*bound, *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=deadline - time.monotonic(),
            check=False,
            env=_minimal_environment(),
            preexec_fn=None if bound else _bound_memory,
        )
    except subprocess.TimeoutExpired:
        log.warning("%s timed out on %r", args[0], filename)
        raise UserFacingError("audio-decode-timeout", kind="limit") from None
    if done.returncode:
        stderr = done.stderr.decode(errors="replace").strip()
        log.debug("%s failed on %r (exit %d): %s", args[0], filename, done.returncode, stderr)
    return done


def _minimal_environment() -> dict[str, str]:
    """Only what ffmpeg needs: never the bot's secrets (``DISCORD_TOKEN``, ``HF_TOKEN``, …)."""
    return {"PATH": os.environ.get("PATH", os.defpath), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


def _bound_memory() -> None:
    """In the child, before ffmpeg starts: a larger allocation fails instead of growing."""
    resource.setrlimit(resource.RLIMIT_AS, (_MEMORY_LIMIT, _MEMORY_LIMIT))


def _probe_duration(path: str, deadline: float, filename: str | None) -> float | None:
    """The duration the container declares, or None when it declares none."""
    probe = _run(["ffprobe", *_INPUT_OPTIONS, *_PROBE_DURATION, path], deadline, filename)
    try:
        return float(probe.stdout)
    except ValueError:
        return None


def _too_long(seconds: float | None, limits: Limits) -> UserFacingError:
    limit = limits.max_audio_seconds
    if seconds is not None and seconds > limit:
        return UserFacingError(
            "audio-too-long", kind="limit", seconds=round(seconds, 1), limit=limit
        )
    return UserFacingError("audio-too-long-unknown", kind="limit", limit=limit)


def _suffix(filename: str | None) -> str:
    """The file's extension if it looks like one: ffmpeg uses it to break ties when probing."""
    suffix = Path(filename or "").suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""
