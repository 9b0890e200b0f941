"""What the scoring table refuses and what it warns about, each message naming the criterion.

Refused (field errors): criteria that do not add up (a mục worth more than its tiêu chuẩn, grades out of
order), a score above its criterion's maximum or not one of its grades, deductions past their cap.
Warned (the document still renders): bonuses past their cap, counted up to it; criteria left unscored at
a stage the unit has started. The same problems serve the form (data paths) and the .xlsx (rows).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from doctpl.errors import FieldError
from doctpl.fields import join
from doctpl.score_tree import (
    CHUAN,
    GRADES,
    KINDS,
    STAGE_KEYS,
    STAGE_WORDS,
    THUONG,
    TRU,
    Excess,
    Node,
    Table,
    started,
    table,
    total,
    values,
)
from doctpl.scoring import score_text

TOO_HIGH = {CHUAN: "điểm {stage} {value} vượt điểm tối đa {maximum}",
            THUONG: "điểm thưởng {stage} {value} vượt mức thưởng tối đa {maximum}",
            TRU: "điểm trừ {stage} {value} vượt mức trừ tối đa {maximum}"}


@dataclass(frozen=True)
class Problem:
    """A problem of one unit's scores at one stage: the scored criterion it concerns (-1: a sum), and for a sum
    the code of the criterion it is taken over ("" for the whole table or the unit)."""

    leaf: int
    message: str
    error: bool = True
    code: str = ""


def _grades(node: Node) -> str:
    return ", ".join(f"{grade}: {score_text(worth)}" for grade, worth in node.grades.items())


def criteria_errors(tree: Table) -> list[FieldError]:
    """Return what makes the criteria inconsistent, on the field to correct."""
    errors = []
    for node in tree.walk():
        if node.grades and node.children:
            errors.append(FieldError(join(node.path, "cach_cham"), f"{node.label}: chỉ tiêu chí không có tiêu chí "
                                                                  "con mới xếp loại A, B, C, D."))
        worths = list(node.grades.values())
        for grade, higher, lower in zip(GRADES[1:], worths, worths[1:], strict=False):
            if lower > higher:
                errors.append(FieldError(join(node.path, f"diem_{grade.lower()}"), (
                    f"{node.label}: điểm loại {grade} ({score_text(lower)}) lớn hơn điểm loại trên nó "
                    f"({score_text(higher)}).")))
        for cap, value in (("thuong_toi_da", node.thuong_cap), ("tru_toi_da", node.tru_cap)):
            if not node.children and value is not None:
                errors.append(FieldError(join(node.path, cap), f"{node.label}: mức tối đa này chỉ dùng cho tiêu chí "
                                                              "có tiêu chí con."))
        errors += _children_errors(node)
    return errors


def _children_errors(node: Node) -> list[FieldError]:
    errors = []
    for child in node.children:
        if node.loai != CHUAN and child.loai != node.loai:
            errors.append(FieldError(join(child.path, "loai"), (
                f"{child.label} thuộc «{KINDS[node.loai].lower()}» của tiêu chí {node.code} nên cũng phải là "
                f"{KINDS[node.loai].lower()}.")))
        elif node.loai == CHUAN and child.loai == CHUAN and child.maximum > node.maximum:
            errors.append(FieldError(join(child.path, "diem_toi_da"), (
                f"{child.label}: điểm tối đa {score_text(child.maximum)} vượt điểm tối đa "
                f"{score_text(node.maximum)} của tiêu chí {node.code}.")))
    offered = sum((child.maximum for child in node.children if child.loai == CHUAN), Decimal(0))
    if node.loai == CHUAN and node.children and offered < node.maximum:
        errors.append(FieldError(join(node.path, "diem_toi_da"), (
            f"{node.label}: điểm tối đa {score_text(node.maximum)} nhưng các tiêu chí con cộng lại chỉ được "
            f"{score_text(offered)} điểm chuẩn.")))
    return errors


def _excess(item: Excess, stage: str) -> Problem:
    label = item.node.label if item.node else "Bảng điểm"
    words = "điểm thưởng" if item.loai == THUONG else "điểm trừ"
    message = (f"{label}: tổng {words} {STAGE_WORDS[stage]} {score_text(item.found)} vượt mức tối đa "
               f"{score_text(item.cap)}")
    code = item.node.code if item.node else ""
    if item.loai == THUONG:
        return Problem(-1, f"{message}; chỉ tính {score_text(item.cap)} điểm.", error=False, code=code)
    return Problem(-1, f"{message}.", code=code)


def unit_problems(tree: Table, unit: Mapping[str, Any], stage: str) -> list[Problem]:
    """Return the problems of one unit's scores at one stage."""
    out = []
    scores = values(unit, stage, len(tree.leaves))
    for node, value in zip(tree.leaves, scores, strict=True):
        if value is None:
            continue
        if node.grades and value not in node.grades.values():
            out.append(Problem(node.leaf, f"{node.label} xếp loại A, B, C, D: điểm {STAGE_WORDS[stage]} "
                                          f"{score_text(value)} không ứng với loại nào ({_grades(node)})."))
        elif value > node.maximum:
            out.append(Problem(node.leaf, node.label + ": " + TOO_HIGH[node.loai].format(
                stage=STAGE_WORDS[stage], value=score_text(value), maximum=score_text(node.maximum)) + "."))
    excess: list[Excess] = []
    total(tree, scores, excess)
    out += [_excess(item, stage) for item in excess]
    if started(unit, stage):
        missing = [node.code for node, value in zip(tree.leaves, scores, strict=True)
                   if value is None and node.loai == CHUAN]
        if missing:
            out.append(Problem(-1, f"Đơn vị «{unit.get('ten', '')}» chưa có điểm {STAGE_WORDS[stage]} của tiêu chí "
                                   f"{', '.join(missing)}; tổng điểm tính như 0 điểm.", error=False))
    return out


def _unit_findings(data: Mapping[str, Any], tree: Table, *, errors: bool) -> list[FieldError]:
    out = []
    for index, unit in enumerate(data.get("don_vi") or []):
        path = join(join("don_vi", index), "diem")
        rows = len(unit.get("diem") or [])
        if errors and rows > len(tree.leaves):
            out.append(FieldError(path, f"Đơn vị «{unit.get('ten', '')}» có {rows} dòng điểm, bảng tiêu chí chỉ có "
                                        f"{len(tree.leaves)} tiêu chí được chấm."))
        for stage in STAGE_KEYS:
            for problem in unit_problems(tree, unit, stage):
                if problem.error == errors:
                    where = join(join(path, problem.leaf), stage) if problem.leaf >= 0 else path
                    out.append(FieldError(where, problem.message))
    return out


def check(data: dict[str, Any]) -> list[FieldError]:
    """Return every error of the criteria and of the units' scores (the kind's check)."""
    tree = table(data)
    return criteria_errors(tree) + _unit_findings(data, tree, errors=True)


def warnings(data: dict[str, Any]) -> list[FieldError]:
    """Return the warnings: bonuses counted up to their cap, criteria left unscored."""
    return _unit_findings(data, table(data), errors=False)
