"""Discord's limits that simcord's backend leaves unchecked and the bot relies on: uploads (10
files, 10 MiB each), autocomplete answers (25 choices) and application commands (names,
descriptions, 25 options, 25 choices). Each check returns Discord's error, or None."""

from __future__ import annotations

import re
from typing import Any

MAX_FILES = 10
UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024
"""Discord's per-file upload limit for a server without boosts (since 2025-01)."""
MAX_CHOICES = 25
MAX_OPTIONS = 25
NAME = re.compile(r"^[-_\w]{1,32}$")
CHAT_INPUT = 1
AUTOCOMPLETE_RESULT = 8

Error = tuple[int, dict[str, Any]]


def invalid_form_body(where: str, message: str) -> Error:
    """Discord's 400 for a payload it refuses: code 50035 with the offending field."""
    errors = {"_errors": [{"code": "BASE_TYPE_INVALID", "message": message}]}
    return 400, {"code": 50035, "message": "Invalid Form Body", "errors": {where: errors}}


def check_uploads(sizes: list[int]) -> Error | None:
    if len(sizes) > MAX_FILES:
        return invalid_form_body("attachments", f"Must be {MAX_FILES} or fewer in length.")
    if any(size > UPLOAD_LIMIT_BYTES for size in sizes):
        return 413, {"code": 40005, "message": "Request entity too large"}
    return None


def check_callback(body: Any) -> Error | None:
    if not isinstance(body, dict) or body.get("type") != AUTOCOMPLETE_RESULT:
        return None
    choices = (body.get("data") or {}).get("choices") or []
    if len(choices) > MAX_CHOICES:
        return invalid_form_body("data.choices", f"Must be {MAX_CHOICES} or fewer in length.")
    return None


def check_commands(commands: Any) -> Error | None:
    """A bulk overwrite (``PUT …/commands``) as Discord validates it."""
    if not isinstance(commands, list):
        return invalid_form_body("_root", "Must be an array.")
    for index, command in enumerate(commands):
        problem = _command_problem(command)
        if problem is not None:
            return invalid_form_body(f"{index}.{problem[0]}", problem[1])
    return None


def _command_problem(command: dict[str, Any]) -> tuple[str, str] | None:
    chat_input = command.get("type", CHAT_INPUT) == CHAT_INPUT
    name = command.get("name", "")
    if chat_input and (not NAME.match(name) or name != name.lower()):
        return "name", f"Invalid command name {name!r}."
    if chat_input and not 1 <= len(command.get("description", "")) <= 100:
        return "description", "Must be between 1 and 100 in length."
    return _options_problem(command.get("options") or [], "options")


def _options_problem(options: list[dict[str, Any]], where: str) -> tuple[str, str] | None:
    if len(options) > MAX_OPTIONS:
        return where, f"Must be {MAX_OPTIONS} or fewer in length."
    seen_optional = False
    for index, option in enumerate(options):
        at = f"{where}.{index}"
        if not NAME.match(option.get("name", "")):
            return f"{at}.name", "Invalid option name."
        if not 1 <= len(option.get("description", "")) <= 100:
            return f"{at}.description", "Must be between 1 and 100 in length."
        if len(option.get("choices") or []) > MAX_CHOICES:
            return f"{at}.choices", f"Must be {MAX_CHOICES} or fewer in length."
        if option.get("choices") and option.get("autocomplete"):
            return f"{at}.autocomplete", "Autocomplete cannot be set with choices."
        if option.get("required") and seen_optional:
            return f"{at}.required", "Required options must be placed before non-required options."
        seen_optional |= not option.get("required") and option.get("type", 3) > 2
        nested = option.get("options")
        if nested:
            problem = _options_problem(nested, f"{at}.options")
            if problem is not None:
                return problem
    return None
