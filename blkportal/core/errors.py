"""The error every service raises when it refuses an action."""


class DomainError(Exception):
    """A refused action, with a message for the person who tried it (and optionally the field)."""

    def __init__(self, message: str, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
