"""Staff sign-in from the outside: setup links, passwords, sessions, CSRF, delays, no enumeration."""

from __future__ import annotations

import re
import time
import types

import pytest

from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR
from meetkit.services import accounts, directory
from meetkit.web import staff_session
from meetkit.web.keys import DATABASE
from tests import dbtools
from tests.staff import (
    GOOD_PASSWORD,
    OTHER_GOOD_PASSWORD,
    Client,
    Page,
    StaffBrowser,
    new_account,
)


def _sessions(settings: Settings) -> int:
    return int(dbtools.rows(settings, "SELECT COUNT(*) AS n FROM staff_sessions")[0]["n"])


async def test_setup_link_sets_the_password_once(client: Client, settings: Settings) -> None:
    await directory.add_contact_point(client.app[DATABASE], OPERATOR, "KISS Nord", slug="kiss-nord")
    path = await new_account(client, settings, "Beratung@Example.org", contact_points=("kiss-nord",))
    browser = StaffBrowser(client)
    page = await browser.get(path)
    assert page.status == 200 and "beratung@example.org" in page.text

    weak = await browser.post(path, {"password": "passwort1234", "password_repeat": "passwort1234"})
    assert weak.status == 400 and "zu leicht zu erraten" in (weak.alert() or "")
    short = await browser.post(path + "?lang=en", {"password": "kurz", "password_repeat": "kurz"})
    assert short.status == 400 and short.alert() == "The password must be at least 12 characters long."
    differ = await browser.post(path, {"password": GOOD_PASSWORD, "password_repeat": GOOD_PASSWORD + "x"})
    assert differ.status == 400 and differ.alert() == "Die beiden Passwörter stimmen nicht überein."
    assert dbtools.rows(settings, "SELECT password_hash FROM staff_accounts")[0]["password_hash"] is None

    done = await browser.post(path, {"password": GOOD_PASSWORD, "password_repeat": GOOD_PASSWORD})
    assert done.status == 303 and done.location == "/staff/login?setup=1"
    stored = dbtools.rows(settings, "SELECT password_hash FROM staff_accounts")[0]["password_hash"]
    assert stored.startswith("$argon2id$") and GOOD_PASSWORD not in stored

    again = await browser.get(path)
    assert again.status == 404 and "abgelaufen oder wurde schon benutzt" in again.text
    reused = await browser.post(
        path, {"password": OTHER_GOOD_PASSWORD, "password_repeat": OTHER_GOOD_PASSWORD}
    )
    assert reused.status == 404
    assert dbtools.rows(settings, "SELECT password_hash FROM staff_accounts")[0]["password_hash"] == stored


async def test_expired_and_unknown_setup_links(client: Client, settings: Settings) -> None:
    path = await new_account(client, settings, "admin", admin=True)
    dbtools.execute(settings, "UPDATE staff_setup_links SET expires_at = '2000-01-01T00:00:00Z'")
    browser = StaffBrowser(client)
    expired = await browser.get(path + "?lang=en")
    assert expired.status == 404 and "This link has expired or was used already." in expired.text
    unknown = await browser.get("/staff/setup/nonsense")
    assert unknown.status == 404 and "Diesen Link gibt es nicht" in unknown.text
    assert dbtools.rows(settings, "SELECT password_hash FROM staff_accounts")[0]["password_hash"] is None


async def test_sign_in_sees_own_contact_points_and_sign_out_ends_the_session(
    seeded: Client, settings: Settings
) -> None:
    browser = StaffBrowser(seeded)
    assert (await browser.get("/staff/")).location == "/staff/login"
    page = await browser.sign_in("Nord@Example.org ")
    assert page.status == 303 and page.location == "/staff/"
    cookie = next(h for h in browser.set_cookie_headers if h.startswith("meetkit_staff="))
    assert (
        "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie and "Path=/staff/" in cookie
    )
    home = await browser.get("/staff/")
    assert home.status == 200 and "KISS Nord" in home.text and "KISS Süd" not in home.text
    old_cookie = dict(browser.cookies)

    out = await browser.post("/staff/logout")
    assert out.status == 303 and out.location == "/staff/login?out=1"
    assert "meetkit_staff" not in browser.cookies
    browser.cookies = old_cookie  # someone kept the old cookie
    assert (await browser.get("/staff/")).location == "/staff/login?ended=1"
    ended = await browser.get("/staff/login?ended=1")
    assert "Ihre Sitzung ist beendet" in ended.text


async def test_admin_sees_every_contact_point(seeded: Client) -> None:
    browser = StaffBrowser(seeded)
    await browser.sign_in("admin@example.org")
    home = await browser.get("/staff/")
    assert "KISS Nord" in home.text and "KISS Süd" in home.text


async def test_unknown_login_and_wrong_password_answer_alike(seeded: Client, settings: Settings) -> None:
    timings: dict[str, list[float]] = {"unknown": [], "wrong": []}
    pages = {}
    for round_ in range(2):
        for kind, login in (("unknown", f"niemand{round_}@example.org"), ("wrong", "admin@example.org")):
            browser = StaffBrowser(seeded)
            await browser.get("/staff/login")
            started = time.perf_counter()
            pages[kind] = await browser.post(
                "/staff/login", {"login": login, "password": "falsches Passwort!"}
            )
            timings[kind].append(time.perf_counter() - started)
    assert pages["unknown"].status == pages["wrong"].status == 401
    assert pages["unknown"].alert() == pages["wrong"].alert() == "Anmeldename oder Passwort stimmen nicht."

    def shape(page: Page, login: str) -> str:
        return re.sub(r'value="[0-9a-f]{64}"', "", page.text.replace(login, "X"))

    assert shape(pages["unknown"], "niemand1@example.org") == shape(pages["wrong"], "admin@example.org")
    # both verify an argon2id hash (unknown names a dummy one): similar time, not a fast path
    assert min(timings["unknown"]) > 0.3 * min(timings["wrong"])
    assert _sessions(settings) == 0


@pytest.mark.parametrize(
    ("login", "password", "message"),
    [
        ("", GOOD_PASSWORD, "Bitte geben Sie Ihren Anmeldenamen ein."),
        ("a" * 300, GOOD_PASSWORD, "Der Anmeldename ist zu lang (höchstens 254 Zeichen)."),
        ("ad\x00min", GOOD_PASSWORD, "Der Anmeldename darf keine Leer- oder Steuerzeichen enthalten."),
        ("admin@example.org", "", "Bitte geben Sie Ihr Passwort ein."),
        ("admin@example.org", "x" * 100_000, "Das Passwort ist zu lang (höchstens 256 Zeichen)."),
        ("admin@example.org", "Kaffee\x07tasse Fahrrad", "Das Passwort darf keine Steuerzeichen enthalten."),
    ],
)
async def test_bad_sign_in_input_gets_a_clear_message(
    seeded: Client, settings: Settings, login: str, password: str, message: str
) -> None:
    browser = StaffBrowser(seeded)
    await browser.get("/staff/login")
    page = await browser.post("/staff/login", {"login": login, "password": password})
    assert page.status == 400 and page.alert() == message
    await browser.get("/staff/login?lang=en")
    english = await browser.post("/staff/login?lang=en", {"login": login, "password": password})
    assert english.status == 400 and english.alert() and english.alert() != message
    assert _sessions(settings) == 0
    assert dbtools.rows(settings, "SELECT COUNT(*) AS n FROM staff_login_failures")[0]["n"] == 0


async def test_forms_without_token_or_from_elsewhere_are_refused(seeded: Client, settings: Settings) -> None:
    browser = StaffBrowser(seeded)
    await browser.sign_in("admin@example.org")
    await browser.get("/staff/")
    missing = await browser.post("/staff/logout", csrf=False)
    assert missing.status == 403 and "nicht von dieser Seite abgeschickt" in missing.text
    foreign = await browser.post("/staff/logout", Origin="https://evil.example")
    assert foreign.status == 403
    cross = await browser.post("/staff/logout", **{"Sec-Fetch-Site": "cross-site"})
    assert cross.status == 403
    assert _sessions(settings) == 1  # still signed in: nothing happened
    stranger = StaffBrowser(seeded)
    await stranger.get("/staff/login")
    stranger.cookies.pop("meetkit_form")
    login = await stranger.post("/staff/login", {"login": "admin@example.org", "password": GOOD_PASSWORD})
    assert login.status == 403 and _sessions(settings) == 1
    same = await browser.post(
        "/staff/logout", Origin="https://treffen.example.org", **{"Sec-Fetch-Site": "same-origin"}
    )
    assert same.status == 303 and _sessions(settings) == 0


async def test_failures_for_one_login_name_grow_a_delay(seeded: Client) -> None:
    browser = StaffBrowser(seeded)
    for login in ("admin@example.org", "niemand@example.org"):
        for _ in range(3):
            await browser.get("/staff/login")
            wrong = await browser.post("/staff/login", {"login": login, "password": "falsches Passwort!"})
            assert wrong.status == 401
        await browser.get("/staff/login")
        delayed = await browser.post("/staff/login", {"login": login, "password": GOOD_PASSWORD})
        assert delayed.status == 429 and int(delayed.headers["Retry-After"]) >= 1
        assert delayed.alert() and "Zu viele Fehlversuche" in delayed.alert()
    assert (await browser.get("/staff/")).status == 303  # the right password did not get in during the delay


async def test_failures_from_one_client_hit_its_budget(seeded: Client) -> None:
    browser = StaffBrowser(seeded)
    for number in range(10):
        await browser.get("/staff/login")
        page = await browser.post(
            "/staff/login", {"login": f"n{number}@example.org", "password": "falsch falsch"}
        )
        assert page.status == 401
    await browser.get("/staff/login")
    blocked = await browser.post("/staff/login", {"login": "admin@example.org", "password": GOOD_PASSWORD})
    assert blocked.status == 429 and "Retry-After" in blocked.headers


async def test_disable_and_reset_end_sessions_at_once(seeded: Client, settings: Settings) -> None:
    db = seeded.app[DATABASE]
    browser = StaffBrowser(seeded)
    await browser.sign_in("nord@example.org")
    assert (await browser.get("/staff/")).status == 200
    await accounts.disable_account(db, OPERATOR, "nord@example.org")
    assert (await browser.get("/staff/")).location == "/staff/login?ended=1"
    again = await browser.sign_in("nord@example.org")
    assert again.status == 401  # a disabled account answers like a wrong password

    admin = StaffBrowser(seeded)
    await admin.sign_in("admin@example.org")
    await accounts.reset_account(db, settings, OPERATOR, "admin@example.org")
    assert (await admin.get("/staff/")).location == "/staff/login?ended=1"
    assert (await admin.sign_in("admin@example.org")).status == 401  # the old password is gone


async def test_idle_and_absolute_timeouts(
    seeded: Client, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = StaffBrowser(seeded)
    await browser.sign_in("nord@example.org")
    dbtools.execute(settings, "UPDATE staff_sessions SET last_seen_at = '2000-01-01T00:00:00Z'")
    assert (await browser.get("/staff/")).location == "/staff/login?ended=1"
    await browser.sign_in("nord@example.org")
    assert (await browser.get("/staff/")).status == 200  # now the session is in the read cache as well

    def clock(hours: float) -> None:
        later = time.time() + hours * 3600
        monkeypatch.setattr(staff_session, "time", types.SimpleNamespace(time=lambda: later))

    for step in range(1, 27):  # active all day, a request every 27 minutes (within the idle timeout) ...
        clock(0.45 * step)
        assert (await browser.get("/staff/")).status == 200, step
    clock(12.1)  # ... until the absolute lifetime of 12 hours ends the session
    assert (await browser.get("/staff/")).location == "/staff/login?ended=1"
    assert _sessions(settings) == 0


async def test_change_password_ends_other_sessions(seeded: Client, settings: Settings) -> None:
    laptop, phone = StaffBrowser(seeded), StaffBrowser(seeded)
    await laptop.sign_in("nord@example.org")
    await phone.sign_in("nord@example.org")
    await laptop.get("/staff/account")
    wrong = await laptop.post(
        "/staff/account/password",
        {
            "current_password": "falsch falsch",
            "password": OTHER_GOOD_PASSWORD,
            "password_repeat": OTHER_GOOD_PASSWORD,
        },
    )
    assert wrong.status == 401 and wrong.alert() == "Das bisherige Passwort stimmt nicht."
    await laptop.get("/staff/account")
    done = await laptop.post(
        "/staff/account/password",
        {
            "current_password": GOOD_PASSWORD,
            "password": OTHER_GOOD_PASSWORD,
            "password_repeat": OTHER_GOOD_PASSWORD,
        },
    )
    assert done.status == 303
    assert (await laptop.get("/staff/")).status == 200
    assert (await phone.get("/staff/")).location == "/staff/login?ended=1"
    assert (await StaffBrowser(seeded).sign_in("nord@example.org", OTHER_GOOD_PASSWORD)).status == 303


async def test_the_cached_start_page_stays_each_persons_own_and_shows_changes_at_once(seeded: Client) -> None:
    member, admin = StaffBrowser(seeded), StaffBrowser(seeded)
    await member.sign_in("nord@example.org")
    await admin.sign_in("admin@example.org")
    for _ in range(2):  # the second round comes from the read cache
        mine, theirs = await member.get("/staff/"), await admin.get("/staff/")
        assert "KISS Nord" in mine.text and "KISS Süd" not in mine.text and "KISS Süd" in theirs.text
        assert mine.csrf() != theirs.csrf()  # each session its own form token
    assert 'lang="en"' in (await member.get("/staff/?lang=en")).text
    await directory.add_contact_point(seeded.app[DATABASE], OPERATOR, "KISS West", slug="kiss-west")
    assert "KISS West" in (await admin.get("/staff/")).text
    ended_cookie = member.cookies["meetkit_staff"]
    await member.post("/staff/logout")
    member.cookies["meetkit_staff"] = ended_cookie  # the signed-out session's cookie, sent again
    assert (await member.get("/staff/")).location == "/staff/login?ended=1"  # not the cached page
