"""Use cases for staff accounts: create, list, disable, reset, set a password, the second factor, settings."""

from __future__ import annotations

import time
from dataclasses import dataclass

from meetkit.config import Settings
from meetkit.domain import ids, second_factor
from meetkit.domain.accounts import (
    N_,
    SETUP_LINK_HOURS,
    Role,
    StaffAccount,
    check_new_password,
    clean_login,
    iso,
)
from meetkit.domain.errors import Conflict, InvalidInput, NotFound, Unauthorized
from meetkit.domain.models import ContactPoint
from meetkit.domain.names import clean_name
from meetkit.domain.scope import Scope
from meetkit.domain.sealing import SecretBox
from meetkit.services import mail
from meetkit.services.audit import record_in
from meetkit.services.passwords import PasswordHasher
from meetkit.storage import accounts, contact_points, staff_sessions
from meetkit.storage.connection import Connection, is_unique_violation
from meetkit.storage.database import Database

SECOND_FACTOR_REQUIRED = "second_factor_required"
LINK_UNUSABLE = N_("Dieser Link ist abgelaufen oder wurde schon benutzt. Bitte fragen Sie nach einem neuen.")
LINK_UNKNOWN = N_("Diesen Link gibt es nicht. Bitte prüfen Sie ihn auf Tippfehler.")
WRONG_CURRENT_PASSWORD = N_("Das bisherige Passwort stimmt nicht.")
NO_PENDING_FACTOR = N_("Bitte starten Sie die Einrichtung der Zwei-Faktor-Anmeldung noch einmal.")
FACTOR_REQUIRED = N_(
    "Die Zwei-Faktor-Anmeldung ist für alle vorgeschrieben und kann nicht ausgeschaltet werden."
)


@dataclass(frozen=True, slots=True)
class SetupLink:
    """A one-time link to set a password: shown to whoever made it, unless it went out by e-mail."""

    url: str
    expires_at: str
    emailed_to: str | None

    @property
    def shown_url(self) -> str | None:
        """The link to hand over, or None when it was e-mailed."""
        return None if self.emailed_to else self.url


def account_json(account: StaffAccount, slugs: dict[int, str]) -> dict[str, object]:
    """The JSON shape of an account (CLI)."""
    return {
        "id": account.id,
        "login": account.login,
        "name": account.display_name,
        "role": account.role.value,
        "contact_points": [slugs.get(cp, str(cp)) for cp in account.contact_point_ids],
        "second_factor": account.has_second_factor,
        "disabled": account.disabled,
        "created_at": account.created_at,
    }


async def add_account(
    db: Database,
    settings: Settings,
    scope: Scope,
    login: str,
    display_name: str | None,
    *,
    admin: bool,
    contact_point_slugs: list[str],
) -> tuple[StaffAccount, SetupLink]:
    """Create an account (admins only) with a one-time setup link; it has no password until the link is used."""
    scope.require_admin()
    login = clean_login(login)
    name = clean_name(display_name, "Der Name", max_length=100) if display_name else None
    if admin == bool(contact_point_slugs):
        raise InvalidInput(
            "Ein Zugang ist entweder Admin oder gehört zu mindestens einer Kontaktstelle (--contact-point)."
        )
    token = ids.new_secret_token()
    expires_at = iso(time.time() + SETUP_LINK_HOURS * 3600)

    def create(conn: Connection) -> StaffAccount:
        cp_ids = tuple(sorted({_contact_point_id(conn, slug) for slug in contact_point_slugs}))
        try:
            account = accounts.insert(conn, login, name, Role.ADMIN if admin else Role.STAFF, cp_ids)
        except Exception as error:
            if is_unique_violation(error):
                raise Conflict(f"Den Anmeldenamen '{login}' gibt es schon.") from None
            raise
        accounts.add_setup_link(conn, account.id, ids.hash_secret(token), expires_at)
        record_in(conn, scope.actor, "account_created", f"{login} ({account.role.value})")
        return account

    account = await db.write(create, invalidates_cache=False)
    return account, await _hand_over(settings, account, token, expires_at)


async def list_accounts(db: Database, scope: Scope) -> list[StaffAccount]:
    """Every account (admins only)."""
    scope.require_admin()
    return await db.read(accounts.all_)


async def find_account(db: Database, scope: Scope, account_id: int) -> StaffAccount:
    """One account by id (admins only)."""
    scope.require_admin()
    found = await db.read(lambda conn: accounts.by_id(conn, account_id))
    if found is None:
        raise NotFound("Diesen Zugang gibt es nicht.")
    return found


async def own_account(db: Database, account: StaffAccount) -> StaffAccount:
    """The signed-in person's account as stored now."""
    found = await db.read(lambda conn: accounts.by_id(conn, account.id))
    return found or account


async def visible_contact_points(db: Database, scope: Scope) -> list[ContactPoint]:
    """The contact points within a scope (all for admins)."""
    found = await db.read(contact_points.all_)
    return [cp for cp in found if scope.allows(cp.id)]


async def disable_account(db: Database, scope: Scope, login: str) -> StaffAccount:
    """Disable an account (admins only); its sessions end at once."""
    scope.require_admin()
    login = clean_login(login)

    def disable(conn: Connection) -> StaffAccount:
        account = _by_login(conn, login)
        if accounts.set_disabled(conn, account.id):
            record_in(conn, scope.actor, "account_disabled", login)
        staff_sessions.delete_for_account(conn, account.id)
        return account

    return await db.write(disable)  # its sessions end: cached ones too


async def reset_account(db: Database, settings: Settings, scope: Scope, login: str) -> SetupLink:
    """Give an account a new setup link (admins only): password and second factor go, sessions end at once."""
    scope.require_admin()
    login = clean_login(login)
    token = ids.new_secret_token()
    expires_at = iso(time.time() + SETUP_LINK_HOURS * 3600)

    def reset(conn: Connection) -> StaffAccount:
        account = _by_login(conn, login)
        accounts.clear_password(conn, account.id)
        accounts.set_totp(conn, account.id, None, 0)
        accounts.replace_recovery_codes(conn, account.id, [])
        staff_sessions.delete_for_account(conn, account.id)
        accounts.add_setup_link(conn, account.id, ids.hash_secret(token), expires_at)
        record_in(conn, scope.actor, "account_reset", login)
        return account

    account = await db.write(reset)  # its sessions end: cached ones too
    return await _hand_over(settings, account, token, expires_at)


async def account_for_setup(db: Database, token: str) -> StaffAccount:
    """The account a setup link belongs to, while the link is unused and unexpired."""
    token_hash = ids.hash_secret(token)

    def look(conn: Connection) -> StaffAccount:
        link = accounts.setup_link(conn, token_hash)
        if link is None:
            raise NotFound(LINK_UNKNOWN)
        account_id, expires_at, used_at = link
        account = accounts.by_id(conn, account_id)
        if used_at is not None or expires_at <= iso(time.time()) or account is None or account.disabled:
            raise NotFound(LINK_UNUSABLE)
        return account

    return await db.read(look)


async def complete_setup(
    db: Database, hasher: PasswordHasher, token: str, password: str, repeated: str
) -> StaffAccount:
    """Set the password through a setup link; the link is used up, and every session of the account ends."""
    account = await account_for_setup(db, token)
    check_new_password(password, repeated, _personal(account))
    password_hash = await hasher.hash(password)
    token_hash = ids.hash_secret(token)

    def store(conn: Connection) -> None:
        if not accounts.use_setup_link(conn, token_hash, iso(time.time())):
            raise NotFound(LINK_UNUSABLE)  # used in the meantime (or expired while hashing)
        accounts.set_password(conn, account.id, password_hash)
        staff_sessions.delete_for_account(conn, account.id)
        record_in(conn, account.login, "password_set")

    await db.write(store)  # its sessions end: cached ones too
    return account


async def change_password(
    db: Database, hasher: PasswordHasher, account: StaffAccount, current: str, new: str, repeated: str
) -> None:
    """Change one's own password; every session of the account ends (the caller signs in anew)."""
    await _check_password(db, hasher, account, current)
    check_new_password(new, repeated, _personal(account))
    password_hash = await hasher.hash(new)

    def store(conn: Connection) -> None:
        accounts.set_password(conn, account.id, password_hash)
        staff_sessions.delete_for_account(conn, account.id)
        record_in(conn, account.login, "password_changed")

    await db.write(store)  # its sessions end: cached ones too


async def begin_second_factor(db: Database, box: SecretBox, account: StaffAccount) -> tuple[str, str]:
    """Start turning on TOTP: a new secret waits (sealed) for its first code; returns (secret, otpauth URI)."""
    secret = second_factor.new_totp_secret()
    sealed = box.seal(secret, totp_owner(account.id))
    await db.write(lambda conn: accounts.set_pending_totp(conn, account.id, sealed), invalidates_cache=False)
    return secret, second_factor.provisioning_uri(secret, account.login)


async def pending_second_factor(
    db: Database, box: SecretBox, account: StaffAccount
) -> tuple[str, str] | None:
    """The secret (and URI) that waits for its first code, if any."""
    creds = await db.read(lambda conn: accounts.credentials(conn, account.login))
    if creds is None or creds.totp_pending_secret is None:
        return None
    secret = box.open(creds.totp_pending_secret, totp_owner(account.id))
    return secret, second_factor.provisioning_uri(secret, account.login)


def totp_owner(account_id: int) -> str:
    """What a sealed TOTP secret is bound to: its account."""
    return f"staff_account:{account_id}"


async def confirm_second_factor(
    db: Database, box: SecretBox, account: StaffAccount, typed_code: str
) -> list[str]:
    """Turn TOTP on once a code from the app matches; returns the recovery codes, shown this once."""
    code = second_factor.clean_code(typed_code)
    codes = second_factor.new_recovery_codes()

    def confirm(conn: Connection) -> None:
        creds = accounts.credentials(conn, account.login)
        if creds is None or creds.totp_pending_secret is None:
            raise InvalidInput(NO_PENDING_FACTOR)
        secret = box.open(creds.totp_pending_secret, totp_owner(account.id))
        step = second_factor.accepted_step(secret, code, 0, time.time())
        if step is None:
            raise InvalidInput(second_factor.WRONG_CODE)
        accounts.set_totp(conn, account.id, box.seal(secret, totp_owner(account.id)), step)
        accounts.replace_recovery_codes(conn, account.id, [recovery_hash(c) for c in codes])
        record_in(conn, account.login, "second_factor_on")

    await db.write(confirm)  # cached sessions show whether the account has a second factor
    return codes


async def disable_second_factor(
    db: Database, hasher: PasswordHasher, account: StaffAccount, password: str
) -> None:
    """Turn TOTP off with the password, unless an admin made it compulsory."""
    if await second_factor_required(db):
        raise InvalidInput(FACTOR_REQUIRED)
    await _check_password(db, hasher, account, password)

    def turn_off(conn: Connection) -> None:
        accounts.set_totp(conn, account.id, None, 0)
        accounts.replace_recovery_codes(conn, account.id, [])
        record_in(conn, account.login, "second_factor_off")

    await db.write(turn_off)  # cached sessions show whether the account has a second factor


async def recovery_codes_left(db: Database, account: StaffAccount) -> int:
    """How many unused recovery codes an account has."""
    return await db.read(lambda conn: accounts.unused_recovery_codes(conn, account.id))


def recovery_hash(code: str) -> str:
    """How a recovery code is stored: the hash of its cleaned form."""
    return ids.hash_secret("recovery:" + second_factor.clean_code(code))


async def second_factor_required(db: Database) -> bool:
    """Whether an admin made the second factor compulsory (read through the cache: every request asks)."""
    key = ("staff_setting", SECOND_FACTOR_REQUIRED)
    cached = db.cache_get(key, bool)
    if cached is None:
        cached = await db.read(lambda conn: accounts.setting(conn, SECOND_FACTOR_REQUIRED)) == "yes"
        db.cache_put(key, cached)
    return cached


async def set_second_factor_required(db: Database, scope: Scope, required: bool) -> None:
    """Make the second factor compulsory for everyone, or optional again (admins only)."""
    scope.require_admin()

    def store(conn: Connection) -> None:
        accounts.set_setting(conn, SECOND_FACTOR_REQUIRED, "yes" if required else "no")
        record_in(conn, scope.actor, "second_factor_required" if required else "second_factor_optional")

    await db.write(store)  # the cached setting must go


async def _check_password(db: Database, hasher: PasswordHasher, account: StaffAccount, password: str) -> None:
    creds = await db.read(lambda conn: accounts.credentials(conn, account.login))
    if not await hasher.verify(creds.password_hash if creds else None, password[:256]):
        raise Unauthorized(WRONG_CURRENT_PASSWORD)


async def _hand_over(settings: Settings, account: StaffAccount, token: str, expires_at: str) -> SetupLink:
    url = f"{settings.public_url}/staff/setup/{token}"
    if settings.smtp_url and "@" in account.login:
        body = (
            f"Guten Tag{' ' + account.display_name if account.display_name else ''},\n\n"
            f"für Sie wurde ein meetkit-Zugang eingerichtet (Anmeldename: {account.login}).\n"
            f"Bitte legen Sie Ihr Passwort über diesen Link fest; er gilt einmal, bis {expires_at} (UTC):\n\n"
            f"{url}\n\nDanach melden Sie sich hier an: {settings.public_url}/staff/login\n"
        )
        sender = mail.sender_for(settings.smtp_url, settings.public_url)
        if await mail.send(settings.smtp_url, sender, account.login, "Ihr meetkit-Zugang", body):
            return SetupLink(url, expires_at, account.login)
    return SetupLink(url, expires_at, None)


def _personal(account: StaffAccount) -> tuple[str, ...]:
    parts = [account.login, *account.login.replace("@", " ").replace(".", " ").split()]
    if account.display_name:
        parts += [account.display_name, *account.display_name.split()]
    return (*parts, "meetkit")


def _by_login(conn: Connection, login: str) -> StaffAccount:
    account = accounts.by_login(conn, login)
    if account is None:
        raise NotFound(f"Einen Zugang '{login}' gibt es nicht.")
    return account


def _contact_point_id(conn: Connection, slug: str) -> int:
    found = contact_points.by_slug(conn, slug)
    if found is None:
        raise NotFound(f"Die Kontaktstelle '{slug}' gibt es nicht.")
    return found.id
