"""QR codes of member links as compact vector SVG, made once per link.

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
def qr_svg(url: str) -> str:
    """An inline SVG (one path, quiet zone included, no fixed size) that encodes `url`."""
    rows = modules(url)
    size = len(rows) + 2 * QUIET_ZONE
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
    return f'<svg viewBox="0 0 {size} {size}"><path stroke="#000" d="{"".join(runs)}"/></svg>'


def qr_info(url: str) -> tuple[int, str]:
    """(version, error correction level) of the symbol `qr_svg` draws; for tests and docs."""
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    side = (memoryview(cast(Any, code.to_image(scale=1, add_quiet_zones=False))).shape or (21,))[0]
    return (side - 17) // 4, str(code.ec_level)
