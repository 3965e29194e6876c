"""Where a model comes from, checked before it loads, and why a load failed, in one sentence.

huggingface_hub retries a request that meets a network error five times with back-off (about
23 s) before it falls back to its cache, and diffusers turns its typed errors into plain
``OSError``s; a start with no network, a typo or a gated model ended in a traceback.
:meth:`ModelSource.check` asks the hub once (one request, :data:`PROBE_TIMEOUT`) before anything
loads: a missing folder, an unknown or gated repository, or a model neither cached nor reachable
fails at once; a cached model whose hub does not answer loads from the cache without waiting.
:meth:`ModelSource.loading` turns whatever a load raises into a :class:`ModelLoadError`: its
message, for users, names the model by its display name only; ``fix`` (for the log and the command
line) says what to do.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.config import display_name, is_a_path
from bot.domain.errors import ModelUnfit, UserFacingError

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 5.0
"""Seconds to wait for the hub's answer about a model before loading from the cache only."""


class ModelLoadError(UserFacingError):
    """A model that cannot be loaded: ``str()`` is one sentence fit for users (display names, no
    paths); :attr:`fix` is what the admin can do, with the setting to change."""

    def __init__(self, what: str, model: str, reason: str, fix: str) -> None:
        super().__init__(f"The {what} {display_name(model)} could not be loaded: {reason}.")
        self.fix = fix
        self.unexpected = False
        """Not one of the known reasons: the log gets the traceback."""

    @property
    def admin_message(self) -> str:
        """One line for the log or the console: the sentence, the fix and the original error."""
        lines = str(self.__cause__ or "").strip().splitlines()
        detail = f" ({lines[0]})" if lines else ""
        return f"{self} Fix: {self.fix[:1].upper()}{self.fix[1:]}.{detail}"


@dataclass(frozen=True)
class ModelSource:
    """One model to load: ``setting`` (a name, hub repo id or folder) of the setting ``key``."""

    what: str
    """How users know it: "image model", "Whisper model"."""
    setting: str
    key: str
    repo_id: str = ""
    """On the hub (default: ``setting``)."""
    cache_dir: Path | None = None
    marker: str = "config.json"
    """A file every cached copy has."""

    def check(self, *, local_files_only: bool) -> bool:
        """Check that the model can be had before loading it; return whether to load it from the
        local cache only. Raises :class:`ModelLoadError` at once when it cannot."""
        from huggingface_hub import HfApi, constants
        from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError

        if Path(self.setting).expanduser().is_dir():
            return local_files_only
        if is_a_path(self.setting):
            raise self.error("no such folder", f"check {self.key}: {self.setting} is not a folder")
        if local_files_only or constants.is_offline_mode():
            if not self._cached():
                section = self.key.split(".")[0]
                fix = f"unset HF_HUB_OFFLINE and {section}.local_files_only once to download it, or {self._folder_fix()}"
                raise self.error("it is not downloaded here and downloads are off", fix)
            return True
        try:
            HfApi().model_info(self.repo_id or self.setting, timeout=PROBE_TIMEOUT)
        except GatedRepoError as error:
            raise self._gated() from error
        except RepositoryNotFoundError as error:
            raise self._not_found() from error
        except Exception as error:  # no answer (network, timeout, proxy): the cache, if any
            if not self._cached():
                reason = "it is not downloaded here and the model hub cannot be reached"
                fix = f"connect to the model hub once to download it (HF_TOKEN for a gated model), or {self._folder_fix()}"
                raise self.error(reason, fix) from error
            log.warning("the model hub did not answer (%s): %s from the cache", error, self.setting)
            return True
        return False

    @contextmanager
    def loading(self) -> Iterator[None]:
        """Raise whatever the block raises as a :class:`ModelLoadError` (:meth:`failure`)."""
        try:
            yield
        except ModelLoadError:
            raise
        except Exception as error:
            raise self.failure(error) from error

    def failure(self, error: BaseException) -> ModelLoadError:
        """The :class:`ModelLoadError` for ``error``, raised while loading the model."""
        from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError

        chain = list(_chain(error))
        if any(isinstance(e, GatedRepoError) for e in chain):
            return self._gated()
        if any(isinstance(e, RepositoryNotFoundError) for e in chain):
            return self._not_found()
        unfit = next((e for e in chain if isinstance(e, ModelUnfit)), None)
        if unfit is not None:  # a family mismatch, a quantization this machine cannot run
            return self.error(str(unfit), f"{unfit.fix} in {self.key}")
        if any(_out_of_memory(e) for e in chain):
            fix = (
                f'set offload = "model" (or "group") or a quantization for it in {self.key}, '
                "choose a smaller model, or another device"
            )
            return self.error("it does not fit in the device's memory", fix)
        failure = self.error(
            "its files could not be read", f"check {self.key}; the log has details"
        )
        failure.unexpected = True
        return failure

    def error(self, reason: str, fix: str) -> ModelLoadError:
        return ModelLoadError(self.what, self.setting, reason, fix)

    def cached_folder(self) -> Path | None:
        """The downloaded copy of a hub model (the folder holding :attr:`marker`), or None."""
        from huggingface_hub import try_to_load_from_cache

        repo_id = self.repo_id or self.setting
        found = try_to_load_from_cache(repo_id, self.marker, cache_dir=self.cache_dir)
        return Path(found).parent if isinstance(found, str) else None

    def _cached(self) -> bool:
        return self.cached_folder() is not None

    def _folder_fix(self) -> str:
        return f"set {self.key} to a local folder; once it is here, HF_HUB_OFFLINE=1 skips the hub"

    def _gated(self) -> ModelLoadError:
        fix = "accept its licence on huggingface.co, then set HF_TOKEN to an access token"
        return self.error("it needs a Hugging Face login with access to it", fix)

    def _not_found(self) -> ModelLoadError:
        fix = f"check the name in {self.key} (a hub repo id such as org/name), or {self._folder_fix()}"
        return self.error("there is no model by that name", fix)


def _chain(error: BaseException | None) -> Iterator[BaseException]:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def _out_of_memory(error: BaseException) -> bool:
    text = str(error).lower()
    return isinstance(error, MemoryError) or "out of memory" in text or "can't allocate" in text
