"""Settings: the example file is complete and valid, env overrides win, bad keys are named."""

import re
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings

EXAMPLE = Path(__file__).resolve().parents[1] / "config" / "bot.example.toml"


def test_example_file_loads_and_matches_the_defaults(monkeypatch):
    monkeypatch.setenv("S2I_CONFIG", str(EXAMPLE))
    from_file = load_settings()
    monkeypatch.setenv("S2I_CONFIG", "/nonexistent.toml")
    assert from_file == load_settings()
    assert from_file.speech.model == "medium"
    assert from_file.defaults.guidance == 7.0 and from_file.defaults.count == 2


def test_every_setting_is_documented_in_the_example():
    # Each [section]'s text, up to the next header: a key must be documented in its own section.
    parts = re.split(r"^\[(\w+)\]$", EXAMPLE.read_text(), flags=re.MULTILINE)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    for section, model in Settings.model_fields.items():
        annotation = model.annotation
        if hasattr(annotation, "model_fields"):
            assert section in sections, f"[{section}] is not in bot.example.toml"
            for key in annotation.model_fields:
                assert f"{key} =" in sections[section], f"{section}.{key} is not in its section"


def test_environment_overrides_the_file(tmp_path, monkeypatch):
    config = tmp_path / "bot.toml"
    config.write_text('[speech]\nmodel = "small"\n[limits]\nmax_steps = 60\n')
    monkeypatch.setenv("S2I_CONFIG", str(config))
    monkeypatch.setenv("S2I_SPEECH__MODEL", "base")
    settings = load_settings()
    assert settings.speech.model == "base"
    assert settings.limits.max_steps == 60


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('[speech]\nbackend = "whisperx"\n', "speech.backend"),
        ("[limits]\nmax_steps = 0\n", "limits.max_steps"),
        ("[speech]\nmodle = 'base'\n", "speech.modle"),
        ("[defaults]\nsteps = 500\n", "defaults.steps"),
        ("[limits]\nmax_side = 1020\nmin_side = 256\n", "limits"),
        ('[discord]\napi_base = "nirn-proxy:8080"\n', "discord.api_base"),
    ],
)
def test_bad_settings_fail_naming_the_key(tmp_path, monkeypatch, toml, key):
    config = tmp_path / "bot.toml"
    config.write_text(toml)
    monkeypatch.setenv("S2I_CONFIG", str(config))
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert key in str(error.value)


def test_token_comes_from_env_or_file_and_is_never_shown(tmp_path, monkeypatch):
    monkeypatch.setenv("S2I_CONFIG", "/nonexistent.toml")
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="DISCORD_TOKEN"):
        load_settings().discord_token()
    secret = tmp_path / "token"
    secret.write_text("abc.def.ghi\n")
    settings = load_settings(discord={"token_file": secret})
    token = settings.discord_token()
    assert token.get_secret_value() == "abc.def.ghi"
    assert "abc" not in repr(token) and "abc" not in str(settings)
    monkeypatch.setenv("DISCORD_TOKEN", "from-env")
    assert settings.discord_token().get_secret_value() == "from-env"
