"""Settings from the process environment and an optional `.env` file; nothing is required to start."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from dotenv import dotenv_values

from meetkit.domain.errors import InvalidInput
from meetkit.domain.numbers import is_ascii_number
from meetkit.domain.retention import DEFAULT_RETENTION_MONTHS, MAX_RETENTION_MONTHS

PLACEHOLDER_JITSI_URL = "https://jitsi.invalid"
SECRET_FILE = "secret.key"  # noqa: S105 - a file name, not a secret
MIN_SHARED_SECRET_LENGTH = 32  # what `openssl rand -hex 32` gives twice over; guessing it is hopeless
MAX_TEXT_SETTING = 300
_TOLL_FREE_PREFIXES = ("+49 800", "+49800", "+43 800", "+43800", "+41 800", "+41800")


@dataclass(frozen=True, slots=True)
class DialInNumber:
    """One phone number members can call, as Jitsi's dial-in API describes it."""

    country_code: str
    number: str
    toll_free: bool

    @property
    def tel(self) -> str:
        """Return the number for `tel:` links and dialling: `+` and digits, without a national `(0)`."""
        return "+" + "".join(ch for ch in self.number.replace("(0)", "") if ch.isascii() and ch.isdigit())


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything meetkit reads from its environment, resolved to typed values."""

    public_url: str = "http://127.0.0.1:8080"
    data_dir: Path = Path("data")
    database_url: str = "sqlite:///data/meetkit.db"
    database_path: Path | None = Path("data/meetkit.db")  # the SQLite file; None with PostgreSQL
    secret: str = field(default="", repr=False)
    jitsi_url: str = PLACEHOLDER_JITSI_URL
    jwt_app_id: str | None = None
    jwt_secret: str | None = field(default=None, repr=False)
    jwt_audience: str = "jitsi"
    jwt_subject: str = "meet.jitsi"
    jwt_ttl_minutes: int = 180
    muc_domain: str = "muc.meet.jitsi"
    dialin_numbers: tuple[DialInNumber, ...] = ()
    pin_digits: int = 8
    pbx_secret: str | None = field(default=None, repr=False)
    census_url: str | None = None
    census_interval: float = 60.0
    events_secret: str | None = field(default=None, repr=False)
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    smtp_url: str | None = field(default=None, repr=False)  # setup links by e-mail; may carry a password
    staff_idle_minutes: int = 30
    retention_months: int = DEFAULT_RETENTION_MONTHS  # meetings older than this are deleted (totals stay)
    operator_name: str | None = None  # who runs the service (privacy notice, records of processing)
    operator_contact: str | None = None  # postal address, e-mail or phone of the operator
    dpo_contact: str | None = None  # the data protection officer's contact
    imprint_url: str | None = None  # the operator's imprint (Impressum), linked in page footers

    @property
    def operator_configured(self) -> bool:
        """Whether the privacy notice can name who runs the service and how to reach them."""
        return bool(self.operator_name and self.operator_contact)

    @property
    def jitsi_configured(self) -> bool:
        """Whether JITSI_URL was set rather than left at the placeholder."""
        return self.jitsi_url != PLACEHOLDER_JITSI_URL

    @property
    def jwt_enabled(self) -> bool:
        """Whether moderator tokens can be minted."""
        return bool(self.jwt_app_id and self.jwt_secret)

    @property
    def dialin_enabled(self) -> bool:
        """Whether groups get PINs and pages show phone numbers."""
        return bool(self.dialin_numbers)

    def startup_warnings(self) -> list[str]:
        """Return one line per setting that is missing for a complete deployment."""
        warnings = []
        if not self.jitsi_configured:
            warnings.append(
                f"JITSI_URL ist nicht gesetzt: Beitritts-Links zeigen auf den Platzhalter {PLACEHOLDER_JITSI_URL}."
            )
        if not self.operator_configured:
            warnings.append(
                "MEETKIT_OPERATOR_NAME/MEETKIT_OPERATOR_CONTACT sind nicht gesetzt: die Datenschutzhinweise "
                "(/datenschutz) nennen niemanden, der den Dienst betreibt."
            )
        if not self.jwt_enabled:
            warnings.append(
                "JITSI_JWT_APP_ID/JITSI_JWT_SECRET sind nicht gesetzt: Leitungen starten Treffen ohne "
                "Moderations-Token."
            )
        return warnings


def load_settings(environ: Mapping[str, str] | None = None, env_file: str | Path = ".env") -> Settings:
    """Build Settings from `environ` (default: os.environ) over the values of `env_file`."""
    values: dict[str, str] = {k: v for k, v in dotenv_values(env_file).items() if v is not None}
    values.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = values.get(name, "").strip()
        return value or None

    data_dir = Path(get("MEETKIT_DATA_DIR") or "data")
    return Settings(
        public_url=_url(get("MEETKIT_PUBLIC_URL") or "http://127.0.0.1:8080", "MEETKIT_PUBLIC_URL"),
        data_dir=data_dir,
        database_url=_database_url(get("MEETKIT_DATABASE_URL"), data_dir),
        database_path=_database_path(get("MEETKIT_DATABASE_URL"), data_dir),
        secret=get("MEETKIT_SECRET") or "",
        jitsi_url=_url(get("JITSI_URL") or PLACEHOLDER_JITSI_URL, "JITSI_URL"),
        jwt_app_id=get("JITSI_JWT_APP_ID"),
        jwt_secret=get("JITSI_JWT_SECRET"),
        jwt_audience=get("JITSI_JWT_AUDIENCE") or "jitsi",
        jwt_subject=get("JITSI_JWT_SUBJECT") or "meet.jitsi",
        jwt_ttl_minutes=_int(get("MEETKIT_JWT_TTL_MINUTES"), "MEETKIT_JWT_TTL_MINUTES", 180, 5, 24 * 60),
        muc_domain=(get("JITSI_MUC_DOMAIN") or "muc.meet.jitsi").lower(),
        dialin_numbers=parse_dialin_numbers(get("MEETKIT_DIALIN_NUMBERS") or ""),
        pin_digits=_int(get("MEETKIT_PIN_DIGITS"), "MEETKIT_PIN_DIGITS", 8, 6, 12),
        pbx_secret=_shared_secret(get("MEETKIT_PBX_SECRET"), "MEETKIT_PBX_SECRET"),
        census_url=get("MEETKIT_CENSUS_URL"),
        census_interval=float(_int(get("MEETKIT_CENSUS_INTERVAL"), "MEETKIT_CENSUS_INTERVAL", 60, 1, 3600)),
        events_secret=_shared_secret(get("MEETKIT_EVENTS_SECRET"), "MEETKIT_EVENTS_SECRET"),
        trusted_proxies=_networks(get("MEETKIT_TRUSTED_PROXIES") or "", "MEETKIT_TRUSTED_PROXIES"),
        smtp_url=_smtp_url(get("MEETKIT_SMTP_URL")),
        staff_idle_minutes=_int(
            get("MEETKIT_STAFF_IDLE_MINUTES"), "MEETKIT_STAFF_IDLE_MINUTES", 30, 5, 12 * 60
        ),
        retention_months=_int(
            get("MEETKIT_RETENTION_MONTHS"),
            "MEETKIT_RETENTION_MONTHS",
            DEFAULT_RETENTION_MONTHS,
            1,
            MAX_RETENTION_MONTHS,
        ),
        operator_name=_text(get("MEETKIT_OPERATOR_NAME"), "MEETKIT_OPERATOR_NAME"),
        operator_contact=_text(get("MEETKIT_OPERATOR_CONTACT"), "MEETKIT_OPERATOR_CONTACT"),
        dpo_contact=_text(get("MEETKIT_DPO_CONTACT"), "MEETKIT_DPO_CONTACT"),
        imprint_url=_url(imprint, "MEETKIT_IMPRINT_URL") if (imprint := get("MEETKIT_IMPRINT_URL")) else None,
    )


def with_secret(settings: Settings, create: bool = True) -> Settings:
    """Return settings whose `secret` is set, from the data dir; only with `create` is a missing one made."""
    if settings.secret:
        return settings
    path = settings.data_dir / SECRET_FILE
    if not path.exists():
        if not create:
            raise InvalidInput(
                f"Der Schlüssel {path.absolute()} fehlt und MEETKIT_SECRET ist nicht gesetzt. "
                "„meetkit db init“ legt einen neuen an (Kalender-Links ändern sich dann)."
            )
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return replace(settings, secret=path.read_text().strip())


def parse_dialin_numbers(text: str) -> tuple[DialInNumber, ...]:
    """Parse `CC:+49 89 1234567;CC:...` into dial-in numbers, or raise InvalidInput."""
    numbers = []
    for entry in filter(None, (part.strip() for part in text.split(";"))):
        country, sep, number = entry.partition(":")
        country, number = country.strip().upper(), " ".join(number.split())
        if (
            not sep
            or not re.fullmatch(r"[A-Z]{2}", country)
            or not re.fullmatch(r"\+[0-9][0-9 ()/-]{4,30}", number)
        ):
            raise InvalidInput(
                f"MEETKIT_DIALIN_NUMBERS: '{entry}' hat nicht die Form 'DE:+49 89 1234567' "
                "(Ländercode aus zwei Buchstaben, Doppelpunkt, Nummer mit +)."
            )
        numbers.append(DialInNumber(country, number, number.startswith(_TOLL_FREE_PREFIXES)))
    return tuple(numbers)


def _url(value: str, name: str) -> str:
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
        raise InvalidInput(
            f"{name} muss eine http(s)-Adresse ohne Abfrageteil sein, zum Beispiel https://meet.example.org"
        )
    return value.rstrip("/")


def _text(value: str | None, name: str) -> str | None:
    """A line of text shown to members (operator, contact): printable, at most MAX_TEXT_SETTING characters."""
    if value is None:
        return None
    if len(value) > MAX_TEXT_SETTING or not value.isprintable():
        raise InvalidInput(
            f"{name} darf höchstens {MAX_TEXT_SETTING} Zeichen lang sein und keine Steuerzeichen enthalten."
        )
    return value


def _int(value: str | None, name: str, default: int, low: int, high: int) -> int:
    if value is None:
        return default
    if not is_ascii_number(value) or len(value) > 9 or not low <= int(value) <= high:
        raise InvalidInput(f"{name} muss eine ganze Zahl von {low} bis {high} sein, nicht '{value}'.")
    return int(value)


def _shared_secret(value: str | None, name: str) -> str | None:
    """A bearer secret another system sends: at least 32 visible ASCII characters, or unset."""
    if value is None:
        return None
    if len(value) < MIN_SHARED_SECRET_LENGTH or not all("!" <= char <= "~" for char in value):
        raise InvalidInput(
            f"{name} braucht mindestens {MIN_SHARED_SECRET_LENGTH} Zeichen aus Buchstaben, Ziffern und "
            f"Satzzeichen (es sind {len(value)}); ein neues erzeugt: openssl rand -hex 32"
        )
    return value


def _networks(text: str, name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(part.strip()) for part in text.split(",") if part.strip())
    except ValueError as error:
        raise InvalidInput(
            f"{name}: {error} (erwartet werden Adressen oder Netze wie 127.0.0.1,172.16.0.0/12)."
        ) from None


def _smtp_url(url: str | None) -> str | None:
    if url is None or url.startswith(("smtp://", "smtps://")):
        return url
    raise InvalidInput(
        "MEETKIT_SMTP_URL: erwartet wird smtp://BENUTZER:PASSWORT@HOST:PORT?from=ABSENDER@DOMAIN "
        "(smtps://... für TLS von Anfang an; smtp:// nutzt STARTTLS, wenn der Server es anbietet)."
    )


def _database_url(url: str | None, data_dir: Path) -> str:
    if url is None:
        return f"sqlite:///{data_dir / 'meetkit.db'}"
    if url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        return url
    raise InvalidInput(
        "MEETKIT_DATABASE_URL: erwartet wird sqlite:///PFAD oder postgresql://BENUTZER:PASSWORT@HOST:PORT/DATENBANK."
    )


def _database_path(url: str | None, data_dir: Path) -> Path | None:
    if url is None:
        return data_dir / "meetkit.db"
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///"))
    return None
