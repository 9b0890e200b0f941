"""Spreadsheets for batches: a blank template per kind, and reading rows back from .xlsx or .csv.

A column header is "Vietnamese label [dotted.path]" (the path alone also works): list items carry
their index (noi_nhan.cac_noi.0). A path with "*" (ca_nhan.*.ho_ten) takes one item per row, and
rows with the same value in the "_nhom" column then make one document, so a list of people can
be one row per person. Choice cells may hold the code or the Vietnamese label.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from doctpl import limits
from doctpl.errors import BadInput, DoctplError, FieldError
from doctpl.fields import Choice, Field, Repeat, unflatten, walk
from doctpl.kind import Kind
from doctpl.vn.numbers import group_digits
from doctpl.xlsx import safe_cell

GROUP = "_nhom"
SHEET, LISTS = "Dữ liệu", "Danh mục"
_HEADER = re.compile(r"\[([^\]]+)\]\s*$")
_INDEX = re.compile(r"\.\d+(?=\.|$)")
EXCEL_ROWS = 1_048_576  # the rows of an Excel sheet: a sheet that claims more is read no further


@dataclass
class Row:
    """One document's data from one or more spreadsheet rows."""

    numbers: list[int]
    raw: dict[str, Any]
    columns: dict[str, str] = field(default_factory=dict)  # path -> column letter, for messages


def schema_path(path: str) -> str:
    """Turn a data path (ca_nhan.2.ho_ten) into a declaration path (ca_nhan.*.ho_ten)."""
    return _INDEX.sub(".*", path)


def _fields(kind: Kind) -> dict[str, Field]:
    out = {}
    for path, f in walk(kind.fields):
        out[path] = f
        if isinstance(f, Repeat) and not hasattr(f.item, "fields"):
            out[f"{path}.*"] = f.item
    return out


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Turn nested data into {dotted.path: value} for scalars, list items indexed."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out |= flatten(value, f"{prefix}{key}.")
        return out
    if isinstance(data, list):
        out = {}
        for index, value in enumerate(data):
            out |= flatten(value, f"{prefix}{index}.")
        return out
    return {prefix[:-1]: data}


def blank(kind: Kind) -> bytes:
    """Return an .xlsx for a kind: Vietnamese headers with paths, the example as a sample row, and
    drop-down lists for choice fields."""
    declared = _fields(kind)
    sample = flatten(kind.example())
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    list_column = 0
    for column, (path, value) in enumerate(sample.items(), 1):
        declaration = declared.get(schema_path(path))
        label = declaration.label if declaration else path
        sheet.cell(1, column, f"{label} [{path}]")
        if isinstance(declaration, Choice):
            list_column += 1
            letter = get_column_letter(list_column)
            for index, choice_label in enumerate(declaration.choices.values(), 1):
                lists.cell(index, list_column, safe_cell(choice_label))
            rule = DataValidation(type="list", formula1=f"'{LISTS}'!${letter}$1:${letter}${len(declaration.choices)}",
                                  allow_blank=not declaration.required)
            rule.error = f"Chọn «{label}» trong danh sách."
            sheet.add_data_validation(rule)
            rule.add(f"{get_column_letter(column)}2:{get_column_letter(column)}1000")
            value = declaration.choices.get(value, value)
        sheet.cell(2, column, safe_cell(value))
        sheet.column_dimensions[get_column_letter(column)].width = min(max(len(label), 14), 40)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDECEA")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _width(header: Sequence[Any]) -> int:
    """Return how many columns the header names (its blank cells on the right do not count), within the limit."""
    width = len(header)
    while width and header[width - 1] in (None, ""):
        width -= 1
    if not width:
        raise BadInput("Bảng tính không có dữ liệu.")
    limits.check_columns(width)
    return width


def _data(rows: Iterable[Sequence[Any]], width: int) -> list[tuple[int, list[Any]]]:
    """Return (line number, cells) of each non-blank row under the header, stopping past MAX_BATCH_ROWS."""
    out = []
    for number, row in enumerate(rows, 2):
        values = list(row[:width])
        if not all(v in (None, "") for v in values):
            out.append((number, values))
            limits.check_rows(len(out))
    return out


def _csv(content: bytes, filename: str) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    """Read a .csv in UTF-8, with or without BOM; its delimiter (, ; or tab) is found from the first line."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"Tệp «{filename}» không phải văn bản mã hóa UTF-8: doctpl chỉ đọc tệp .csv mã hóa UTF-8 "
                       f"(có hoặc không có BOM). Trong Excel, chọn «Lưu thành» › «CSV UTF-8 (Comma delimited)», "
                       f"hoặc tải lên tệp .xlsx.") from exc
    try:
        dialect: Any = csv.Sniffer().sniff(next(iter(text[:100_000].splitlines()), ""), delimiters=",;\t")
    except csv.Error:  # one column, or an empty first line: plain commas
        dialect = csv.excel
    try:
        rows = csv.reader(io.StringIO(text), dialect)
        header = next(rows, [])
        width = _width(header)
        return header[:width], _data(rows, width)
    except csv.Error as exc:  # in practice a cell longer than the csv module's field limit
        raise BadInput(f"Không đọc được tệp «{filename}»: có ô dài hơn {group_digits(csv.field_size_limit())} ký tự "
                       f"hoặc tệp không phải .csv ({exc}).") from exc


def _xlsx(content: bytes, filename: str) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    """Read the data sheet of an .xlsx (or its first), after checking what the archive unpacks to."""
    limits.open_zip(content, filename, ".xlsx").close()
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
            sheet.reset_dimensions()  # the size a file declares may be false: read only the cells it has
            header = list(next(sheet.iter_rows(max_row=1, values_only=True), ()))
            width = _width(header)
            return header[:width], _data(sheet.iter_rows(min_row=2, max_row=EXCEL_ROWS, max_col=width,
                                                         values_only=True), width)
        finally:
            book.close()
    except DoctplError:
        raise
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged file
        raise BadInput(f"Không đọc được tệp {filename}: tệp hỏng hoặc không phải .xlsx.") from exc


def _cells(content: bytes, filename: str) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    """Return the header and the numbered non-blank rows of an uploaded .csv or .xlsx, within the limits."""
    limits.check_upload(len(content), filename)
    if filename.lower().endswith(".csv"):
        return _csv(content, filename)
    if not filename.lower().endswith(".xlsx"):
        raise BadInput("Tệp phải là bảng tính .xlsx hoặc .csv.")
    return _xlsx(content, filename)


def _value(declaration: Field | None, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(declaration, Choice) and isinstance(value, str):
        by_label = {label: code for code, label in declaration.choices.items()}
        return by_label.get(value.strip(), value)
    return "" if value is None else value


def read(kind: Kind, content: bytes, filename: str) -> list[Row]:
    """Return one Row per document; blank rows are skipped, the memory of reading given back."""
    header, lines = _cells(content, filename)
    limits.release_memory()
    headers = []
    for text in header:
        text = str(text or "").strip()
        match = _HEADER.search(text)
        headers.append(match.group(1).strip() if match else text)
    declared = _fields(kind)
    letters = {path: get_column_letter(i) for i, path in enumerate(headers, 1) if path}
    groups: dict[str, Row] = {}
    order: list[Row] = []
    for number, values in lines:
        flat = {path: _value(declared.get(schema_path(path.replace("*", "0"))), value)
                for path, value in zip(headers, values, strict=False) if path and path != GROUP}
        key = str(values[headers.index(GROUP)] or "") if GROUP in headers else ""
        row = groups.get(key) if key else None
        if row is None:
            row = Row([], {}, dict(letters))
            order.append(row)
            if key:
                groups[key] = row
        index = len(row.numbers)
        row.numbers.append(number)
        for path, value in flat.items():
            if "*" in path:
                row.raw[path.replace("*", str(index))] = value
                row.columns[path.replace("*", str(index))] = letters[path]
            elif index == 0:
                row.raw[path] = value
    for row in order:
        row.raw = unflatten(row.raw)
    return order


def locate(row: Row, error: FieldError) -> str:
    """Name the spreadsheet cell an error concerns: "dòng 5, cột C (co_quan.ten)"."""
    path = error.field
    while path and path not in row.columns:
        path = path.rpartition(".")[0]
    letter = row.columns.get(path, "")
    line = row.numbers[0]
    star = re.search(r"\.(\d+)\.", error.field)
    if star and len(row.numbers) > 1 and int(star.group(1)) < len(row.numbers):
        line = row.numbers[int(star.group(1))]
    place = f"dòng {line}" + (f", cột {letter}" if letter else "")
    return f"{place} ({error.field})" if error.field else place
