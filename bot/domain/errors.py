"""The one error type whose message is fit to show a user as it is, and what a user is told of
any other failure."""

GENERIC_ERROR = "Something went wrong on my side (it has been logged). Please try again."


class UserFacingError(Exception):
    """A failure caused by the user's input or by a limit; ``str(error)`` is a friendly message."""

    def __init__(self, message: str, *, kind: str = "bad_input") -> None:
        super().__init__(message)
        self.kind = kind
