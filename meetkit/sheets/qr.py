"""QR codes of member links as compact vector SVG, made once per link."""

from __future__ import annotations

import functools

import segno

QUIET_ZONE = 4  # modules of white border the QR standard asks for


@functools.lru_cache(maxsize=4096)
def qr_svg(url: str) -> str:
    """Return an inline SVG (one path, quiet zone included, sized by CSS) encoding `url`.

    Error correction is at least M: segno raises it only when the symbol keeps the same
    version, so the modules never get smaller than with M.
    """
    code = segno.make_qr(url, error="m", boost_error=True)
    return code.svg_inline(border=QUIET_ZONE, omitsize=True, svgclass=None, lineclass=None)


def qr_info(url: str) -> tuple[int, str]:
    """Return (version, error level) of the code `qr_svg` makes for `url`; for tests and docs."""
    code = segno.make_qr(url, error="m", boost_error=True)
    return int(code.version), str(code.error)
