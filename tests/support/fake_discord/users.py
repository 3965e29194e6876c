"""Users acting, as the Discord client does it: the INTERACTION_CREATE of a slash command, a
context menu, a button, a menu choice or a submitted form, and the MESSAGE_CREATE of a voice
message or a reply. Each returns the id the test waits on (the interaction's or the message's).
Run on the fake's event loop."""

from __future__ import annotations

import base64
from typing import Any

from simcord import interactions as sim_interactions
from simcord.backend import serializers
from simcord.enums import AppCommandType, ComponentType, InteractionType, OptionType

from tests.support.fake_discord.history import walk
from tests.support.fake_discord.limits import UPLOAD_LIMIT_BYTES
from tests.support.fake_discord.world import RecordingBackend

VOICE_MESSAGE_FLAG = 1 << 13
"""``MessageFlags.voice``: the message is a voice message."""
FLAT_WAVEFORM = bytes([128]) * 64
LINK_STYLES = (5, 6)
TEXT_INPUT = ComponentType.TEXT_INPUT
"""Link and premium buttons send no interaction."""


def slash(
    backend: RecordingBackend, user_id: int, channel_id: int, name: str, options: dict[str, Any]
) -> int:
    """``/name`` with ``options`` checked as the client checks them (types, ranges, choices,
    required ones); an ATTACHMENT option takes ``(filename, bytes)``, uploaded to the CDN."""
    guild_id = backend.get_channel(channel_id).guild_id
    root = _command(backend, name, guild_id, AppCommandType.CHAT_INPUT)
    accepted = sim_interactions.check_options(name, root, options)
    declared = {option["name"]: option["type"] for option in root.get("options") or []}
    wire, resolved = [], {}
    for key, value in accepted.items():
        kind = declared[key]
        if kind == OptionType.ATTACHMENT:
            filename, data = value
            value = sim_interactions.store_interaction_attachment(
                backend, channel_id, filename, bytes(data), resolved
            )
        elif kind in (OptionType.USER, OptionType.CHANNEL, OptionType.ROLE, OptionType.MENTIONABLE):
            raise NotImplementedError(f"/{name} {key}: the fake sends no snowflake options")
        wire.append({"name": key, "type": kind, "value": value})
    data: dict[str, Any] = {"id": root["id"], "name": name, "type": root["type"], "options": wire}
    if resolved:
        data["resolved"] = resolved
    if root.get("guild_id"):
        data["guild_id"] = root["guild_id"]
    return _interact(backend, InteractionType.APPLICATION_COMMAND, user_id, channel_id, data)


def message_command(
    backend: RecordingBackend, user_id: int, channel_id: int, name: str, message_id: int
) -> int:
    """A message context-menu command (Apps → ``name``) on ``message_id``."""
    guild_id = backend.get_channel(channel_id).guild_id
    root = _command(backend, name, guild_id, AppCommandType.MESSAGE)
    target = serializers.message_payload(backend, backend.get_message(channel_id, message_id))
    data = {
        "id": root["id"],
        "name": name,
        "type": AppCommandType.MESSAGE,
        "target_id": str(message_id),
        "resolved": {"messages": {str(message_id): dict(target)}},
    }
    return _interact(backend, InteractionType.APPLICATION_COMMAND, user_id, channel_id, data)


def click(
    backend: RecordingBackend, user_id: int, channel_id: int, message_id: int, custom_id: str
) -> int:
    """A press on the button ``custom_id`` of a message (it must be there and enabled)."""
    component = _component(backend, channel_id, message_id, custom_id, ComponentType.BUTTON)
    if component.get("style") in LINK_STYLES:
        raise ValueError(f"{custom_id!r} is a link button: it sends no interaction")
    data = {"custom_id": custom_id, "component_type": ComponentType.BUTTON}
    return _on_message(backend, user_id, channel_id, message_id, data, component)


def choose(
    backend: RecordingBackend,
    user_id: int,
    channel_id: int,
    message_id: int,
    custom_id: str,
    values: list[str],
) -> int:
    """A choice in the string menu ``custom_id`` of a message."""
    component = _component(backend, channel_id, message_id, custom_id, ComponentType.STRING_SELECT)
    offered = {option["value"] for option in component.get("options") or []}
    if not set(values) <= offered:
        raise ValueError(f"{custom_id!r} offers {sorted(offered)}, not {values}")
    data = {"custom_id": custom_id, "component_type": ComponentType.STRING_SELECT, "values": values}
    return _on_message(backend, user_id, channel_id, message_id, data, component)


def submit_form(backend: RecordingBackend, interaction_id: int, values: dict[str, str]) -> int:
    """Submit the form (modal) the bot answered ``interaction_id`` with, its text inputs filled
    with ``values`` by custom id (the others keep their pre-filled value), in the form's own
    layout (rows or labels) as the client sends it."""
    shown = backend.interactions[interaction_id]
    if shown.modal is None or shown.modal_consumed:
        raise ValueError(f"interaction {interaction_id} has no open form")
    inputs = {c["custom_id"] for c in walk(shown.modal["components"]) if c["type"] == TEXT_INPUT}
    if set(values) - inputs:
        raise ValueError(f"the form has no inputs {sorted(set(values) - inputs)}")
    components = [_submitted(node, values) for node in shown.modal["components"]]
    shown.modal_consumed = True
    data = {"custom_id": shown.modal["custom_id"], "components": components}
    extra = {}
    if shown.source_message_id is not None:
        source = backend.get_message(shown.channel_id, shown.source_message_id)
        extra["message"] = dict(serializers.message_payload(backend, source))
    return _interact(
        backend,
        InteractionType.MODAL_SUBMIT,
        shown.user_id,
        shown.channel_id,
        data,
        extra=extra,
        source_message_id=shown.source_message_id,
    )


def _submitted(node: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """One component of a form as submitted: a row or a label around its input, the text
    typed in it, a text display as it is."""
    kind = node["type"]
    out: dict[str, Any] = {"type": kind} | ({"id": node["id"]} if "id" in node else {})
    if kind == ComponentType.ACTION_ROW:
        out["components"] = [_submitted(child, values) for child in node["components"]]
    elif kind == ComponentType.LABEL:
        out["component"] = _submitted(node["component"], values)
    elif kind == TEXT_INPUT:
        value = values.get(node["custom_id"], node.get("value") or "")
        if node.get("required", True) and not value:
            raise ValueError(f"{node['custom_id']!r} is required")
        out |= {"custom_id": node["custom_id"], "value": value}
    elif kind != ComponentType.TEXT_DISPLAY:
        raise NotImplementedError(f"the fake fills no form component of type {kind}")
    return out


def post(
    backend: RecordingBackend,
    user_id: int,
    channel_id: int,
    content: str = "",
    *,
    files: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
    reply_to: int | None = None,
) -> int:
    """A user's message (with files; as a reply to ``reply_to``)."""
    attachments = backend.store_attachments(channel_id, list(files)) if files else None
    reference = None
    if reply_to is not None:
        reference = {"message_id": str(reply_to), "channel_id": str(channel_id)}
    message = backend.create_message(
        channel_id, user_id, content, attachments=attachments, reference=reference
    )
    return message.id


def voice_message(
    backend: RecordingBackend,
    user_id: int,
    channel_id: int,
    ogg: bytes,
    duration: float,
    *,
    waveform: bytes = FLAT_WAVEFORM,
    reply_to: int | None = None,
) -> int:
    """A voice message as the client posts it: flag 8192, no text, one ``audio/ogg`` attachment
    with ``duration_secs`` and a base64 ``waveform``."""
    [attachment] = backend.store_attachments(channel_id, [("voice-message.ogg", ogg)])
    attachment.update(
        content_type="audio/ogg",
        duration_secs=duration,
        waveform=base64.b64encode(waveform).decode(),
    )
    reference = None
    if reply_to is not None:
        reference = {"message_id": str(reply_to), "channel_id": str(channel_id)}
    message = backend.create_message(
        channel_id,
        user_id,
        "",
        attachments=[attachment],
        flags=VOICE_MESSAGE_FLAG,
        reference=reference,
    )
    return message.id


def _command(
    backend: RecordingBackend, name: str, guild_id: int | None, kind: int
) -> dict[str, Any]:
    root = backend.find_command(name, guild_id, type=kind)
    if root is None:
        raise LookupError(f"no command {name!r} of type {kind} is synced")
    return root


def _component(
    backend: RecordingBackend, channel_id: int, message_id: int, custom_id: str, kind: int
) -> dict[str, Any]:
    message = backend.get_message(channel_id, message_id)
    for component in walk(message.components):
        if component.get("custom_id") == custom_id and component["type"] == kind:
            if component.get("disabled"):
                raise ValueError(f"{custom_id!r} is disabled")
            return component
    found = [c.get("custom_id") for c in walk(message.components) if c.get("custom_id")]
    raise LookupError(f"message {message_id} has no {custom_id!r} (it has {found})")


def _on_message(
    backend: RecordingBackend,
    user_id: int,
    channel_id: int,
    message_id: int,
    data: dict[str, Any],
    component: dict[str, Any],
) -> int:
    if component.get("id") is not None:
        data["id"] = component["id"]
    message = backend.get_message(channel_id, message_id)
    extra = {"message": dict(serializers.message_payload(backend, message))}
    return _interact(
        backend,
        InteractionType.MESSAGE_COMPONENT,
        user_id,
        channel_id,
        data,
        extra=extra,
        source_message_id=message_id,
    )


def _interact(
    backend: RecordingBackend,
    kind: int,
    user_id: int,
    channel_id: int,
    data: dict[str, Any],
    *,
    extra: dict[str, Any] | None = None,
    source_message_id: int | None = None,
) -> int:
    record, payload = sim_interactions.base_payload(
        backend,
        type=kind,
        channel_id=channel_id,
        guild_id=backend.get_channel(channel_id).guild_id,
        user_id=user_id,
        data=data,
    )
    payload |= extra or {}
    payload["attachment_size_limit"] = UPLOAD_LIMIT_BYTES
    record.source_message_id = source_message_id
    backend.emit("INTERACTION_CREATE", payload)
    return record.id
