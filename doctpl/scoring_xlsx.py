"""A unit's self-score as a spreadsheet: generated from the khối's bảng điểm, filled by the unit, read back.

The sheet lists every criterion (code, text, kind of points, maximum, grades or caps) and leaves two cells
to fill on each scored criterion's row: the tự chấm score and a note; every other cell is locked (without a
password: protection against slips). Reading it back takes each filled cell as the form would, then checks
the unit's scores as the kind does, and names the row and the column of every problem: a formula, a text or
a date that is not a score, a negative number, too many decimals, a score above its maximum or not one of
the grades, deductions past their cap, a row whose criterion is no longer the table's.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from doctpl import limits, score_check
from doctpl.errors import BadInput, FieldError, ValidationError
from doctpl.fields import Number, Text
from doctpl.kind import get_kind
from doctpl.score_tree import GRADES, KINDS, TRU, Node, Table, find_unit, grade_of, short, table
from doctpl.scoring import score_text
from doctpl.xlsx import safe_cell

SHEET = "Tự chấm"
HEADINGS = ("Mã", "Tiêu chí", "Loại điểm", "Điểm tối đa", "Cách chấm, giới hạn", "Điểm tự chấm", "Ghi chú")
SCORE, NOTE = "F", "G"
HEADER_ROW = 5
UNIT_CELL = "B2"
EXTRA_ROWS = 50  # rows read past the criteria, in case some were added
FILL = PatternFill("solid", fgColor="FFF2CC")
SCORE_FIELD = Number("tu_cham", "Điểm tự chấm", minimum=Decimal(0), maximum=Decimal(1000))  # as the form's
NOTE_FIELD = Text("tu_cham_ghi_chu", "Ghi chú tự chấm", required=False, max_len=500)


@dataclass(frozen=True)
class Imported:
    """The record with the unit's tự chấm scores replaced, and the warnings they raise."""

    data: dict[str, Any]
    unit: int
    warnings: list[FieldError]


def _criteria(raw: Mapping[str, Any]) -> tuple[dict[str, Any], Table]:
    """Return the record converted and its criteria; refuse it when the criteria themselves are wrong."""
    data, errors = get_kind("bang_diem").draft(raw)
    wrong = [error for error in errors if not error.field.startswith("don_vi.")]
    if wrong:
        raise ValidationError(wrong)
    return data, table(data)


def _rule(node: Node) -> str:
    if node.grades:
        scale = "; ".join(f"{grade}: {score_text(worth)}" for grade, worth in node.grades.items())
        return f"Xếp loại {scale} (nhập chữ A, B, C, D hoặc số điểm)"
    caps = [f"tổng điểm {words} của các tiêu chí con không quá {score_text(cap)}"
            for words, cap in (("thưởng", node.thuong_cap), ("trừ", node.tru_cap)) if cap is not None]
    if node.loai == TRU:
        caps.insert(0, "nhập số điểm bị trừ (số dương)")
    text = "; ".join(caps)
    return text[:1].upper() + text[1:]


def template(raw: Mapping[str, Any], unit: int | str) -> bytes:
    """Return the .xlsx a unit fills with its tự chấm scores (the scores it has already are filled in)."""
    data, tree = _criteria(raw)
    index = find_unit(data, unit)
    chosen = data["don_vi"][index]
    rows = list(chosen["diem"])
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    for cell, text in (("A1", f"BẢNG TỰ CHẤM ĐIỂM THI ĐUA NĂM {data['nam']}"), ("A2", "Đơn vị:"),
                       (UNIT_CELL, chosen["ten"]), ("A3", "Khối, cụm:"), ("B3", data["co_quan"]["ten"]),
                       ("A4", "Chỉ nhập vào các ô tô màu ở cột «Điểm tự chấm» và «Ghi chú»; không dùng công thức.")):
        sheet[cell] = safe_cell(text)
    sheet["A1"].font = Font(bold=True, size=13)
    for column, heading in enumerate(HEADINGS, 1):
        sheet.cell(HEADER_ROW, column, heading).font = Font(bold=True)
    line = HEADER_ROW
    for node in tree.walk():
        line += 1
        score = rows[node.leaf].get("tu_cham") if 0 <= node.leaf < len(rows) else None
        values = (node.code, node.text, KINDS[node.loai], _number(node.maximum), _rule(node) or None)
        for column, value in enumerate(values, 1):
            sheet.cell(line, column, safe_cell(value)).alignment = Alignment(wrap_text=True, vertical="top")
        if node.children:
            for cell in sheet[line]:
                cell.font = Font(bold=True)
            continue
        note = rows[node.leaf].get("tu_cham_ghi_chu", "") if node.leaf < len(rows) else ""
        shown = (grade_of(node, score) or _number(score)) if score is not None else None
        for column, value in ((SCORE, shown), (NOTE, safe_cell(note) or None)):
            cell = sheet[f"{column}{line}"]
            cell.value = value
            cell.fill, cell.protection = FILL, Protection(locked=False)
        sheet.add_data_validation(_validation(node, f"{SCORE}{line}"))
    for words, cap in (("thưởng", tree.thuong_cap), ("trừ", tree.tru_cap)):
        if cap is not None:
            line += 1
            sheet.cell(line, 2, f"Tổng điểm {words} của cả bảng không quá {score_text(cap)} điểm.")
    for column, width in zip("ABCDEFG", (8, 60, 14, 12, 36, 14, 36), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.protection.sheet = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _validation(node: Node, cell: str) -> DataValidation:
    """Return what Excel itself allows in a score cell: a grade letter, or a number from 0 to the maximum."""
    if node.grades:
        rule = DataValidation(type="list", formula1=f'"{",".join(GRADES)}"', allow_blank=True)
    else:
        rule = DataValidation(type="decimal", operator="between", formula1="0", formula2=str(node.maximum),
                              allow_blank=True)
    rule.error = f"Tiêu chí {node.code}: nhập điểm từ 0 đến {score_text(node.maximum)}" + (
        " hoặc xếp loại A, B, C, D." if node.grades else ".")
    rule.add(cell)
    return rule


def _score(node: Node, value: Any, where: str, errors: list[FieldError]) -> Decimal | None:
    """Return the score a cell holds, or None; append what makes it no score."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and value.strip().upper() in GRADES:
        if not node.grades:
            errors.append(FieldError(where, f"{node.label} chấm bằng điểm, không xếp loại: nhập số điểm."))
            return None
        return node.grades[value.strip().upper()]
    if isinstance(value, (bool, dt.date, dt.time)):
        errors.append(FieldError(where, f"{node.label}: ô không phải số điểm; nhập số như 9,5."))
        return None
    found: list[FieldError] = []
    score = SCORE_FIELD.convert(str(value).strip(), where, found)
    if found:
        errors.append(FieldError(where, f"{node.label}: «{str(value).strip()[:40]}» — {found[0].message}"))
    return score


def _open(content: bytes, filename: str) -> Any:
    limits.open_zip(content, filename, ".xlsx").close()
    try:
        book = load_workbook(io.BytesIO(content), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged file
        raise BadInput(f"Không đọc được tệp {filename}: tệp hỏng hoặc không phải .xlsx.") from exc
    if SHEET not in book.sheetnames:
        raise BadInput(f"Tệp {filename} không có trang «{SHEET}»: hãy dùng mẫu tự chấm doctpl tạo cho đơn vị.")
    return book[SHEET]


def read(raw: Mapping[str, Any], content: bytes, filename: str = "tu-cham.xlsx",
         unit: int | str | None = None) -> Imported:
    """Return the record with the tự chấm scores of a filled sheet; raise ValidationError naming rows and columns.

    The unit is the one the sheet names (cell B2) unless `unit` is given; they must agree.
    """
    data, tree = _criteria(raw)
    sheet = _open(content, filename)
    named = str(sheet[UNIT_CELL].value or "").strip()
    index = find_unit(data, unit if unit is not None else named)
    if named and index != find_unit(data, named):
        raise BadInput(f"Tệp {filename} là bảng tự chấm của «{named}», không phải của "
                       f"«{data['don_vi'][index]['ten']}».")
    by_code = {node.code: node for node in tree.walk()}
    errors: list[FieldError] = []
    scores: dict[int, tuple[Decimal | None, str]] = {}
    lines: dict[str, int] = {}
    last = HEADER_ROW + len(by_code) + EXTRA_ROWS
    for cells in sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=last, max_col=len(HEADINGS)):
        line = cells[0].row
        code = str(cells[0].value or "").strip()
        node = by_code.get(code)
        filled = cells[5].value, cells[6].value
        for cell in cells[5:]:
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                errors.append(FieldError(f"dòng {line}, cột {cell.column_letter}", (
                    f"ô có công thức «{str(cell.value)[:40]}»; hãy nhập giá trị, không dùng công thức.")))
        if node is None:
            if code and any(value not in (None, "") for value in filled):
                errors.append(FieldError(f"dòng {line}, cột A",
                                         f"mã tiêu chí «{code[:20]}» không có trong bảng tiêu chí."))
            continue
        lines[code] = line
        if str(cells[1].value or "") not in (node.text, safe_cell(node.text)):
            errors.append(FieldError(f"dòng {line}, cột B", (
                f"tiêu chí {code} trong tệp là «{short(str(cells[1].value or ''))}», bảng tiêu chí hiện là "
                f"«{short(node.text)}»: hãy tải lại mẫu tự chấm.")))
        if node.children or any(error.field.startswith(f"dòng {line},") for error in errors):
            continue
        score = _score(node, filled[0], f"dòng {line}, cột {SCORE}", errors)
        scores[node.leaf] = score, NOTE_FIELD.convert(filled[1], f"dòng {line}, cột {NOTE}", errors)
    missing = [node.code for node in tree.leaves if node.code not in lines]
    if missing:
        errors.append(FieldError("", f"Tệp {filename} thiếu dòng của tiêu chí {', '.join(missing)}: "
                                     "hãy tải lại mẫu tự chấm."))
    if errors:
        raise ValidationError(errors)
    out = _merged(raw, index, scores, len(tree.leaves))
    chosen = {"ten": data["don_vi"][index]["ten"],
              "diem": [{"tu_cham": scores.get(leaf, (None, ""))[0]} for leaf in range(len(tree.leaves))]}
    return Imported(out, index, _located(tree, chosen, lines))


def _located(tree: Table, unit: Mapping[str, Any], lines: Mapping[str, int]) -> list[FieldError]:
    """Check the unit's tự chấm as the kind does; raise the errors, return the warnings, each on its row."""
    errors, warnings = [], []
    for problem in score_check.unit_problems(tree, unit, "tu_cham"):
        code = tree.leaves[problem.leaf].code if problem.leaf >= 0 else problem.code
        where = f"dòng {lines[code]}, cột {SCORE}" if code in lines else "tổng điểm"
        (errors if problem.error else warnings).append(FieldError(where, problem.message))
    if errors:
        raise ValidationError(errors)
    return warnings


def _number(value: Decimal) -> int | float:
    """Return a score as JSON writes it: 10, 9.5."""
    return int(value) if value == value.to_integral_value() else float(value)


def _merged(raw: Mapping[str, Any], index: int, scores: Mapping[int, tuple[Decimal | None, str]],
            count: int) -> dict[str, Any]:
    """Return a copy of the record whose unit has the sheet's tự chấm scores and notes, other stages untouched."""
    out = copy.deepcopy(dict(raw))
    unit = out["don_vi"][index]
    rows = list(unit.get("diem") or [])
    rows += [{} for _ in range(count - len(rows))]
    for leaf, (score, note) in scores.items():
        row = {key: value for key, value in rows[leaf].items() if key not in ("tu_cham", "tu_cham_ghi_chu")}
        if score is not None:
            row["tu_cham"] = _number(score)
        if note:
            row["tu_cham_ghi_chu"] = note
        rows[leaf] = row
    unit["diem"] = rows
    return out

