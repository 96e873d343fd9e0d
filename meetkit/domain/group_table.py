"""Reading an office's list of groups: a CSV file or the first sheet of an .xlsx workbook, as rows of text."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from meetkit.domain.accounts import N_
from meetkit.domain.errors import InvalidInput

MAX_ROWS = 12_000  # Bavaria has about 11,000 groups: one state-wide list fits
MAX_CELLS_PER_ROW = 50  # columns read from each row; an office's list has a handful
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # an .xlsx is a zip: refuse one that unpacks to more (a zip bomb)
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format (and other OLE2 files)
DELIMITERS = ";,\t"

NOT_A_TABLE = N_(
    "Diese Datei ist weder eine CSV-Datei noch eine Excel-Tabelle (.xlsx). Bitte die Liste in Excel oder "
    "LibreOffice als „CSV“ oder „Excel-Arbeitsmappe (.xlsx)“ speichern und noch einmal hochladen."
)
OLD_EXCEL = N_(
    "Das ist eine Excel-Datei im alten Format (.xls). Bitte in Excel „Speichern unter“ wählen und "
    "„Excel-Arbeitsmappe (.xlsx)“ oder „CSV (Trennzeichen-getrennt)“ nehmen."
)
BROKEN_XLSX = N_(
    "Diese Excel-Datei lässt sich nicht lesen: sie ist beschädigt oder unvollständig. Bitte die Datei in "
    "Excel öffnen, neu speichern und noch einmal hochladen."
)
EMPTY_FILE = N_("Die Datei ist leer: sie enthält keine Zeile mit einem Gruppennamen.")
TOO_MANY_ROWS = N_("Die Liste hat mehr als 12.000 Zeilen. Bitte in mehrere Dateien aufteilen.")
TOO_BIG_UNPACKED = N_("Diese Excel-Datei ist entpackt zu groß (mehr als 64 MB). Bitte als CSV speichern.")


@dataclass(frozen=True, slots=True)
class Table:
    """The rows of a list as text cells, each with the line number a spreadsheet shows for it (from 1)."""

    rows: tuple[tuple[int, tuple[str, ...]], ...]
    kind: str  # "csv" or "xlsx"


def read_table(data: bytes) -> Table:
    """Read CSV (UTF-8, UTF-16 or Windows-1252; `;`, `,` or tab) or .xlsx bytes, or raise InvalidInput."""
    if data.startswith(XLSX_MAGIC):
        return Table(_limited(_xlsx_rows(data)), "xlsx")
    if data.startswith(XLS_MAGIC):
        raise InvalidInput(OLD_EXCEL)
    text = _decode(data)
    if not text.strip():
        raise InvalidInput(EMPTY_FILE)
    return Table(_limited(_csv_rows(text)), "csv")


def _limited(rows: Iterator[tuple[int, tuple[str, ...]]]) -> tuple[tuple[int, tuple[str, ...]], ...]:
    kept: list[tuple[int, tuple[str, ...]]] = []
    for line, cells in rows:
        if any(cells):
            if len(kept) >= MAX_ROWS + 1:  # one more than the limit: a header line may come first
                raise InvalidInput(TOO_MANY_ROWS)
            kept.append((line, cells))
    if not kept:
        raise InvalidInput(EMPTY_FILE)
    return tuple(kept)


def _decode(data: bytes) -> str:
    """Text of a CSV file: UTF-16 with a byte order mark, UTF-8 (with or without one), else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InvalidInput(NOT_A_TABLE) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # what German Excel writes as "CSV"
    if "\x00" in text or sum(not ch.isprintable() and ch not in "\r\n\t" for ch in text[:4096]) > 8:
        raise InvalidInput(NOT_A_TABLE)  # a binary file (PDF, image, Word ...)
    return text


def _csv_rows(text: str) -> Iterator[tuple[int, tuple[str, ...]]]:
    sample = "\n".join(text.splitlines()[:20])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        delimiter = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, tuple(cell.strip() for cell in cells[:MAX_CELLS_PER_ROW])
    except csv.Error:
        raise InvalidInput(NOT_A_TABLE) from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, tuple[str, ...]]]:
    """The first sheet's rows, read with openpyxl in read-only mode (streamed, formulas as their values)."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise InvalidInput(TOO_BIG_UNPACKED)
            if "xl/workbook.xml" not in archive.namelist():
                raise InvalidInput(NOT_A_TABLE)  # another zip file (.docx, .ods, ...)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except InvalidInput:
        raise
    except Exception:  # zipfile, openpyxl and its XML parser raise many kinds on damaged files
        raise InvalidInput(BROKEN_XLSX) from None
    try:
        sheet = workbook.worksheets[0]
        for line, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_CELLS_PER_ROW), 1):
            yield line, tuple(_cell_text(value) for value in values)
            if line > MAX_ROWS * 4:  # blank rows count too: a sheet formatted down to row 1,048,576
                raise InvalidInput(TOO_MANY_ROWS)
    except InvalidInput:
        raise
    except Exception:
        raise InvalidInput(BROKEN_XLSX) from None
    finally:
        workbook.close()
