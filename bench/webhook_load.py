"""A lean event_sync load: occupant/joined webhooks at a steady rate over kept-alive raw sockets.

Run: python -m bench.webhook_load URL ROOMS.json RATE SECONDS [CONNECTIONS]

The requests are encoded up front and sent from a few threads with blocking sockets, so that the load
generator costs little of the CPU it shares with the server it measures (an aiohttp client took about
0.7 ms of CPU per webhook, 7% of a core at 100 webhooks/s; this takes a few hundredths of that).
"""

from __future__ import annotations

import json
import random
import socket
import sys
import threading
import time
from urllib.parse import urlsplit

EVENTS_SECRET = "bench-events-secret-0123456789abcdef0123"


def requests_for(host: str, rooms: list[str], count: int) -> list[bytes]:
    """`count` ready HTTP/1.1 requests for random rooms, as Prosody's event_sync posts them."""
    made = []
    for _ in range(count):
        room = random.choice(rooms)
        body = json.dumps(
            {
                "event_name": "muc-occupant-joined",
                "room_name": room,
                "room_jid": f"{room}@muc.meet.jitsi",
                "is_breakout": False,
                "active_occupants_count": random.randint(1, 9),
            }
        ).encode()
        head = (
            f"POST /jitsi/events/occupant/joined HTTP/1.1\r\nHost: {host}\r\n"
            f"Authorization: Bearer {EVENTS_SECRET}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        made.append(head.encode() + body)
    return made


def read_response(sock: socket.socket, buffer: bytearray) -> int:
    """Read one response with a Content-Length body; return its status."""
    while b"\r\n\r\n" not in buffer:
        buffer += sock.recv(65536)
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    while len(rest) < length:
        rest += sock.recv(65536)
    buffer[:] = rest[length:]
    return int(head.split(b" ", 2)[1])


def sender(
    address: tuple[str, int], requests: list[bytes], start: float, interval: float, failed: list[int]
) -> None:
    """Send `requests` one every `interval` seconds from `start`, each after the previous answer."""
    with socket.create_connection(address) as sock:
        buffer = bytearray()
        for n, request in enumerate(requests):
            delay = start + n * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sock.sendall(request)
            if read_response(sock, buffer) != 200:
                failed.append(1)


def main() -> None:
    """Post RATE webhooks per second for SECONDS over CONNECTIONS connections."""
    url, rooms_file, rate, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    connections = int(sys.argv[5]) if len(sys.argv) > 5 else 4
    parts = urlsplit(url)
    address = (parts.hostname or "127.0.0.1", parts.port or 80)
    with open(rooms_file) as listed:
        rooms = json.load(listed)
    per_connection = int(rate * seconds / connections)
    interval = connections / rate
    start = time.monotonic() + 0.1
    failed: list[int] = []
    threads = [
        threading.Thread(
            target=sender,
            args=(
                address,
                requests_for(parts.netloc, rooms, per_connection),
                start + i * interval / connections,
                interval,
                failed,
            ),
        )
        for i in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        print(f"webhook load: {len(failed)} answers were not 200", file=sys.stderr)


if __name__ == "__main__":
    main()
