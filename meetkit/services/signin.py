"""Signing in and out: passwords, the second step with a TOTP or recovery code, server-side sessions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from meetkit.domain import ids, second_factor
from meetkit.domain.accounts import (
    N_,
    SESSION_ABSOLUTE_HOURS,
    StaffAccount,
    check_typed_password,
    clean_login,
    iso,
    login_delay_seconds,
    parse_iso,
)
from meetkit.domain.errors import RateLimited, Unauthorized
from meetkit.domain.sealing import SecretBox
from meetkit.services.accounts import recovery_hash, totp_owner
from meetkit.services.audit import record_in
from meetkit.services.passwords import PasswordHasher
from meetkit.storage import accounts, staff_sessions
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

WRONG_LOGIN = N_("Anmeldename oder Passwort stimmen nicht.")
LOGIN_DELAYED = N_(
    "Zu viele Fehlversuche mit diesem Anmeldenamen. Bitte warten Sie etwas und versuchen Sie es dann noch einmal."
)
SECOND_STEP_EXPIRED = N_("Die Anmeldung ist abgelaufen. Bitte melden Sie sich noch einmal an.")
SECOND_STEP_SECONDS = 5 * 60  # between password and code
TOUCH_EVERY_SECONDS = 60  # last_seen_at is written at most this often per session


@dataclass(frozen=True, slots=True)
class Current:
    """The session behind a request's cookie: whose it is and whether the sign-in is complete."""

    account: StaffAccount
    id_hash: str
    signed_in: bool


@dataclass(frozen=True, slots=True)
class LiveSession:
    """A session as the read cache keeps it: who, and the times its timeouts run from."""

    current: Current
    created: float
    last_seen: float


@dataclass(frozen=True, slots=True)
class SignIn:
    """A new session id for the cookie; `complete` is False while the second step (the code) is due."""

    session_id: str
    complete: bool


class SignInService:
    """Sign-in rules bound to the database, the password hasher and the server's secret key."""

    def __init__(self, db: Database, hasher: PasswordHasher, secret: str, idle_minutes: int) -> None:
        self.db = db
        self.hasher = hasher
        self._secret = secret
        self.idle_seconds = idle_minutes * 60
        self.box = SecretBox(secret, "totp")  # TOTP secrets are stored sealed (domain/sealing.py)

    def login_key(self, login: str) -> str:
        """The keyed hash under which a typed login name's failures are counted (names are not stored)."""
        return login_key(self._secret, login)

    async def sign_in(self, typed_login: str, typed_password: str, now: float) -> SignIn:
        """Check login name and password (same answer, similar time for unknown names); start a session."""
        login = clean_login(typed_login)
        password = check_typed_password(typed_password)
        login_key = self.login_key(login)
        await self._check_delay(login_key, now)
        creds = await self.db.read(lambda conn: accounts.credentials(conn, login))
        matches = await self.hasher.verify(creds.password_hash if creds else None, password)
        if creds is None or not matches or creds.account.disabled:
            actor = creds.account.login if creds else None
            await self._fail(login_key, actor, "login_failed", now)
            raise Unauthorized(WRONG_LOGIN)
        account = creds.account
        session_id = new_session_id()

        def start(conn: Connection) -> None:
            accounts.clear_login_failures(conn, login_key)
            staff_sessions.insert(
                conn, hash_session_id(session_id), account.id, not account.has_second_factor, iso(now)
            )
            if not account.has_second_factor:
                record_in(conn, account.login, "login")

        await self.db.write(start, invalidates_cache=False)
        return SignIn(session_id, not account.has_second_factor)

    async def second_step(self, current: Current | None, typed_code: str, now: float) -> str:
        """Complete a sign-in with a TOTP code or an unused recovery code; return the new session id."""
        if current is None or current.signed_in:
            raise Unauthorized(SECOND_STEP_EXPIRED)
        account = current.account
        login_key = self.login_key(account.login)
        await self._check_delay(login_key, now)
        code = second_factor.clean_code(typed_code)
        session_id = new_session_id()

        def complete(conn: Connection) -> bool:
            creds = accounts.credentials(conn, account.login)
            if creds is None or creds.totp_secret is None:
                return False
            if second_factor.is_totp_code(code):
                secret = self.box.open(creds.totp_secret, totp_owner(account.id))
                step = second_factor.accepted_step(secret, code, creds.totp_last_step, now)
                if step is None or not accounts.use_totp_step(conn, account.id, step):
                    return False
                how = "login"
            elif accounts.use_recovery_code(conn, account.id, recovery_hash(code)):
                how = "login_with_recovery_code"
            else:
                return False
            accounts.clear_login_failures(conn, login_key)
            staff_sessions.delete(conn, current.id_hash)
            staff_sessions.insert(conn, hash_session_id(session_id), account.id, True, iso(now))
            record_in(conn, account.login, how)
            return True

        if not await self.db.write(complete):  # the pending session ends: cached sessions must go
            await self._fail(login_key, account.login, "second_factor_failed", now)
            raise Unauthorized(second_factor.WRONG_CODE)
        return session_id

    async def start_session(self, account: StaffAccount, now: float) -> str:
        """A fresh, complete session for an account that just proved itself (after a password change)."""
        session_id = new_session_id()
        await self.db.write(
            lambda conn: staff_sessions.insert(conn, hash_session_id(session_id), account.id, True, iso(now)),
            invalidates_cache=False,
        )
        return session_id

    async def current(self, session_id: str | None, now: float) -> Current | None:
        """The live session behind a cookie value, or None (unknown, ended, idle too long, too old, disabled).

        Sessions are read through the read cache, one entry per session and minute: every write that ends a
        session or changes what its account may do empties the cache, and last_seen_at is written at most
        once a minute anyway."""
        if not session_id or len(session_id) > 100:
            return None
        id_hash = hash_session_id(session_id)
        key = ("staff_session", id_hash, int(now // TOUCH_EVERY_SECONDS))
        live = self.db.cache_get(key, LiveSession)
        if live is None:
            live = await self._read_session(id_hash, now)
            if live is None:
                return None
            self.db.cache_put(key, live)
        if self._ran_out(live, now):
            await self.db.write(lambda conn: staff_sessions.delete(conn, id_hash))
            return None
        return live.current

    async def _read_session(self, id_hash: str, now: float) -> LiveSession | None:
        """The stored session and its account; its last_seen_at moved on when a minute has passed."""

        def look(conn: Connection) -> tuple[staff_sessions.SessionRow, StaffAccount] | None:
            row = staff_sessions.by_hash(conn, id_hash)
            account = accounts.by_id(conn, row.account_id) if row else None
            return (row, account) if row and account else None

        found = await self.db.read(look)
        if found is None:
            return None
        row, account = found
        live = LiveSession(
            Current(account, id_hash, row.signed_in), parse_iso(row.created_at), parse_iso(row.last_seen_at)
        )
        if not self._ran_out(live, now) and now - live.last_seen >= TOUCH_EVERY_SECONDS:
            await self.db.write(
                lambda conn: staff_sessions.touch(conn, id_hash, iso(now)), invalidates_cache=False
            )
            live = LiveSession(live.current, live.created, now)
        return live

    def _ran_out(self, live: LiveSession, now: float) -> bool:
        """Whether a session is past its absolute lifetime (or the second step's) or idle too long."""
        lifetime = SESSION_ABSOLUTE_HOURS * 3600 if live.current.signed_in else SECOND_STEP_SECONDS
        return now - live.created > lifetime or now - live.last_seen > self.idle_seconds

    async def sign_out(self, current: Current) -> None:
        """End this session."""

        def end(conn: Connection) -> None:
            staff_sessions.delete(conn, current.id_hash)
            if current.signed_in:
                record_in(conn, current.account.login, "logout")

        await self.db.write(end)  # every process must forget the session at once

    async def prune(self, now: float) -> int:
        """Delete sessions that ran out."""
        idle_before = iso(now - self.idle_seconds)
        created_before = iso(now - SESSION_ABSOLUTE_HOURS * 3600)
        return await self.db.write(
            lambda conn: staff_sessions.prune(conn, idle_before, created_before), invalidates_cache=False
        )

    async def _check_delay(self, login_key: str, now: float) -> None:
        failed = await self.db.read(lambda conn: accounts.login_failures(conn, login_key))
        if failed is not None:
            until = parse_iso(failed[1]) + login_delay_seconds(failed[0])
            if until > now:
                raise RateLimited(LOGIN_DELAYED, max(1, int(until - now + 0.999)))

    async def _fail(self, login_key: str, actor: str | None, action: str, now: float) -> None:
        def count(conn: Connection) -> None:
            accounts.add_login_failure(conn, login_key, iso(now))
            record_in(conn, actor, action)

        await self.db.write(count, invalidates_cache=False)


def login_key(secret: str, login: str) -> str:
    """The keyed hash of a typed login name, as staff_login_failures stores it."""
    key = hashlib.sha256(("staff-login:" + secret).encode()).digest()
    return hmac.new(key, login.encode(), hashlib.sha256).hexdigest()


def new_session_id() -> str:
    """A random session id (256 bits)."""
    return secrets.token_urlsafe(32)


def hash_session_id(session_id: str) -> str:
    """How a session id is stored."""
    return ids.hash_secret("session:" + session_id)
