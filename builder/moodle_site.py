"""Values of the Moodle publisher: the site and account, secrets, results and errors.

Kept apart from the client (:mod:`builder.moodle`) so that settings code and the CLI can
use them without the HTTP machinery.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builder.errors import PublishError


class Secret:
    """A password or token; its ``str`` and ``repr`` never show the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the real value, for the one request that needs it."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__


class MoodleError(PublishError):
    """Publishing to Moodle failed."""

    def mask(self, values: list[str]) -> None:
        """Replace each of *values* (the secrets) in the message with asterisks."""
        vars(self)["message"] = redact(self.message, values)


class LoginFailed(MoodleError):
    """Moodle did not accept the user name and password (or the session ended)."""


class PermissionDenied(MoodleError):
    """The account may not see the course or may not manage its activities."""


class CourseNotFound(MoodleError):
    """No course with that id on the site."""


class NotMoodle(MoodleError):
    """The URL does not answer like a Moodle site."""


class Unreachable(MoodleError):
    """Connection refused, DNS failure or timeout, after retries."""


class StateUnknown(MoodleError):
    """The request that changes the course may or may not have been applied."""


class FormRejected(MoodleError):
    """Moodle re-displayed the activity form with validation errors."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}

    def mask(self, values: list[str]) -> None:
        """Mask secrets in the message and in Moodle's messages."""
        super().mask(values)
        self.errors = {name: redact(text, values) for name, text in self.errors.items()}


class PackageRejected(FormRejected):
    """Moodle's SCORM form refused the package itself."""


@dataclass(frozen=True)
class MoodleSite:
    """Where and as whom to publish; timeouts in seconds."""

    url: str
    user: str
    password: Secret
    token: Secret | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    upload_timeout: float = 600.0
    tries: int = 3
    backoff: float = 1.0

    def __post_init__(self) -> None:
        url = self.url.strip().rstrip("/")
        if "://" not in url:
            url = "https://" + url
        object.__setattr__(self, "url", url)

    def secrets(self) -> list[str]:
        """Return the secret values, longest first, for redaction."""
        values = [s.reveal() for s in (self.password, self.token) if s]
        return sorted(values, key=len, reverse=True)


@dataclass
class Activity:
    """The result: the course module and what was (or would be) done."""

    cmid: int | None
    url: str
    action: str  # "added", "updated", "would add", "would update"
    version: str | None = None


def redact(text: str, values: list[str]) -> str:
    """Replace each secret value in *text* with asterisks."""
    for value in values:
        if value:
            text = text.replace(value, "********")
    return text


_FILE_ERRORS = ("maxbytes", "maxbytesfile", "maxareabytes", "userquotalimit", "invalidfiletype",
                "nofile", "upload_error")


def upload_error(answer: Any) -> MoodleError:
    """Map an upload's JSON error (``{"error": text, "errorcode": code, ...}``) to an error."""
    if not isinstance(answer, dict) or not answer.get("error"):
        return MoodleError("unexpected answer to the upload")
    message, code = str(answer["error"]), str(answer.get("errorcode") or "")
    if code == "invalidtoken":
        return LoginFailed(f"Moodle refused the web service token: {message}")
    if code in ("requireloginerror", "invalidsesskey"):
        return LoginFailed(f"the Moodle session ended before the upload: {message}")
    if code.startswith(("nopermission", "accessdenied")):
        return PermissionDenied(f"user may not upload files here: {message}")
    if code.startswith(_FILE_ERRORS):
        return PackageRejected(f"Moodle refused the upload: {message}")
    return MoodleError(f"Moodle refused the upload: {message}")
