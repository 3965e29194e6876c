"""``python -m bot doctor``, run as an admin runs it (against the fake Discord): one screen, the
fix under each failure, exit 0 only when the bot (or worker) would start and serve."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import load_settings
from bot.doctor.models import Device, model_findings, weights_size
from tests.support.bot_process import BotProcess, bot_environment, environment
from tests.support.fake_discord import FakeDiscord
from tests.support.fake_discord.server import free_port
from tests.test_distributed import RedisServer


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server.url
    server.stop()


def doctor(env: dict[str, str], *args: str) -> tuple[int, list[str]]:
    with BotProcess(env, " ".join(["doctor", *args])) as process:
        code = process.wait(240)
    return code, process.output.splitlines()


def finding(lines: list[str], status: str, check: str) -> list[str]:
    """The lines of one finding (its line, then its fix), found by status and check."""
    for index, line in enumerate(lines):
        if line.split()[:2] == [status, check]:
            fix = lines[index + 1 : index + 2]
            return [line, *[f for f in fix if f.strip().startswith("→")]]
    raise AssertionError(f"no {status} {check} in:\n" + "\n".join(lines))


def worker_env(
    tmp_path: Path, tiny_sd_dir: Path, whisper_base_dir: Path, redis_url: str
) -> dict[str, dict[str, Any]]:
    return {
        "queue": {"backend": "redis", "redis_url": redis_url},
        "image": {"model": str(tiny_sd_dir), "device": "cpu"},
        "speech": {"model": str(whisper_base_dir), "device": "cpu"},
        "metrics": {"port": 0},
    }


def test_a_worker_machine_that_would_serve(
    tmp_path: Path, tiny_sd_dir: Path, whisper_base_dir: Path, redis_url: str
):
    settings = worker_env(tmp_path, tiny_sd_dir, whisper_base_dir, redis_url)
    code, lines = doctor(environment(tmp_path, settings), "--worker")
    assert code == 0, "\n".join(lines)
    assert lines[-1] == "The worker would start and serve."
    assert finding(lines, "ok", "ffmpeg")[0].split()[2] == "ffmpeg"
    assert "CPU" in finding(lines, "warn", "device")[0]  # a CPU draws, slowly: a warning only
    models = [line for line in lines if line.split()[:2] == ["ok", "model"]]
    assert len(models) == 2 and "a local folder" in models[0] and "GiB" in models[0]
    assert finding(lines, "ok", "redis")
    assert not [line for line in lines if "token" in line.split()[:2]]  # no Discord on a worker


def test_each_failure_has_its_fix_and_the_exit_code_says_so(
    tmp_path: Path, tiny_sd_dir: Path, whisper_base_dir: Path
):
    settings = worker_env(
        tmp_path, tiny_sd_dir, whisper_base_dir, f"redis://127.0.0.1:{free_port()}/0"
    )
    settings["image"]["model"] = str(tmp_path / "sd-tyop")
    code, lines = doctor(environment(tmp_path, settings), "--worker")
    assert code == 1
    model = finding(lines, "FAIL", "model")
    assert "sd-tyop could not be loaded: no such folder" in model[0] and "image.model" in model[1]
    redis = finding(lines, "FAIL", "redis")
    assert "unreachable" in redis[0] and "queue.redis_url" in redis[1]
    assert lines[-1] == "The worker would not start and serve: fix model, redis."


def test_a_bad_setting_is_the_first_finding(tmp_path: Path):
    code, lines = doctor(environment(tmp_path, {"image": {"steps": "many"}}))
    assert code == 1
    [line, fix] = finding(lines, "FAIL", "config")
    assert "image.steps: Extra inputs are not permitted" in line and "fix each key" in fix


def test_a_scaled_out_bot_without_token_nor_workers(tmp_path: Path, redis_url: str):
    settings = {
        "queue": {"backend": "redis", "redis_url": redis_url},
        "store": {"path": str(tmp_path / "jobs.sqlite3")},
        "metrics": {"port": 0},
    }
    code, lines = doctor(environment(tmp_path, settings))
    assert code == 1
    [_, fix] = finding(lines, "FAIL", "token")
    assert "DISCORD_TOKEN" in fix
    assert "no worker's heartbeat" in finding(lines, "FAIL", "workers")[0]
    assert finding(lines, "ok", "store") and finding(lines, "ok", "metrics")
    assert not [line for line in lines if line.split()[1:2] == ["model"]]  # the workers' to check


@pytest.mark.parametrize("portal", ["ready", "intent off", "token reset"])
def test_the_bot_against_discord(
    tmp_path: Path, tiny_sd_dir: Path, whisper_base_dir: Path, portal: str
):
    with FakeDiscord() as fake:
        if portal == "intent off":
            fake.set_privileged_intents()
        if portal == "token reset":
            fake.reject_token()
        env = bot_environment(
            fake, tmp_path, image_model=tiny_sd_dir, speech_model=whisper_base_dir
        )  # auto_voice on: it needs the Message Content intent
        code, lines = doctor(env)
    if portal == "ready":
        assert code == 0, "\n".join(lines)
        assert "Speech2Image" in finding(lines, "ok", "token")[0]
        assert "asked for and enabled" in finding(lines, "ok", "intents")[0]
        assert "in 1 server" in finding(lines, "ok", "servers")[0]
        assert lines[-1] == "The bot would start and serve."
    elif portal == "intent off":
        assert code == 1
        [said, fix] = finding(lines, "FAIL", "intents")
        assert "Message Content" in said and "discord.auto_voice = true" in said
        assert f"/applications/{fake.application_id}/bot" in fix and "auto_voice = false" in fix
    else:
        assert code == 1
        [said, fix] = finding(lines, "FAIL", "token")
        assert "rejected the token (401)" in said and "Reset Token" in fix


def test_a_models_size_is_what_its_load_reads():
    files = {
        "model_index.json": 1,
        "v1-5-pruned.safetensors": 4_000,  # a single-file checkpoint beside the folders: unused
        "unet/diffusion_pytorch_model.safetensors": 3_400,
        "unet/diffusion_pytorch_model.bin": 3_400,  # safetensors win
        "unet/diffusion_pytorch_model.fp16.safetensors": 1_700,
        "vae/diffusion_pytorch_model.safetensors": 330,
        "text_encoder/model.safetensors": 490,
        "text_encoder/model.fp16.safetensors": 245,
    }
    assert weights_size(files, None, speech=False) == 3_400 + 330 + 490
    assert weights_size(files, "fp16", speech=False) == 1_700 + 330 + 245  # the variant where it is
    assert weights_size({"model.bin": 145, "config.json": 2}, None, speech=True) == 145


@pytest.mark.parametrize("offload", ["none", "model"])
async def test_a_model_too_big_for_its_device(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    tiny_sd_dir: Path,
    whisper_base_dir: Path,
    offload: str,
):
    monkeypatch.setenv("S2I_CONFIG", str(tmp_path / "absent.toml"))
    settings = load_settings(
        image={"model": str(tiny_sd_dir), "offload": offload},
        speech={"model": str(whisper_base_dir)},
    )
    tiny_gpu = Device("a 1 KiB GPU", memory=1024, image_bytes=2, speech_bytes=2)
    image, whisper = [finding async for finding in model_findings(settings, tiny_gpu)]
    assert whisper.status == "FAIL" and "which has 0.0 GiB" in whisper.said
    if offload == "none":
        assert image.status == "FAIL" and "on a 1 KiB GPU, which has" in image.said
        assert image.fix.startswith('set offload = "model" or a quantization')
    else:  # only part of its weights need to be there at once
        assert image.status == "ok" and image.said.endswith("at most (offload = 'model')")
