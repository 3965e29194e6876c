"""`python -m bot imagine`, end to end: real Whisper base, the tiny diffusion model, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.engines.pipelines import read_png_parameters

ROOT = Path(__file__).resolve().parents[1]


def run_imagine(
    *args: str, tiny_sd_dir: Path, whisper_base_dir: Path
) -> subprocess.CompletedProcess:
    env = os.environ | {
        "S2I_CONFIG": "/nonexistent.toml",
        "S2I_LIMITS__MIN_SIDE": "64",
        "S2I_IMAGE__LOCAL_FILES_ONLY": "true",
        "S2I_SPEECH__LOCAL_FILES_ONLY": "true",
        "HF_HUB_OFFLINE": "1",
    }
    command = [sys.executable, "-m", "bot", "imagine", "--device", "cpu"]
    command += ["--image-model", str(tiny_sd_dir), "--whisper-model", str(whisper_base_dir)]
    return subprocess.run(
        [*command, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_imagine_from_a_voice_message(
    tmp_path, italian_voice_message, tiny_sd_dir, whisper_base_dir
):
    audio = tmp_path / "voice-message.ogg"
    audio.write_bytes(italian_voice_message)
    out = tmp_path / "out"
    done = run_imagine(
        "--audio", str(audio), "--seed", "42", "--steps", "3", "--count", "2",
        "--width", "64", "--height", "64", "--guidance", "5.5", "--out", str(out),
        tiny_sd_dir=tiny_sd_dir, whisper_base_dir=whisper_base_dir,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Language:    it" in done.stdout
    assert "Translation:" in done.stdout and "Prompt:" in done.stdout
    assert "drawing" in done.stderr  # the tqdm progress bar
    record = json.loads((out / "job.json").read_text())
    assert record["speech"]["language"] == "it"
    assert record["options"]["prompt"] == record["speech"]["prompt"]
    assert [image["seed"] for image in record["images"]] == [42, 43]
    for index, image in enumerate(record["images"]):
        parameters = read_png_parameters(Path(image["path"]).read_bytes())
        assert parameters["seed"] == 42 + index
        assert parameters["guidance"] == 5.5
        assert parameters["prompt"] == record["speech"]["prompt"]


def test_imagine_from_a_prompt_and_its_errors(tmp_path, tiny_sd_dir, whisper_base_dir):
    out = tmp_path / "out"
    done = run_imagine(
        "--prompt", "a red cat", "--seed", "7", "--steps", "2", "--count", "1",
        "--width", "64", "--height", "64", "--out", str(out),
        tiny_sd_dir=tiny_sd_dir, whisper_base_dir=whisper_base_dir,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (out / "image-0-seed-7.png").exists()
    assert "Language:" not in done.stdout

    bad = run_imagine(
        "--prompt", "a red cat", "--steps", "500", "--out", str(out),
        tiny_sd_dir=tiny_sd_dir, whisper_base_dir=whisper_base_dir,
    )  # fmt: skip
    assert bad.returncode == 1
    assert "`steps` must be between 1 and 100" in bad.stderr
    assert "Traceback" not in bad.stderr

    not_audio = tmp_path / "notes.txt"
    not_audio.write_text("hello")
    refused = run_imagine(
        "--audio", str(not_audio), "--out", str(out),
        tiny_sd_dir=tiny_sd_dir, whisper_base_dir=whisper_base_dir,
    )  # fmt: skip
    assert refused.returncode == 1
    assert "couldn't read that as audio" in refused.stderr
    assert "Traceback" not in refused.stderr
