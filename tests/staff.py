"""A staff member's browser for pytest-aiohttp: keeps the staff cookies by hand (they are Secure on https)."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR
from meetkit.services import accounts, directory
from meetkit.web.keys import DATABASE

Client = TestClient[web.Request, web.Application]
GOOD_PASSWORD = "Kaffeetasse Fahrrad Mondschein"
OTHER_GOOD_PASSWORD = "Gießkanne Leuchtturm Zimtschnecke"
ISO_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?Z")  # a stored UTC moment as it is stored
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


NBSP = "\u00a0"  # pages keep a date and a time each on one line


def shown_time(stored: str, lang: str = "de") -> str:
    """How a staff page shows a stored UTC moment: Berlin time, "30.11.2026, 15:31 Uhr" / "30 Nov 2026, 15:31"."""
    local = dt.datetime.fromisoformat(stored).astimezone(ZoneInfo("Europe/Berlin"))
    if lang == "en":
        return f"{local.day}{NBSP}{_MONTHS[local.month - 1]}{NBSP}{local.year}, {local:%H:%M}"
    return f"{local:%d.%m.%Y, %H:%M}{NBSP}Uhr"


@dataclass
class Page:
    """One answer: status, body, headers."""

    status: int
    text: str
    headers: Any
    body: bytes = b""  # the raw answer (a PDF's bytes; `text` is its lossy decoding)

    @property
    def location(self) -> str | None:
        """Where a redirect points."""
        return self.headers.get("Location")

    def alert(self) -> str | None:
        """The error message shown on the page, if any."""
        found = re.search(r'role="alert">([^<]+)<', self.text)
        return html.unescape(found.group(1)) if found else None

    def csrf(self) -> str:
        """The page's CSRF token."""
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.text)
        assert found, self.text[:500]
        return found.group(1)


@dataclass
class StaffBrowser:
    """Sends the cookies a browser would (also the Secure ones over the test client's http)."""

    client: Client
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookie_headers: list[str] = field(default_factory=list)
    last: Page | None = None

    async def request(self, method: str, path: str, data: Any = None, **headers: str) -> Page:
        """Make a request without following redirects; keep what Set-Cookie says."""
        self.client.session.cookie_jar.clear()
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = await self.client.request(method, path, data=data, headers=headers, allow_redirects=False)
        for header in response.headers.getall("Set-Cookie", []):
            self.set_cookie_headers.append(header)
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        body = await response.read()
        page = Page(
            response.status,
            body.decode(response.charset or "utf-8", errors="replace"),
            response.headers,
            body,
        )
        if method == "GET" and page.status == 200 and 'name="csrf_token"' in page.text:
            self.last = page  # the page whose forms the next POST fills in (not a PDF or a printable sheet)
        return page

    async def get(self, path: str, **headers: str) -> Page:
        """GET a page."""
        return await self.request("GET", path, **headers)

    async def post(
        self,
        path: str,
        data: dict[str, Any] | list[tuple[str, Any]] | None = None,
        csrf: bool = True,
        **headers: str,
    ) -> Page:
        """POST a form (a dict, or pairs for repeated fields) with the CSRF token of the page last seen."""
        pairs = list(data.items()) if isinstance(data, dict) else list(data or [])
        if csrf and self.last is not None and all(name != "csrf_token" for name, _ in pairs):
            pairs.append(("csrf_token", self.last.csrf()))
        form: Any = dict(pairs) if len({name for name, _ in pairs}) == len(pairs) else pairs
        return await self.request("POST", path, form, **headers)

    async def sign_in(self, login: str, password: str = GOOD_PASSWORD) -> Page:
        """Open the sign-in page and send login name and password."""
        await self.get("/staff/login")
        return await self.post("/staff/login", {"login": login, "password": password})


async def new_account(
    client: Client,
    settings: Settings,
    login: str,
    *,
    admin: bool = False,
    contact_points: tuple[str, ...] = (),
) -> str:
    """Create an account as the operator would; return the path of its setup link."""
    from meetkit.domain.scope import OPERATOR

    _, link = await accounts.add_account(
        client.app[DATABASE],
        settings,
        OPERATOR,
        login,
        None,
        admin=admin,
        contact_point_slugs=list(contact_points),
    )
    return link.url.removeprefix(settings.public_url)


async def ready_account(
    client: Client,
    settings: Settings,
    login: str,
    *,
    admin: bool = False,
    contact_points: tuple[str, ...] = (),
) -> None:
    """An account whose password is set (through its setup link, as a person would)."""
    path = await new_account(client, settings, login, admin=admin, contact_points=contact_points)
    browser = StaffBrowser(client)
    await browser.get(path)
    page = await browser.post(path, {"password": GOOD_PASSWORD, "password_repeat": GOOD_PASSWORD})
    assert page.status == 303, page.text


@pytest.fixture
async def seeded(client: Client, settings: Settings) -> Client:
    """Two contact points, an admin and a staff member of the first."""
    db = client.app[DATABASE]
    await directory.add_contact_point(db, OPERATOR, "KISS Nord", slug="kiss-nord")
    await directory.add_contact_point(db, OPERATOR, "KISS Süd", slug="kiss-sued")
    await ready_account(client, settings, "admin@example.org", admin=True)
    await ready_account(client, settings, "nord@example.org", contact_points=("kiss-nord",))
    return client


MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]


def in_words(month: str) -> str:
    """`YYYY-MM` as a German page names it: "November 2026"."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"
