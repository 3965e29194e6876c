"""Command names, descriptions and choice names in every catalog locale, through discord.py's
:class:`~discord.app_commands.Translator`.

The English texts stay where the commands are declared (the decorators: discord.py sends them as
the defaults). Their translations are catalog messages keyed by where they appear, so the
declarations need no keys:

- ``command-<name>`` (``.description``): a slash command; ``menu-<name>``: a context menu;
- ``option-<command>-<option>`` (``.description``): an option;
- ``choice-<value>``: a choice (values that need none, such as sampler names, have no message).

Names are slugged: lower case, anything but letters and digits becomes ``-``. ``en-US/
commands.ftl`` lists the English texts for translators (a test keeps it equal to the code).
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from cogs.i18n.catalog import ENGLISH, attribute, resolve, value


def slug(name: object) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")


def catalog_key(context: app_commands.TranslationContext) -> tuple[str, str | None] | None:
    """The message (and attribute) that translates this string, or None."""
    data: Any = context.data
    where = context.location
    if where in (Where.command_name, Where.command_description):
        if isinstance(data, app_commands.ContextMenu):
            return (f"menu-{slug(data.name)}", None) if where is Where.command_name else None
        key = f"command-{slug(data.qualified_name)}"
        return key, None if where is Where.command_name else "description"
    if where in (Where.parameter_name, Where.parameter_description):
        key = f"option-{slug(data.command.qualified_name)}-{slug(data.name)}"
        return key, None if where is Where.parameter_name else "description"
    if where is Where.choice_name:
        return f"choice-{slug(data.value)}", None
    return None


def translate(context: app_commands.TranslationContext, locale: object) -> str | None:
    """The translation for ``locale`` (None: Discord shows the English default)."""
    code = resolve(locale)
    found = catalog_key(context)
    if code == ENGLISH or found is None:
        return None
    key, name = found
    return value(code, key) if name is None else attribute(code, key, name)


class CatalogTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContext,
    ) -> str | None:
        return translate(context, locale)


async def command_payload(
    tree: app_commands.CommandTree, *, guild: discord.abc.Snowflake | None = None
) -> list[dict[str, Any]]:
    """What ``tree.sync(guild=guild)`` sends Discord: every command, translated by the tree's
    translator when it has one. No Discord call: ``cogs.command_sync`` syncs only when its hash
    changed."""
    commands = tree.get_commands(guild=guild)
    translator = tree.translator
    if translator is None:
        return [command.to_dict(tree) for command in commands]
    return [await command.get_translated_payload(tree, translator) for command in commands]


def english_texts(tree: app_commands.CommandTree) -> dict[str, str]:
    """What the catalogs translate, as ``{"key" or "key.attribute": English text}``, read from
    the commands as declared (choices only where ``choice-<value>`` is in the English catalog)."""
    found: dict[str, str] = {}
    for command in tree.get_commands():
        if isinstance(command, app_commands.ContextMenu):
            found[f"menu-{slug(command.name)}"] = command.name
            continue
        key = f"command-{slug(command.qualified_name)}"
        found |= {key: command.name, f"{key}.description": command.description}
        for param in command.parameters:
            option = f"option-{slug(command.qualified_name)}-{slug(param.name)}"
            found |= {option: param.display_name, f"{option}.description": param.description}
            for choice in param.choices:
                if value(ENGLISH, f"choice-{slug(choice.value)}") is not None:
                    found[f"choice-{slug(choice.value)}"] = choice.name
    return found
