"""Printable invitation sheets: QR code, short link, phone dial-in and PIN, rules, help."""

from meetkit.sheets.data import LANGS, LAYOUTS, DialInNumber, Lang, Layout, SheetData
from meetkit.sheets.pool import SheetRenderer

__all__ = ["LANGS", "LAYOUTS", "DialInNumber", "Lang", "Layout", "SheetData", "SheetRenderer"]
