"""``python -m bot doctor``, run as an admin runs it: one screen, the fix under each failure, exit
0 only when the bot (or worker) would start and serve."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.entry_point import EntryPoint
from tests.test_distributed import RedisServer
from tests.test_stop import closed_port


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server.url
    server.stop()


def doctor(tmp_path: Path, *args: str, **env: str | None) -> tuple[int, list[str]]:
    process = EntryPoint(" ".join(["doctor", *args]), env, tmp_path / "doctor.log")
    code = process.ended()
    return code, process.output.splitlines()


def finding(lines: list[str], status: str, check: str) -> list[str]:
    """The lines of one finding (its line, then its fix), found by status and check."""
    for index, line in enumerate(lines):
        if line.split()[:2] == [status, check]:
            fix = lines[index + 1 : index + 2]
            return [line, *[f for f in fix if f.strip().startswith("→")]]
    raise AssertionError(f"no {status} {check} in:\n" + "\n".join(lines))


def worker_env(tiny_sd_dir: Path, whisper_base_dir: Path, redis_url: str) -> dict[str, str | None]:
    return {
        "S2I_QUEUE__BACKEND": "redis",
        "S2I_QUEUE__REDIS_URL": redis_url,
        "S2I_IMAGE__MODEL": str(tiny_sd_dir),
        "S2I_IMAGE__DEVICE": "cpu",
        "S2I_SPEECH__MODEL": str(whisper_base_dir),
        "S2I_SPEECH__DEVICE": "cpu",
        "S2I_METRICS__PORT": "0",
        "HF_HUB_OFFLINE": "1",
    }


def test_a_worker_machine_that_would_serve(
    tmp_path: Path, tiny_sd_dir: Path, whisper_base_dir: Path, redis_url: str
):
    code, lines = doctor(
        tmp_path, "--worker", **worker_env(tiny_sd_dir, whisper_base_dir, redis_url)
    )
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
    env = worker_env(tiny_sd_dir, whisper_base_dir, f"redis://127.0.0.1:{closed_port()}/0")
    env["S2I_IMAGE__MODEL"] = str(tmp_path / "sd-tyop")
    code, lines = doctor(tmp_path, "--worker", **env)
    assert code == 1
    model = finding(lines, "FAIL", "model")
    assert "sd-tyop could not be loaded: no such folder" in model[0] and "image.model" in model[1]
    redis = finding(lines, "FAIL", "redis")
    assert "unreachable" in redis[0] and "queue.redis_url" in redis[1]
    assert lines[-1] == "The worker would not start and serve: fix model, redis."


def test_a_bad_setting_is_the_first_finding(tmp_path: Path):
    code, lines = doctor(tmp_path, S2I_IMAGE__STEPS="many")
    assert code == 1
    [line, fix] = finding(lines, "FAIL", "config")
    assert "image.steps: Extra inputs are not permitted" in line and "fix each key" in fix


def test_without_a_token_the_bot_would_not_start(tmp_path: Path, redis_url: str):
    env = {"DISCORD_TOKEN": None, "S2I_QUEUE__BACKEND": "redis", "S2I_QUEUE__REDIS_URL": redis_url}
    env |= {"S2I_STORE__PATH": str(tmp_path / "jobs.sqlite3"), "S2I_METRICS__PORT": "0"}
    code, lines = doctor(tmp_path, **env)
    assert code == 1
    [_, fix] = finding(lines, "FAIL", "token")
    assert "DISCORD_TOKEN" in fix
    assert "no worker's heartbeat" in finding(lines, "FAIL", "workers")[0]
    assert finding(lines, "ok", "store") and finding(lines, "ok", "metrics")
    assert not [line for line in lines if line.split()[1:2] == ["model"]]  # the workers' to check
