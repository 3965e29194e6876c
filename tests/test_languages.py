"""The bot in its users' languages, through real discord.py (simcord) and the real engines: a
German user's job messages, buttons and refusals in German, a Japanese user's private answers in
Japanese in the same server, a server's fixed language for job messages, and the commands synced
with their translations."""

from __future__ import annotations

import json

import discord
import pytest

from bot.config import Settings
from cogs.i18n.catalog import ENGLISH, LOCALES_DIR, supported
from cogs.i18n.translator import command_payload, english_texts
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import final_state, job_id, reply_to, told_privately
from tests.test_catalogs import _name_ok

pytestmark = pytest.mark.simcord(settle_timeout=120)

ADMIN = discord.Permissions(manage_guild=True)


def shown(state) -> dict:
    """A job message as Discord received it: title, fields, footer and button labels."""
    embed = state.embeds[0]
    labels = [
        item.get("label") or item.get("placeholder")
        for row in state.components
        for item in row["components"]
        if item.get("label") or item.get("placeholder")
    ]
    fields = {field["name"]: field["value"] for field in embed.get("fields", [])}
    return {
        "title": embed["title"],
        "fields": fields,
        "footer": embed["footer"]["text"],
        "buttons": labels,
    }


async def test_each_user_is_answered_in_their_language(
    discord_harness: DiscordHarness, english_voice_message: bytes, held
):
    h = discord_harness
    dora, jun = h.member("dora", locale="de"), h.member("jun", locale="ja")

    drawn = await h.slash(dora, "imagine", prompt="a red fox in the snow", seed=7, count=1)
    german = shown(final_state(h, drawn.response))
    print("German job message:", json.dumps(german, ensure_ascii=False))
    assert german["title"] == "✅ Fertig"
    assert german["footer"].startswith("Auftrag ")
    assert {"Seed", "Guidance", "Schritte", "Größe", "Bilder", "Modell"} <= set(german["fields"])
    assert german["buttons"][:5] == [
        "Neu würfeln",
        "Beschreibung ändern",
        "Löschen",
        "Variieren (subtil)",
        "Variieren (stark)",
    ]
    assert "Rauszoomen 1,5×" in german["buttons"]  # numbers in the reader's format
    progress = [s.embeds[0]["title"] for s in h.edits_of(drawn.response) if s.embeds]
    assert any(title.startswith(("⏳ In der Warteschlange", "🎨 Male")) for title in progress)

    out_of_range = await h.slash_raw(dora, "imagine", prompt="x", seed=2**40)
    said = told_privately(out_of_range) or ""
    assert said.startswith("`seed` muss zwischen 0 und 4.294.967.295 liegen"), said

    voice = await h.send_voice_message(dora, english_voice_message, duration=2.0)
    heard = shown(final_state(h, reply_to(h, voice)))
    print("German voice job message:", json.dumps(heard, ensure_ascii=False))
    assert heard["title"] == "✅ Fertig" and any(
        n.startswith("Gehört (Englisch") for n in heard["fields"]
    )
    assert "Übersetzung" not in heard["fields"] or heard["fields"]["Übersetzung"]

    admin = h.member("admin", permissions=ADMIN)
    await h.slash(admin, "settings", per_user_limit=1)
    gate = held["gate"] = h.gate()
    waiting = await h.slash(dora, "imagine", prompt="a slow boat")
    await h.send_voice_message(dora, english_voice_message, duration=2.0)
    refusal = h.message_requests()[-1]  # a reply that deleted itself a (virtual) minute later
    assert refusal.content == (
        "❌ Du hast schon 1 Auftrag in der Warteschlange. Warte, bis er fertig ist, oder brich ihn ab."
    )
    await gate.release()
    held["gate"] = None
    assert final_state(h, waiting.response).embeds[0]["title"] == "✅ Fertig"

    helped = await h.slash(jun, "help")
    assert helped.response.content.startswith("**話しかけてくれたら、描きます。**")
    nothing = await h.slash(jun, "imagine", seed=1)
    assert (
        told_privately(nothing)
        == "何を描くか教えてください：`プロンプト` を入力するか `音声` を添付してください。"
    )
    queue = await h.slash(jun, "queue")
    assert "キューにあなたのリクエストはありません。" in queue.response.content
    japanese = await h.slash(jun, "imagine", prompt="a lighthouse at dawn", seed=3, count=2)
    ja_shown = shown(final_state(h, japanese.response))
    print("Japanese job message:", json.dumps(ja_shown, ensure_ascii=False))
    assert ja_shown["title"] == "✅ 完成" and "シード" in ja_shown["fields"]
    assert ja_shown["buttons"][:3] == ["再生成", "プロンプトを編集", "削除"]
    not_hers = await jun.click(
        drawn.response, custom_id=f"s2i:delete:{job_id(final_state(h, drawn.response))}"
    )
    assert (
        told_privately(not_hers)
        == "この画像を削除できるのは、依頼した人（またはモデレーター）だけです。"
    )


async def test_a_server_may_fix_the_language_of_job_messages(discord_harness: DiscordHarness):
    h = discord_harness
    admin = h.member("admin", permissions=ADMIN, locale="fr")
    dora = h.member("dora", locale="de")
    saved = await h.slash(admin, "settings", language="fr")
    assert (told_privately(saved) or "").startswith("Enregistré.")
    settings = {f.name: f.value for f in saved.response.embeds[0].fields}
    assert settings["Langue des messages de demande"] == "Français (fr)"
    drawn = await h.slash(dora, "imagine", prompt="a blue door", count=1)
    assert final_state(h, drawn.response).embeds[0]["title"] == "✅ Terminé"
    refused = await h.slash(dora, "imagine", prompt="a door", size="square", aspect="16:9")
    assert (
        told_privately(refused) == "Gib entweder `format` oder `seitenverhältnis` an, nicht beides."
    )


async def test_commands_are_synced_with_their_translations(discord_harness: DiscordHarness):
    h = discord_harness
    synced = h.env.backend.find_command("imagine", h.guild.id)
    assert synced["name_localizations"]["de"] == "malen"
    assert synced["name_localizations"]["ja"] == "画像生成"
    prompt = next(o for o in synced["options"] if o["name"] == "prompt")
    assert prompt["name_localizations"]["pt-BR"] == "descrição"

    payload = await command_payload(h.bot.tree)
    assert payload == await command_payload(h.bot.tree)  # a pure function: hashable for a sync
    wanted = {code for code in supported() if code != ENGLISH}
    for command in payload:
        assert wanted <= {discord.Locale(c).value for c in command["name_localizations"]}, command
        for option in command.get("options", []):
            names = option.get("name_localizations", {})
            assert wanted <= set(names), (command["name"], option["name"])
            assert all(_name_ok(name) for name in names.values())
            assert all(len(d) <= 100 for d in option.get("description_localizations", {}).values())


async def test_the_english_command_catalog_is_the_code(discord_harness: DiscordHarness):
    """``en-US/commands.ftl`` (what translators translate) says what the decorators say."""
    from tests.test_catalogs import messages

    english = messages(ENGLISH)
    listed = {}
    for key, message in english.items():
        if key.startswith(("command-", "option-", "menu-", "choice-")):
            listed[key] = message.value.elements[0].value
            for attribute in message.attributes:
                listed[f"{key}.{attribute.id.name}"] = attribute.value.elements[0].value
    assert listed == english_texts(discord_harness.bot.tree)
    assert (LOCALES_DIR / ENGLISH / "commands.ftl").exists()


def test_settings_fixture_is_english_by_default(settings: Settings):
    assert settings.discord.auto_voice  # the voice tests above rely on auto mode being on
