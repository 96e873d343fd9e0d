"""Leader forms read through one helper: a malformed form is a clear 400 that logs nothing of the request."""

from __future__ import annotations

import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.domain.attendance_times import local_today
from meetkit.services import attendance
from meetkit.web.keys import DATABASE
from tests.conftest import SeededGroup

Client = TestClient[web.Request, web.Application]

MALFORMED = {  # name: (Content-Type, body)
    "multipart without boundary": ("multipart/form-data", b"in_room=3"),
    "multipart with a broken body": ("multipart/form-data; boundary=XyZ", b"--XyZ\r\nnot a part"),
    "unknown charset": ("application/x-www-form-urlencoded; charset=no-such-charset", b"in_room=3"),
}


@pytest.mark.parametrize("form", ["renew", "attendance"])
@pytest.mark.parametrize("case", sorted(MALFORMED))
async def test_a_malformed_form_is_a_clear_400_and_logs_nothing_of_the_request(
    client: Client, group: SeededGroup, form: str, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    content_type, body = MALFORMED[case]
    caplog.set_level(logging.DEBUG)
    response = await client.post(
        f"/l/{group.leader_token}/{form}", data=body, headers={"Content-Type": content_type}
    )
    assert response.status == 400
    assert "Das Formular konnte nicht gelesen werden" in await response.text()
    for record in caplog.records:
        if record.name == "aiohttp.access":
            continue  # the test server's own access log; `meetkit serve` replaces it (web/accesslog.py)
        logged = record.getMessage() + (record.exc_text or "")
        assert record.levelno < logging.ERROR, logged
        assert "multipart" not in logged and "charset" not in logged and group.leader_token not in logged
    assert await attendance.last_meetings(client.app[DATABASE], group.id) == []


@pytest.mark.parametrize("typed", ["²", "١", "５", "3²", "⁵"])
async def test_headcounts_are_ascii_digits_with_the_message_next_to_the_form(
    client: Client, group: SeededGroup, typed: str
) -> None:
    response = await client.post(
        f"/l/{group.leader_token}/attendance",
        data={"date": local_today().isoformat(), "in_room": typed, "phone": "1"},
    )
    assert response.status == 400
    html = await response.text()
    message = "Die Anzahl im Raum muss eine ganze Zahl von 0 bis 500 sein."
    assert message in html
    form_start = html.index(f'action="/l/{group.leader_token}/attendance')
    assert form_start < html.index(message) < html.index("</form>", form_start), "inside the headcount form"
    assert await attendance.last_meetings(client.app[DATABASE], group.id) == []


async def test_the_message_next_to_the_form_is_english_with_lang_en(
    client: Client, group: SeededGroup
) -> None:
    response = await client.post(
        f"/l/{group.leader_token}/attendance?lang=en",
        data={"date": local_today().isoformat(), "phone": "²"},
    )
    assert response.status == 400
    html = await response.text()
    assert "Wie viele waren da?" not in html and "must be a whole number from 0 to 500" in html
