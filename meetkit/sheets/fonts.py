"""The sheet font (Atkinson Hyperlegible, installed as a Python package) and its @font-face rules."""

from __future__ import annotations

from pathlib import Path

import fontpkg_atkinson_hyperlegible as atkinson

FAMILY = "Atkinson Hyperlegible"

# (file name inside the package, CSS font-weight, CSS font-style)
FACES: tuple[tuple[str, int, str], ...] = (
    ("AtkinsonHyperlegible-Regular.ttf", 400, "normal"),
    ("AtkinsonHyperlegible-Bold.ttf", 700, "normal"),
    ("AtkinsonHyperlegible-Italic.ttf", 400, "italic"),
    ("AtkinsonHyperlegible-BoldItalic.ttf", 700, "italic"),
)


def font_dir() -> Path:
    """Directory that holds the installed .ttf files."""
    return Path(atkinson.ROOT) / "files"


def font_path(file_name: str) -> Path:
    """Path of one font file, refusing names that are not one of FACES."""
    if file_name not in {name for name, _, _ in FACES}:
        raise KeyError(file_name)
    return font_dir() / file_name


def font_face_css() -> str:
    """@font-face rules with file:// URLs, for WeasyPrint (browsers get static/sheet-fonts.css)."""
    return "".join(
        f"@font-face {{ font-family: '{FAMILY}'; src: url('{font_path(name).as_uri()}') format('truetype'); "
        f"font-weight: {weight}; font-style: {style}; }}\n"
        for name, weight, style in FACES
    )
