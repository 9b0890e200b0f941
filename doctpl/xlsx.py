"""Cells of every .xlsx doctpl writes (no formula text, no character XML forbids), and a fast reader of sheets.

The reader streams a worksheet's rows and gives each cell the value openpyxl's read-only mode gives
(values only, formulas as their cached values): shared and inline strings, numbers, booleans, dates
by their cell style. openpyxl still reads the workbook around the sheet (which sheet is which, the
shared strings, the styles, the 1900 or 1904 calendar); only the sheet's XML, where the time goes, is
read here, a block at a time, by regular expressions over the text Excel, LibreOffice and openpyxl
write. A sheet in another form (a namespace prefix on its elements) is read by lxml instead.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import IO, Any

from doctpl.vn.text import xml_chars

# What makes Excel or LibreOffice read a typed cell as a formula (OWASP, «CSV injection»): =, +, -, @, and a
# tab or carriage return before them. A plain number such as "-0,5" carries no formula and stays as it is.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
BLOCK = 1 << 20  # characters of sheet XML read at a time
_ROW_NUMBER = re.compile(r'\br="([^"]*)"')
# The cell as Excel and LibreOffice write it, attributes in their order, a value or none; any other form is group 5.
_CELL = re.compile(r'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="([a-zA-Z]+)")?(?:/>|>(?:<v>([^<]*)</v>)?</c>)'
                   r"|(<c\b[^>]*?(?:/>|>.*?</c>))", re.DOTALL)
_ANY_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_ATTRIBUTE = re.compile(r'\b([rst])="([^"]*)"')
_VALUE = re.compile(r"<v(?:\s[^>]*)?(?<!/)>(.*?)</v>", re.DOTALL)
_TEXT = re.compile(r"<t(?:\s[^>]*)?(?<!/)>(.*?)</t>", re.DOTALL)
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>", re.DOTALL)
_PREFIXED = re.compile(r"<\w+:(?:row|c)\b")


def safe_cell(value: Any) -> Any:
    """Return `value` ready for a cell: text without XML-illegal characters, a formula-like text prefixed with «'»."""
    if not isinstance(value, str):
        return value
    text = xml_chars(value)
    return f"'{text}" if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text) else text


def _text(xml: str) -> str:
    """Return XML character data as a parser reads it: line ends normalised, references replaced."""
    if "\r" in xml:
        xml = xml.replace("\r\n", "\n").replace("\r", "\n")
    return html.unescape(xml) if "&" in xml else xml


_columns: dict[str, int] = {}


def column_index(reference: str) -> int:
    """Return the 1-based column of a cell reference ("AB12" -> 28)."""
    letters = reference.rstrip("0123456789")
    found = _columns.get(letters)
    if found is None:
        found = 0
        for letter in letters.upper():
            found = found * 26 + ord(letter) - 64
        _columns[letters] = found
    return found


class SheetReader:
    """The rows of one worksheet of a workbook opened by openpyxl in read-only mode, values only."""

    def __init__(self, sheet: Any):
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        book = sheet.parent
        self.sheet = sheet
        self.strings = sheet._shared_strings
        self.dates = book._date_formats
        self.durations = book._timedelta_formats
        self.epoch = book.epoch
        self.from_excel, self.from_iso = from_excel, from_ISO8601

    def rows(self, width: int, last: int) -> Iterator[tuple[int, list[Any]]]:
        """Yield (row number, the values of its first `width` columns) of every row up to row `last`."""
        yield from self._read(width, last, lambda xml: self._cells(xml, width), lambda values: values)

    def scan(self, width: int, last: int, key: int | None = None) -> Iterator[tuple[int, Any]]:
        """Yield (row number, the value in column `key`, 0-based) of every row up to `last` with a value in its first
        `width` columns; a row is read only as far as it takes to tell (to count a batch's rows)."""

        def of_values(values: list[Any]) -> tuple[bool, Any]:
            return any(v not in (None, "") for v in values), (values[key] if key is not None else None)

        for number, (filled, value) in self._read(width, last, lambda xml: self._probe(xml, width, key), of_values):
            if filled:
                yield number, value

    def _read(self, width: int, last: int, parse: Callable[[str], Any], of_values: Callable[[list[Any]], Any]
              ) -> Iterator[tuple[int, Any]]:
        """Yield (row number, parse(the row's XML)) of every row, or of_values(its values) when lxml reads the sheet."""
        with self.sheet._get_source() as source:
            head = source.read(BLOCK)
            text = head.decode("utf-8", "surrogateescape") if isinstance(head, bytes) else head
            rows = text[text.find("</row>") + 1:]  # the data rows after the header
            if _PREFIXED.search(text) or 't="inlineStr"' in rows:  # inline text: lxml decodes its references in C
                for number, values in self._lxml_rows(width, last):
                    yield number, of_values(values)
                return
            yield from self._regex_rows(source, head, last, parse)

    def _regex_rows(self, source: IO[bytes], head: bytes, last: int, parse: Callable[[str], Any]
                    ) -> Iterator[tuple[int, Any]]:
        number = 0
        pending = b""
        block = head
        while True:
            done = not block
            data = pending + block
            cut = len(data) if done else data.rfind(b"</row>") + len(b"</row>")
            if cut < len(b"</row>") and not done:  # no whole row yet: read on
                pending, block = data, source.read(BLOCK)
                continue
            text, pending = data[:cut].decode("utf-8"), data[cut:]
            for piece in text.split("</row>"):
                start = piece.find("<row")
                while start >= 0:  # a piece is what comes before one </row>: empty <row/> elements, then the row
                    end = piece.find(">", start)
                    if end < 0:
                        break
                    head_text = piece[start + 4:end]
                    if head_text[:1] not in (" ", "/", ">", ""):
                        start = piece.find("<row", end)  # <rowBreaks> and the like
                        continue
                    found = _ROW_NUMBER.search(head_text)
                    number = int(float(found.group(1))) if found else number + 1
                    if number > last:
                        return
                    following = piece.find("<row", end)
                    if head_text.endswith("/"):
                        start = following
                        continue
                    yield number, parse(piece[end + 1:following if following >= 0 else len(piece)])
                    start = following
            if done:
                return
            block = source.read(BLOCK)

    def _cells(self, xml: str, width: int) -> list[Any]:
        values: list[Any] = [None] * width
        column = 0
        columns = _columns
        for letters, style, kind, raw, other in _CELL.findall(xml):
            if other:
                column, value = self._other_cell(other, column)
                if value is not None and column <= width:
                    values[column - 1] = value
                continue
            column = columns.get(letters) or column_index(letters)
            if raw and column <= width:
                if not kind:  # a number, the most common cell with shared strings
                    number: Any = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
                    values[column - 1] = self._value("n", raw, style) if style and int(style) in self.dates \
                        else number
                elif kind == "s":
                    values[column - 1] = self.strings[int(raw)]
                else:
                    values[column - 1] = self._value(kind, raw, style)
        return values

    def _probe(self, xml: str, width: int, key: int | None) -> tuple[bool, Any]:
        """Tell whether a row has a value in its first `width` columns, and give its value in column `key` (0-based);
        stop reading the row as soon as both are known."""
        filled, found, column = False, None, 0
        for match in _CELL.finditer(xml):
            letters, style, kind, raw, other = match.groups()
            if other:
                column, value = self._other_cell(other, column)
            else:
                column = _columns.get(letters) or column_index(letters)
                value = (self.strings[int(raw)] if kind == "s" else self._value(kind or "n", raw, style)) if raw \
                    else None
            if column > width:
                continue
            if key is not None and column == key + 1:
                found = value
            filled = filled or value not in (None, "")
            if filled and (key is None or column > key):
                break
        return filled, found

    def _other_cell(self, xml: str, column: int) -> tuple[int, Any]:
        """Read a cell in any other form (attributes in another order, a formula, inline text)."""
        match = _ANY_CELL.match(xml)
        attributes = dict(_ATTRIBUTE.findall(match.group(1))) if match else {}
        inner = (match.group(2) if match else "") or ""
        reference = attributes.get("r")
        column = column_index(reference) if reference else column + 1
        kind = attributes.get("t", "n")
        if kind == "inlineStr":
            if "<is" not in inner:
                return column, None
            if "<rPh" in inner:
                inner = _PHONETIC.sub("", inner)
            return column, _text("".join(_TEXT.findall(inner)))
        found = _VALUE.search(inner)
        raw = found.group(1) if found else ""
        return column, self._value(kind, raw, attributes.get("s")) if raw else None

    def _value(self, kind: str, raw: str, style: str | None) -> Any:
        """Return a cell's value from its type, its <v> text and its style, as openpyxl's parse_cell does."""
        if kind == "n":
            number: Any = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
            if style and int(style) in self.dates:
                try:
                    return self.from_excel(number, self.epoch, timedelta=int(style) in self.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.strings[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return self.from_iso(raw)
        return _text(raw)  # str (a formula's text), e (an error such as #N/A)

    def _lxml_rows(self, width: int, last: int) -> Iterator[tuple[int, list[Any]]]:
        """Read a sheet whose elements carry a namespace prefix, with lxml, one row at a time."""
        from lxml import etree

        ns = f"{{{MAIN}}}"
        number = 0
        with self.sheet._get_source() as source:
            for _, row in etree.iterparse(source, events=("end",), tag=ns + "row"):
                reference = row.get("r")
                number = int(float(reference)) if reference else number + 1
                if number > last:
                    return
                values: list[Any] = [None] * width
                column = 0
                for cell in row.iter(ns + "c"):
                    reference = cell.get("r")
                    column = column_index(reference) if reference else column + 1
                    if column > width:
                        continue
                    kind = cell.get("t", "n")
                    if kind == "inlineStr":
                        inline = cell.find(ns + "is")
                        if inline is not None:
                            values[column - 1] = "".join([inline.findtext(ns + "t") or "", *(
                                (run.findtext(ns + "t") or "") for run in inline.findall(ns + "r"))])
                        continue
                    raw = cell.findtext(ns + "v") or ""
                    if raw:
                        values[column - 1] = self._value(kind, raw, cell.get("s"))
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]
                yield number, values
