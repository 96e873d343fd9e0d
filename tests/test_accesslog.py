"""Requests that aiohttp itself refuses (bad request line, bad header) get an access line like every other."""

from __future__ import annotations

import re
import socket
import time
from urllib.parse import urlsplit

from tests.conftest import RunningServer

SECRET = "k3x9ap0qzt"  # stands for a member code or token in the refused request


def send_raw(server: RunningServer, data: bytes) -> bytes:
    """Send bytes to the real server and return its answer."""
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def access_lines(server: RunningServer, count: int) -> list[str]:
    """Wait for `count` access lines (they are written in batches) and return them."""
    deadline = time.monotonic() + 10
    while True:
        lines = [line for line in server.log().splitlines() if " meetkit.access: " in line]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def test_refused_requests_get_an_access_line_without_path_query_or_address(
    running_server: RunningServer,
) -> None:
    refused = [
        f"BREW /j/{SECRET}?pin=12345678 HTTP/1.1\r\nHost: x\r\n\r\n".encode(),  # not a method
        f"GET /j/{SECRET}?pin=12345678 HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n".encode(),  # no colon
        f"GET /j/{SECRET} HTTP/1.1\r\nHost: x\r\nX-Long: {'a' * 70_000}\r\n\r\n".encode(),  # header too long
    ]
    for data in refused:
        assert send_raw(running_server, data).startswith(b"HTTP/1.")
    send_raw(running_server, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    lines = access_lines(running_server, len(refused) + 1)
    assert len([line for line in lines if re.search(r"meetkit\.access: - rejected (400|431) ", line)]) == 3, (
        lines
    )
    assert re.search(r"meetkit\.access: GET healthz 200 ", lines[-1]), lines
    log = running_server.log()
    assert "AssertionError" not in log and "Traceback" not in log, log
    assert SECRET not in log and "12345678" not in log
    startup = f"meetkit läuft auf {running_server.url}"
    assert [line for line in log.splitlines() if "127.0.0.1" in line and startup not in line] == []
