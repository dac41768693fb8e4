"""Errors the client raises."""

from .types import Status


class VoxdError(Exception):
    """The daemon answered a request with an error status (or the reply could not be read: Status.protocol).

    `code` is a Status (the same numbers as core's ErrorCode and the C ABI), `message` the daemon's reason,
    `request_id` the id of the failed request (0 when unknown)."""

    def __init__(self, code, message, request_id=0):
        try:
            code = Status(code)
        except ValueError:
            pass  # a status from a newer daemon: keep the number
        name = code.name if isinstance(code, Status) else f"status {code}"
        super().__init__(message if message.startswith(name) else f"{name}: {message}")
        self.code = code
        self.message = message
        self.request_id = request_id


class VoxdTimeout(TimeoutError):
    """No reply within the timeout. A late reply is recognised by its id and dropped."""


class VoxdWarning(UserWarning):
    """The daemon did what was asked but says something was lost (e.g. what a file reader skipped)."""
