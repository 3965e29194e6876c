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


def run_bot(*args: str, **env: str) -> subprocess.CompletedProcess:
    """``python -m bot`` with no config file and a model hub that does not answer."""
    base = {key: value for key, value in os.environ.items() if key != "HF_HUB_OFFLINE"}
    env = base | {"S2I_CONFIG": "/nonexistent.toml", "HF_ENDPOINT": "http://127.0.0.1:9"} | env
    command = [sys.executable, "-m", "bot", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def assert_one_clear_failure(done: subprocess.CompletedProcess, model: str, fix: str) -> None:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if " ERROR " in line]
    assert len(errors) == 1, done.stderr
    assert model in errors[0] and fix in errors[0], done.stderr


@pytest.mark.parametrize(
    ("flag", "model", "said", "fix"),
    [
        ("--image-model", "nobody/no-such-model", "the model hub cannot be reached", "local folder"),
        ("--image-model", "/srv/models/tyop", "The image model tyop could not be loaded: no such folder", "image.model"),
        ("--whisper-model", "bsae", "The Whisper model bsae could not be loaded", "large-v3"),
        ("--whisper-model", "/srv/whisper/tyop", "The Whisper model tyop could not be loaded: no such folder", "speech.model"),
    ],
)  # fmt: skip
def test_imagine_with_a_model_it_cannot_get_fails_at_once_in_one_line(
    tmp_path, english_voice_message, flag, model, said, fix
):
    audio = tmp_path / "voice.ogg"
    audio.write_bytes(english_voice_message)
    source = ["--audio", str(audio)] if flag == "--whisper-model" else ["--prompt", "a red cat"]
    done = run_bot("imagine", *source, flag, model, "--device", "cpu", "--out", str(tmp_path))
    assert_one_clear_failure(done, model.rsplit("/", 1)[-1], fix)
    assert said in done.stderr


def test_imagine_offline_with_a_model_not_downloaded_says_so(tmp_path):
    done = run_bot(
        "imagine", "--prompt", "a red cat", "--image-model", "nobody/no-such-model",
        "--out", str(tmp_path), HF_HUB_OFFLINE="1", HF_HUB_CACHE=str(tmp_path / "cache"),
    )  # fmt: skip
    assert_one_clear_failure(done, "nobody/no-such-model", "Unset HF_HUB_OFFLINE")
    assert "not downloaded here and downloads are off" in done.stderr


def test_a_worker_whose_model_cannot_be_had_stops_with_one_line(tmp_path):
    done = run_bot(
        "worker",
        S2I_QUEUE__BACKEND="redis",
        S2I_QUEUE__REDIS_URL="redis://127.0.0.1:9",
        S2I_METRICS__ENABLED="false",
        S2I_SPEECH__MODEL=str(tmp_path / "whisper-tyop"),
        S2I_IMAGE__MODEL="nobody/no-such-model",
    )
    assert_one_clear_failure(done, "whisper-tyop", "speech.model")
    assert str(tmp_path) in done.stderr  # the admin sees the folder asked for
