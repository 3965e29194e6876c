"""The bot in its users' languages: message catalogs (Fluent, ``locales/<locale>/*.ftl``), the
renderer of every user-facing text (:mod:`cogs.i18n.catalog`) and the command translator
(:mod:`cogs.i18n.translator`)."""
