"""Values of the Moodle publisher: the site and account, secrets, results and errors.

Kept apart from the client (:mod:`builder.moodle`) so that settings code and the CLI can
use them without the HTTP machinery.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import quote, quote_plus, urlsplit

from builder.errors import ConfigError, PublishError


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


class VersionChangeRefused(MoodleError):
    """The package would switch the SCORM version of an activity that learners have used."""


class SectionNotFound(MoodleError):
    """The course has no section with the number given for a new activity."""


FORCE_NEW_ATTEMPT = {"no": "0", "after-completion": "1", "always": "2"}
GRADE_ATTEMPT = {"highest": "0", "average": "1", "first": "2", "last": "3"}
MAX_ATTEMPTS = 6  # Moodle's form offers unlimited (0) or 1 to 6


@dataclass(frozen=True)
class AttemptSettings:
    """Moodle's attempt options of a SCORM activity (the "Attempts management" settings).

    ``max_attempts`` 0 is unlimited; ``force_new_attempt`` is a key of
    :data:`FORCE_NEW_ATTEMPT` and ``grade_attempt`` one of :data:`GRADE_ATTEMPT`.
    """

    max_attempts: int = 0
    force_new_attempt: str = "after-completion"
    grade_attempt: str = "highest"

    FIELDS: ClassVar[dict[str, str]] = {"maxattempt": "max_attempts",
                                        "forcenewattempt": "force_new_attempt",
                                        "whatgrade": "grade_attempt"}
    """Each field of the activity form and the option it holds."""

    def __post_init__(self) -> None:
        if not 0 <= self.max_attempts <= MAX_ATTEMPTS:
            raise ConfigError(f"Moodle allows 0 (unlimited) to {MAX_ATTEMPTS} attempts, "
                              f"not {self.max_attempts}")
        if self.force_new_attempt not in FORCE_NEW_ATTEMPT:
            raise ConfigError(f"force_new_attempt must be one of {', '.join(FORCE_NEW_ATTEMPT)}")
        if self.grade_attempt not in GRADE_ATTEMPT:
            raise ConfigError(f"grade_attempt must be one of {', '.join(GRADE_ATTEMPT)}")

    def form_values(self) -> dict[str, str]:
        """Return the activity form's fields for these settings."""
        return {"maxattempt": str(self.max_attempts),
                "forcenewattempt": FORCE_NEW_ATTEMPT[self.force_new_attempt],
                "whatgrade": GRADE_ATTEMPT[self.grade_attempt]}

    @classmethod
    def from_form(cls, values: dict[str, str | None]) -> AttemptSettings | None:
        """Read the settings an activity form holds now; None if it holds unknown values."""
        forces = {v: k for k, v in FORCE_NEW_ATTEMPT.items()}
        grades = {v: k for k, v in GRADE_ATTEMPT.items()}
        force = forces.get(values.get("forcenewattempt") or "")
        grade = grades.get(values.get("whatgrade") or "")
        limit = values.get("maxattempt") or ""
        if force is None or grade is None or not limit.isdigit() or int(limit) > MAX_ATTEMPTS:
            return None
        return cls(int(limit), force, grade)

    def describe(self) -> str:
        """Say the settings in words, as ``--dry-run`` prints them."""
        limit = "unlimited" if self.max_attempts == 0 else str(self.max_attempts)
        return (f"attempts {limit}, new attempt {self.force_new_attempt}, "
                f"grade from the {self.grade_attempt} attempt")


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
        object.__setattr__(self, "url", site_url(self.url))

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
    plan: list[str] = field(default_factory=list)  # what a dry run found, one line each


def site_url(text: str) -> str:
    """Check and normalise a Moodle site address, before any request is made.

    An address without a scheme gets ``https://``; a trailing ``/`` is dropped. A path is
    kept (Moodle may live in a sub-folder).

    Raises:
        ConfigError: not http(s), no host, a bad port, a user name or password in the
            address, or a query or fragment. The message never repeats the address's
            user-info part, which may hold a password.
    """
    url = text.strip()
    example = "e.g. https://moodle.example.org"
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+-]*):(?![0-9])", url)  # mailto:, ftp:; not host:port
    if "://" not in url and scheme:
        raise ConfigError(f"--url must be an http:// or https:// address ({example}), "
                          f"not {scheme.group(1)}:")
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise ConfigError(f"--url must be an http:// or https:// address ({example}), "
                          f"not {parts.scheme}://")
    if "@" in parts.netloc:
        raise ConfigError("--url must not hold a user name or password: give the user with "
                          "--user and the password with MOODLE_PASSWORD or --password-stdin")
    if parts.query or parts.fragment or "?" in url or "#" in url:
        # The query is not repeated: it might hold a token.
        raise ConfigError(f"--url must be the site's address without '?…' or '#…' ({example})")
    try:
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number in range)
    except ValueError:
        raise ConfigError(f"--url has an invalid port: {text.strip()}") from None
    if not parts.hostname or any(c.isspace() for c in url):
        raise ConfigError(f"--url must name a site ({example}), not {text.strip()}")
    return f"{parts.scheme.lower()}://{parts.netloc}{parts.path.rstrip('/')}"


def redact(text: str, values: list[str]) -> str:
    """Replace each whole secret value in *text* (as is or URL-encoded) with asterisks.

    A value is replaced only where it stands whole: not where it is part of a longer word,
    so a one-letter password does not turn ``moodle.example.org`` into ``moodle.e********``.
    """
    for value in values:
        for form in dict.fromkeys((value, quote(value, safe=""), quote_plus(value, safe=""))):
            if not form:
                continue
            before = r"(?<![\w])" if re.match(r"\w", form[0]) else ""
            after = r"(?![\w])" if re.match(r"\w", form[-1]) else ""
            text = re.sub(before + re.escape(form) + after, "********", text)
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
