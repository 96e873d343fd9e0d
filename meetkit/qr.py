"""QR codes (sheets, kiosk, tablet pairing in the terminal) as compact vector SVG or text, made once per link.

zxing-cpp's writer (zint inside) builds the symbol: error correction M, the mask chosen by the standard's
penalty rules, in well under a millisecond, where segno needs about 9 ms in pure Python (bench/sheets.py
--compare-qr). The SVG is ours: one path, one stroked line per run of dark modules, sized by CSS.
"""

from __future__ import annotations

import functools
from typing import Any, cast

import zxingcpp

QUIET_ZONE = 4  # modules of white border the QR standard asks for


def modules(url: str) -> list[bytes]:
    """The symbol's rows, one byte per module, 0 for dark (without quiet zone)."""
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(cast(Any, code.to_image(scale=1, add_quiet_zones=False)))
    height, width = image.shape or (0, 0)
    data = image.tobytes()
    return [data[y * width : (y + 1) * width] for y in range(height)]


@functools.lru_cache(maxsize=4096)
def _drawing(url: str) -> tuple[int, str]:
    """(side in modules with quiet zone, path data): one stroked line per run of dark modules."""
    rows = modules(url)
    runs = []
    for y, row in enumerate(rows):
        x, width = 0, len(row)
        while x < width:
            if row[x]:
                x += 1
                continue
            start = x
            while x < width and not row[x]:
                x += 1
            runs.append(f"M{start + QUIET_ZONE} {y + QUIET_ZONE}.5h{x - start}")
    return len(rows) + 2 * QUIET_ZONE, "".join(runs)


@functools.lru_cache(maxsize=4096)
def qr_svg(url: str) -> str:
    """An inline SVG (one path, quiet zone included, no fixed size) that encodes `url`."""
    size, path = _drawing(url)
    return f'<svg viewBox="0 0 {size} {size}"><path stroke="#000" d="{path}"/></svg>'


@functools.lru_cache(maxsize=1024)
def qr_svg_document(url: str, module_px: int = 8) -> str:
    """A standalone SVG file (white background, `module_px` pixels a module) that encodes `url`."""
    size, path = _drawing(url)
    side = size * module_px
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{side}" height="{side}">'
        f'<rect width="{size}" height="{size}" fill="#fff"/><path stroke="#000" d="{path}"/></svg>\n'
    )


def qr_text(url: str, border: int = 2) -> str:
    """The QR code as text for a terminal: Unicode half blocks, two module rows a line. Light modules are
    printed (terminals are dark), so a phone reads it from the screen like a printed code."""
    rows = modules(url)
    side = len(rows)

    def light(x: int, y: int) -> bool:
        return not (0 <= x < side and 0 <= y < side) or bool(rows[y][x])

    blocks = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
    lines = []
    for y in range(-border, side + border, 2):
        lines.append("".join(blocks[light(x, y), light(x, y + 1)] for x in range(-border, side + border)))
    return "\n".join(lines)


def qr_info(url: str) -> tuple[int, str]:
    """(version, error correction level) of the symbol `qr_svg` draws; for tests and docs."""
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    side = (memoryview(cast(Any, code.to_image(scale=1, add_quiet_zones=False))).shape or (21,))[0]
    return (side - 17) // 4, str(code.ec_level)
