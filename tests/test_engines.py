"""Engines: the Whisper model a server picks is loaded once, and at most N stay resident, also
when several are asked for at once."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.config import Settings
from bot.engines.hub import ModelLoadError
from bot.engines.resident import ResidentModels
from bot.engines.runner import Engines, EngineStatus


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

        def small() -> object:
            with engines.recognizer("small") as recognizer:
                return recognizer

        first, second = await asyncio.gather(asyncio.to_thread(small), asyncio.to_thread(small))
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


class FakeLoads:
    """A recognizer factory for the cache: each load waits until ``parties`` loads run at once."""

    def __init__(self, parties: int, fail: str | None = None) -> None:
        self.loaded: list[str] = []
        self.go = threading.Event()
        """Cleared by a test to hold every load until it is set."""
        self.go.set()
        self._together = threading.Barrier(parties, timeout=10)
        self._fail = fail
        self._lock = threading.Lock()

    def __call__(self, name: str) -> dict[str, str]:
        with self._lock:
            self.loaded.append(name)
        self._together.wait()
        assert self.go.wait(10)
        if name == self._fail:
            raise OSError(f"{name} is missing")
        return {"name": name}


def test_models_loaded_at_once_by_many_threads_are_each_loaded_once_and_stay_usable():
    names = ["base", "small", "medium", "large-v3"]
    callers = names * 3
    for _ in range(20):  # many rounds, so a race would show
        loads = FakeLoads(parties=len(names))
        models = ResidentModels(loads, limit=1)
        holding = threading.Barrier(len(callers), timeout=10)

        def use(name: str, models: ResidentModels = models, holding=holding) -> str:
            with models.use(name) as model:
                holding.wait()  # every caller holds its model at once
                return model["name"]

        with ThreadPoolExecutor(max_workers=len(callers)) as pool:
            got = list(pool.map(use, callers))
        assert got == callers  # no KeyError, each caller got its own model
        assert sorted(loads.loaded) == sorted(names)  # asked three times at once, loaded once
        assert len(models.names) == 1  # back to the limit once nothing is in use


def test_a_model_in_use_or_being_loaded_is_never_evicted():
    models = ResidentModels(FakeLoads(parties=1), limit=1)
    with models.use("base") as base:
        with models.use("small"):
            assert models.names == ["base", "small"]  # over the limit while both are in use
            with models.use("base") as again:
                assert again is base  # still resident: not loaded a second time
        assert models.names == ["base"]  # small left once idle; base, in use, stayed
    with models.use("small"):
        pass
    assert models.names == ["small"]


def test_callers_waiting_for_a_failing_load_share_its_error_and_a_later_call_retries():
    loads = FakeLoads(parties=1, fail="tyop")
    loads.go.clear()  # the first load waits until the second caller waits for it
    models = ResidentModels(loads, limit=2)

    def use(name: str) -> str:
        with models.use(name) as model:
            return model["name"]

    def waiting_for_it() -> bool:
        entry = models._entries.get("tyop")  # the cache counts its users
        return entry is not None and entry.users == 2

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(use, "tyop")
        second = pool.submit(use, "tyop")
        deadline = time.monotonic() + 10
        while not waiting_for_it() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert waiting_for_it()
        loads.go.set()
        errors = [type(future.exception()) for future in (first, second)]
    assert errors == [OSError, OSError]
    assert loads.loaded.count("tyop") == 1  # one load, its error shared
    assert models.names == []
    with contextlib.suppress(OSError):
        use("tyop")
    assert loads.loaded.count("tyop") == 2  # the failure was not cached


async def test_a_cancelled_caller_releases_the_model_it_was_waiting_for():
    gate = threading.Event()

    def slow(name: str) -> str:
        gate.wait(10)
        return name

    models = ResidentModels(slow, limit=1)

    async def use(name: str) -> None:
        async with models.use_async(name):
            await asyncio.sleep(3600)

    waiting = asyncio.create_task(use("base"))
    await asyncio.sleep(0.05)
    waiting.cancel()
    gate.set()
    with contextlib.suppress(asyncio.CancelledError):
        await waiting
    while not models.names:  # the thread loads base for nobody
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)  # and the loop hands it back
    async with models.use_async("small"):
        pass
    assert models.names == ["small"]  # base was released, so it could leave


async def test_engines_that_cannot_load_say_why_in_one_user_safe_sentence(tmp_path: Path, caplog):
    typo = tmp_path / "models" / "stable-diffusoin"
    settings = Settings(image={"model": str(typo), "device": "cpu"})
    engines = Engines(settings, speech=False)
    try:
        with pytest.raises(ModelLoadError):
            await engines.wait_ready()
    finally:
        engines.close()
    said = "The image model stable-diffusoin could not be loaded: no such folder."
    assert engines.status == engines.error == said  # what /status and job messages show
    assert str(tmp_path) in caplog.text and "Fix: Check image.model" in caplog.text  # the admin's


def test_the_engines_status_names_models_by_their_display_names_only():
    status = EngineStatus("loading", "Whisper", "/srv/models/whisper-base-ct2")
    assert str(status) == "loading Whisper whisper-base-ct2"
    cached = "/root/.cache/huggingface/hub/models--Systran--faster-whisper-small/snapshots/abc"
    assert (
        str(EngineStatus("loading", "Whisper", cached))
        == "loading Whisper Systran/faster-whisper-small"
    )


async def test_a_whisper_model_given_as_a_folder_is_listed_by_its_name(whisper_base_dir: Path):
    settings = Settings(speech={"model": str(whisper_base_dir), "device": "cpu"})
    engines = Engines(settings, images=False)
    try:
        await engines.wait_ready()
    finally:
        engines.close()
    assert engines.speech_models == [whisper_base_dir.name] and engines.status == "ready"


async def test_models_are_handed_out_while_asyncios_threads_are_all_busy():
    models = ResidentModels(FakeLoads(parties=1), limit=2)
    with models.use("base"):
        pass
    loop = asyncio.get_running_loop()
    single = ThreadPoolExecutor(max_workers=1)
    loop.set_default_executor(single)
    free = threading.Event()
    blocker = loop.run_in_executor(None, free.wait, 10)  # e.g. ffmpeg, a speech batch
    try:
        async with asyncio.timeout(5):
            async with models.use_async("base") as loaded, models.use_async("small") as new:
                names = [loaded["name"], new["name"]]  # one resident, one loaded on its own pool
    finally:
        free.set()
        await blocker
        loop.set_default_executor(ThreadPoolExecutor())
        single.shutdown()
    assert names == ["base", "small"]
