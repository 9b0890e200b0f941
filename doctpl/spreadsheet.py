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
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
from doctpl.xlsx import SheetReader, safe_cell

GROUP = "_nhom"
SHEET, LISTS = "Dữ liệu", "Danh mục"
_HEADER = re.compile(r"\[([^\]]+)\]\s*$")
_INDEX = re.compile(r"\.\d+(?=\.|$)")
EXCEL_ROWS = 1_048_576  # the rows of an Excel sheet: a sheet that claims more is read no further
EXCEL_COLUMNS = 16_384


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


def _blank(values: Sequence[Any]) -> bool:
    return all(v in (None, "") for v in values)


@contextmanager
def _csv_errors(filename: str) -> Iterator[None]:
    try:
        yield
    except csv.Error as exc:  # in practice a cell longer than the csv module's field limit
        raise BadInput(f"Không đọc được tệp «{filename}»: có ô dài hơn {group_digits(csv.field_size_limit())} ký tự "
                       f"hoặc tệp không phải .csv ({exc}).") from exc


@contextmanager
def _xlsx_errors(filename: str) -> Iterator[None]:
    try:
        yield
    except DoctplError:
        raise
    except Exception as exc:  # openpyxl and the XML of a damaged file raise many kinds of error
        raise BadInput(f"Không đọc được tệp {filename}: tệp hỏng hoặc không phải .xlsx.") from exc


class _Csv:
    """A .csv in UTF-8, with or without BOM; its delimiter (, ; or tab) is found from the first line."""

    def __init__(self, content: bytes, filename: str):
        self.filename = filename
        try:
            self.text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadInput(f"Tệp «{filename}» không phải văn bản mã hóa UTF-8: doctpl chỉ đọc tệp .csv mã hóa UTF-8 "
                           f"(có hoặc không có BOM). Trong Excel, chọn «Lưu thành» › «CSV UTF-8 (Comma delimited)», "
                           f"hoặc tải lên tệp .xlsx.") from exc
        try:
            self.dialect: Any = csv.Sniffer().sniff(next(iter(self.text[:100_000].splitlines()), ""),
                                                    delimiters=",;\t")
        except csv.Error:  # one column, or an empty first line: plain commas
            self.dialect = csv.excel
        with _csv_errors(self.filename):
            header = next(csv.reader(io.StringIO(self.text), self.dialect), [])
        self.width = _width(header)
        self.header = header[:self.width]

    def lines(self) -> Iterator[tuple[int, list[Any]]]:
        """Yield (line number, cells) of each non-blank row under the header, as the text is read."""
        with _csv_errors(self.filename):
            rows = csv.reader(io.StringIO(self.text), self.dialect)
            next(rows, None)
            for number, row in enumerate(rows, 2):
                values = row[:self.width]
                if not _blank(values):
                    yield number, values

    def scan(self, key: int | None) -> Iterator[tuple[int, Any]]:
        """Yield (line number, the cell in column `key`) of each non-blank row under the header."""
        for number, values in self.lines():
            yield number, (values[key] if key is not None and key < len(values) else None)

    def close(self) -> None:
        """Nothing to release."""


class _Xlsx:
    """The data sheet of an .xlsx (or its first), after checking what the archive unpacks to.

    openpyxl opens the workbook in read-only mode (sheets, shared strings, styles); the sheet's rows are
    streamed by doctpl.xlsx.SheetReader, never held all at once.
    """

    def __init__(self, content: bytes, filename: str):
        limits.open_zip(content, filename, ".xlsx").close()
        self.filename = filename
        with _xlsx_errors(filename):
            self.book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                sheet = self.book[SHEET] if SHEET in self.book.sheetnames else self.book.worksheets[0]
                self.reader = SheetReader(sheet)
                rows = self.reader.rows(EXCEL_COLUMNS, 1)
                try:
                    first = next(rows, None)
                finally:
                    rows.close()
                header = first[1] if first and first[0] == 1 else []
                self.width = _width(header)
                self.header = header[:self.width]
            except BaseException:
                self.book.close()
                raise

    def lines(self) -> Iterator[tuple[int, list[Any]]]:
        """Yield (row number, cells) of each non-blank row under the header, up to Excel's last row."""
        with _xlsx_errors(self.filename):
            for number, values in self.reader.rows(self.width, EXCEL_ROWS):
                if number >= 2 and not _blank(values):
                    yield number, values

    def scan(self, key: int | None) -> Iterator[tuple[int, Any]]:
        """Yield (row number, the cell in column `key`) of each non-blank row under the header, reading each row only
        as far as it takes to tell."""
        with _xlsx_errors(self.filename):
            for number, value in self.reader.scan(self.width, EXCEL_ROWS, key):
                if number >= 2:
                    yield number, value

    def close(self) -> None:
        """Close the workbook."""
        self.book.close()


def _open(content: bytes, filename: str) -> _Csv | _Xlsx:
    """Open an uploaded .csv or .xlsx within the limits and read its header."""
    limits.check_upload(len(content), filename)
    if filename.lower().endswith(".csv"):
        return _Csv(content, filename)
    if not filename.lower().endswith(".xlsx"):
        raise BadInput("Tệp phải là bảng tính .xlsx hoặc .csv.")
    return _Xlsx(content, filename)


def _labels(declaration: Field | None) -> dict[str, str] | None:
    """Return a choice field's codes by label (a cell may hold either), None for any other field."""
    return {label: code for code, label in declaration.choices.items()} if isinstance(declaration, Choice) else None


Plan = Any  # a column's position, or ("list" | "dict", [(key, plan)])


def _plan(paths: list[str]) -> Plan | None:
    """Return how to build a row's data from its cells, the shape fields.unflatten gives (numeric segments make
    lists, in order), worked out once from the header; None when a path takes one item per line ("*") or
    the paths do not make one shape (a value and a group under one name)."""
    if any("*" in path for path in paths):
        return None
    root: dict[str, Any] = {}
    for position, path in enumerate(paths):
        node, parts = root, path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                return None
        if isinstance(node.get(parts[-1]), dict):
            return None
        node[parts[-1]] = position

    def compiled(node: Any) -> Plan:
        if isinstance(node, int):
            return node
        if node and all(key.isdigit() for key in node):
            return ("list", [(None, compiled(node[key])) for key in sorted(node, key=int)])
        return ("dict", [(key, compiled(value)) for key, value in node.items()])

    return compiled(root)


def _build(plan: Plan, values: list[Any]) -> Any:
    if type(plan) is int:
        return values[plan]
    shape, items = plan
    if shape == "list":
        return [_build(item, values) for _, item in items]
    return {key: _build(item, values) for key, item in items}


class Rows(Sequence[Row]):
    """The documents of a spreadsheet, one Row each, built as they are iterated: the file is read again on each
    pass, so memory does not grow with its rows.

    Opening it reads the file once to check it (its header, MAX_BATCH_ROWS) and to count its documents; with
    a "_nhom" column, that pass also finds each group's last line, so a group is given as soon as it is whole
    and the documents keep the order of their first line.
    """

    def __init__(self, kind: Kind, content: bytes, filename: str):
        self.kind, self.content, self.filename = kind, content, filename
        source = _open(content, filename)
        try:
            self.headers = []
            for text in source.header:
                text = str(text or "").strip()
                match = _HEADER.search(text)
                self.headers.append(match.group(1).strip() if match else text)
            group = self.headers.index(GROUP) if GROUP in self.headers else None
            self.last_line: dict[str, int] = {}
            lines = documents = 0
            for number, cell in source.scan(group):
                lines += 1
                limits.check_rows(lines)
                key = str(cell or "") if group is not None else ""
                if not key or key not in self.last_line:
                    documents += 1
                if key:
                    self.last_line[key] = number
            self.count = documents
        finally:
            source.close()
            limits.release_memory()

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: Any) -> Any:
        items = list(self) if isinstance(index, slice) or index < 0 else None
        if items is not None:
            return items[index]
        for position, row in enumerate(self):
            if position == index:
                return row
        raise IndexError(index)

    def __iter__(self) -> Iterator[Row]:
        declared = _fields(self.kind)
        letters = {path: get_column_letter(i) for i, path in enumerate(self.headers, 1) if path}
        columns = [(position, path, _labels(declared.get(schema_path(path.replace("*", "0")))))
                   for position, path in enumerate(self.headers) if path and path != GROUP]
        group = self.headers.index(GROUP) if GROUP in self.headers else None
        plan = _plan([path for _, path, _ in columns])  # one row, one document: its shape is the same every time
        positions = [position for position, _, _ in columns]
        choices = [(at, labels) for at, (_, _, labels) in enumerate(columns) if labels is not None]
        width = len(self.headers)
        groups: dict[str, Row] = {}
        waiting: deque[tuple[Row, int]] = deque()  # documents in the order of their first line, and their last line
        source = _open(self.content, self.filename)
        try:
            for number, values in source.lines():
                key = str(values[group] or "") if group is not None and group < len(values) else ""
                row = groups.get(key) if key else None
                if row is None:
                    row = Row([], {}, dict(letters))
                    waiting.append((row, self.last_line.get(key, number) if key else number))
                    if key:
                        groups[key] = row
                index = len(row.numbers)
                row.numbers.append(number)
                if plan is not None:  # one document's cells, converted in one pass, built into its shape
                    if index == 0:
                        padded = values if len(values) >= width else [*values, *[None] * (width - len(values))]
                        flat = ["" if v is None else v.date() if isinstance(v, dt.datetime) else v
                                for v in [padded[position] for position in positions]]
                        for at, labels in choices:
                            if isinstance(flat[at], str):
                                flat[at] = labels.get(flat[at].strip(), flat[at])
                        row.raw = _build(plan, flat)
                else:
                    for position, path, labels in columns:
                        value = values[position] if position < len(values) else None
                        if value is None:
                            value = ""
                        elif isinstance(value, dt.datetime):
                            value = value.date()
                        elif labels is not None and isinstance(value, str):
                            value = labels.get(value.strip(), value)
                        if "*" in path:
                            row.raw[path.replace("*", str(index))] = value
                            row.columns[path.replace("*", str(index))] = letters[path]
                        elif index == 0:
                            row.raw[path] = value
                while waiting and waiting[0][1] <= number:
                    done, _ = waiting.popleft()
                    if plan is None:
                        done.raw = unflatten(done.raw)
                    yield done
            while waiting:
                done, _ = waiting.popleft()
                if plan is None:
                    done.raw = unflatten(done.raw)
                yield done
        finally:
            source.close()


def read(kind: Kind, content: bytes, filename: str) -> Rows:
    """Return the documents of an uploaded .xlsx or .csv, one Row each (several lines with one «_nhom»).

    The file is checked and counted at once; its rows are read as the result is iterated, blank ones skipped.
    """
    return Rows(kind, content, filename)


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
