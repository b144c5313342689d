"""The domain's errors: each carries a message for the user, a code for clients, and the field it concerns."""


class DomainError(Exception):
    code = "invalid"
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """The hazard's status does not allow the move."""

    code = "invalid_transition"
    status_code = 409


class ActionNotPermitted(DomainError):
    """The user's role may not take this action."""

    code = "not_permitted"
    status_code = 403


class RuleViolation(DomainError):
    """A rule of the workflow is not met: missing evidence, a plan, a reason, a date out of range."""

    code = "rule_violation"


class NotFound(DomainError):
    """The thing asked for does not exist, or not for this user: the interfaces answer 404 either way."""

    code = "not_found"
    status_code = 404
