"""Dial-in look-ups against a real `meetkit serve`: no PIN, room, query or address ever reaches its log."""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from yarl import URL


def raw_request(base_url: str, request_line: bytes) -> bytes:
    """Send one HTTP/1.1 request line byte for byte (as no well-behaved client would) and return the answer."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as conn:
        conn.sendall(request_line + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


async def test_dial_in_look_ups_never_log_pins_rooms_queries_or_addresses(
    cli: Any, running_server: Any
) -> None:
    group = cli("group", "add", "Gruppe", "--json").json()
    pin, room = group["pin"], group["room"]
    assert pin and room
    jitsi_query = f"conference={room}@muc.meet.jitsi&url=https://meet.example.org/{room}"
    right, wrong = (
        {"Authorization": "Bearer pbx-secret-0123456789abcdef0123456789"},
        {"Authorization": "Bearer not-the-secret"},
    )
    async with aiohttp.ClientSession(
        running_server.url, headers={"User-Agent": "SecretPhone/1.0"}
    ) as session:
        for target, headers, status in [
            (f"/jitsi/conference-mapper?{jitsi_query}", {}, 200),
            (f"/jitsi/dial-in-numbers?conference={room}@muc.meet.jitsi", {}, 200),
            (f"/jitsi/conference-mapper?id={pin}", right, 200),
            (f"/jitsi/conference-mapper?id={pin}", wrong, 401),
            (f"/jitsi/conference-mapper?id={pin}", {}, 401),
            ("/jitsi/conference-mapper?id=19191919", right, 404),
            (f"/jitsi/conference-mapper?id={pin}x", right, 400),
            (f"/jitsi/conference-mapper?conference={room}@other.muc", {}, 400),
            (f"/jitsi/conference-mapper?conference={room}@muc.meet.jitsi&id={pin}", right, 400),
            ("/jitsi/conference-mapper?conference=zzzzz-zzzzz@muc.meet.jitsi", {}, 404),
        ]:
            async with session.get(URL(target, encoded=True), headers=headers) as response:
                assert response.status == status, target
                assert pin not in (await response.text()) or status == 200
            async with session.options(URL(target, encoded=True)) as response:
                assert response.status == 204
    # Requests the HTTP layer refuses: aiohttp would log the request line and the client's address.
    overlong = raw_request(
        running_server.url, f"GET /jitsi/conference-mapper?id={pin}&url={'a' * 10_000} HTTP/1.1".encode()
    )
    assert overlong.split(b" ")[1] == b"400"
    unicode = raw_request(
        running_server.url, f"GET /jitsi/conference-mapper?conference={room}ä@muc&id={pin} HTTP/1.1".encode()
    )
    assert unicode.split(b" ")[1] == b"400"

    running_server.process.terminate()
    running_server.process.wait(timeout=10)
    logged = running_server.log()
    assert "GET dialin_mapper 200" in logged and "GET dialin_numbers 200" in logged
    assert "GET dialin_mapper 401" in logged and "OPTIONS dialin_mapper_preflight 204" in logged
    assert "LineTooLong while handling a request (details withheld)" in logged
    for secret in (
        pin,
        room,
        "19191919",
        "zzzzz",
        "pbx-secret-0123456789abcdef0123456789",
        "not-the-secret",
        "Bearer",
        "SecretPhone",
        "conference=",
        "id=",
        "meet.example.org/",
        "from 127.0.0.1",
        "Traceback",
    ):
        assert secret not in logged, secret
