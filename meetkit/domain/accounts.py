"""Staff accounts' rules: login names, roles, passwords, setup links, session lifetimes, growing delays."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from meetkit.domain.errors import InvalidInput

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256  # argon2 would take more, but nobody types more; huge input is refused early
MAX_LOGIN_LENGTH = 254  # an e-mail address at most
MIN_PASSWORD_SCORE = 3  # zxcvbn: "safely unguessable: moderate protection from offline slow-hash scenario"
SETUP_LINK_HOURS = 72
SESSION_IDLE_MINUTES = 30
SESSION_ABSOLUTE_HOURS = 12
FREE_LOGIN_FAILURES = 3  # per login name; then each failure doubles the wait
MAX_LOGIN_DELAY_SECONDS = 15 * 60


def N_(message: str) -> str:
    """Mark a message for translation where it is defined; it is translated where it is shown."""
    return message


class Role(StrEnum):
    """What an account may do: an admin sees and manages everything, staff only their contact points."""

    ADMIN = "admin"
    STAFF = "staff"


@dataclass(frozen=True, slots=True)
class StaffAccount:
    """A staff member's account as stored (never the password hash or TOTP secret)."""

    id: int
    login: str
    display_name: str | None
    role: Role
    has_password: bool
    has_second_factor: bool
    disabled: bool
    created_at: str
    contact_point_ids: tuple[int, ...]

    @property
    def is_admin(self) -> bool:
        """Whether this account sees and manages everything."""
        return self.role is Role.ADMIN


EMPTY_LOGIN = N_("Bitte geben Sie Ihren Anmeldenamen ein.")
LONG_LOGIN = N_("Der Anmeldename ist zu lang (höchstens 254 Zeichen).")
BAD_LOGIN = N_("Der Anmeldename darf keine Leer- oder Steuerzeichen enthalten.")
EMPTY_PASSWORD = N_("Bitte geben Sie Ihr Passwort ein.")
LONG_PASSWORD = N_("Das Passwort ist zu lang (höchstens 256 Zeichen).")
BAD_PASSWORD = N_("Das Passwort darf keine Steuerzeichen enthalten.")
SHORT_PASSWORD = N_("Das Passwort muss mindestens 12 Zeichen lang sein.")
WEAK_PASSWORD = N_(
    "Dieses Passwort ist zu leicht zu erraten: es steht in Listen häufiger oder geleakter Passwörter oder "
    "ähnelt ihnen. Bitte wählen Sie ein anderes, zum Beispiel vier zufällige Wörter."
)
PASSWORDS_DIFFER = N_("Die beiden Passwörter stimmen nicht überein.")


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in text)


def clean_login(text: str) -> str:
    """Return a login name in its stored form (NFC, lowercase, trimmed), or raise InvalidInput."""
    cleaned = unicodedata.normalize("NFC", text.strip()).lower()
    if not cleaned:
        raise InvalidInput(EMPTY_LOGIN)
    if len(cleaned) > MAX_LOGIN_LENGTH:
        raise InvalidInput(LONG_LOGIN)
    if _has_control_characters(cleaned) or any(ch.isspace() for ch in cleaned):
        raise InvalidInput(BAD_LOGIN)
    return cleaned


def check_typed_password(password: str) -> str:
    """Return a password as typed at sign-in if it can be one at all (not empty, huge or with control codes)."""
    if not password:
        raise InvalidInput(EMPTY_PASSWORD)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(LONG_PASSWORD)
    if _has_control_characters(password):
        raise InvalidInput(BAD_PASSWORD)
    return password


def check_new_password(password: str, repeated: str, personal: tuple[str, ...] = ()) -> str:
    """Return a new password if it follows the rules: 12+ characters and not common, leaked or personal."""
    check_typed_password(password)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(SHORT_PASSWORD)
    if password != repeated:
        raise InvalidInput(PASSWORDS_DIFFER)
    # zxcvbn ships frequency lists (leaked-password corpora, common words and names) and recognises keyboard
    # walks, dates, repeats and l33t spellings of them; the login and name count as known words too.
    from zxcvbn import zxcvbn  # its word lists take 0.2 s to load: only where a password is chosen

    if zxcvbn(password, user_inputs=[part for part in personal if part])["score"] < MIN_PASSWORD_SCORE:
        raise InvalidInput(WEAK_PASSWORD)
    return password


def login_delay_seconds(failures: int) -> int:
    """How long a login name must wait after `failures` failed sign-ins in a row (0 for the first few)."""
    if failures < FREE_LOGIN_FAILURES:
        return 0
    return int(min(2 ** (failures - FREE_LOGIN_FAILURES + 1), MAX_LOGIN_DELAY_SECONDS))


def iso(timestamp: float) -> str:
    """A unix time as stored: ISO 8601 UTC with seconds and a Z (text that sorts like the time)."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> float:
    """The unix time of a stored ISO 8601 UTC time."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
