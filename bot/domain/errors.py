"""The one error type whose message is fit to show a user, and what a user is told of any other
failure. Both are :class:`Message`\\ s (a catalog key and its arguments): the Discord layer shows
them in the reader's language."""

from bot.domain.messages import Arg, Message

GENERIC_ERROR = Message("error-generic")


class UserFacingError(Exception):
    """A failure caused by the user's input or by a limit: ``message`` says it to the user.

    ``UserFacingError("queue-full", kind="queue_full", count=12)`` names the catalog message
    ``queue-full`` with ``$count``; ``kind`` sorts failures for metrics and tests."""

    def __init__(self, key: str, *, kind: str = "bad_input", **args: Arg) -> None:
        self.message = Message(key, args)
        super().__init__(str(self.message))
        self.kind = kind

    @classmethod
    def of(cls, message: Message, *, kind: str = "bad_input") -> "UserFacingError":
        return cls(message.key, kind=kind, **message.args)


class ModelUnfit(Exception):
    """A model that cannot load as configured, for a known reason: ``str()`` says why in words
    (no paths), ``fix`` what to change; the loader adds the setting's key (``… in image.models.x``)."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.fix = fix
