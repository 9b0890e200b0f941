"""The bảng chấm điểm's tables: one unit's criteria and scores, and the khối's summary with the ranks.

Layout only; the points come from doctpl/score_tree.py. A unit's table has a row per criterion (a criterion
with children in bold, carrying its subtotal), then the sums of standard, bonus and deduction points and the
total; the maxima stand in the column of their kind (Chuẩn, Thưởng, Trừ), deductions are printed with a
minus. The summary lists every unit with its totals per stage and its rank. Both repeat their header row on
every page, never split a row across pages, and align numbers right.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from doctpl import layout
from doctpl.build import base
from doctpl.parts import phu_luc
from doctpl.score_tree import (
    CHUAN,
    STAGES,
    THUONG,
    TRU,
    Node,
    Points,
    Scored,
    Table,
    find_unit,
    grade_of,
    summary,
    table,
    unit_points,
    values,
)
from doctpl.scoring import score_text
from doctpl.vn.text import upper

SIZE = base.TABLE_SIZE
# (heading, key, alignment) of a unit's table; widths per orientation of the page (twips, sum = text width).
UNIT_COLUMNS = (("TT", "ma", "center"), ("Tiêu chí", "noi_dung", "left"), ("Điểm chuẩn", CHUAN, "right"),
                ("Điểm thưởng", THUONG, "right"), ("Điểm trừ", TRU, "right"),
                *((heading, key, "right") for key, _, heading in STAGES), ("Ghi chú", "ghi_chu", "left"))
_FIXED = {"ngang": (900, 1050, 1050, 1050, 1150, 1300, 1150, 2000), "doc": (650, 800, 930, 720, 800, 820, 800, 900)}
SUMMARY_WIDTHS = (700, 1300, 1500, 1300, 1100)  # TT, the stages, Xếp hạng; Đơn vị takes the rest


def _widths(orientation: str) -> list[int]:
    fixed = _FIXED[orientation]
    return [fixed[0], phu_luc.text_area(orientation) - sum(fixed), *fixed[1:]]


def _signed(value: Decimal) -> str:
    if not value:
        return "0"  # never «-0»
    return f"-{score_text(-value)}" if value < 0 else score_text(value)


def _score(node: Node, value: Decimal | None) -> str:
    if value is None:
        return ""
    if node.loai == TRU:
        return _signed(-value)
    grade = grade_of(node, value)
    return f"{score_text(value)} ({grade})" if grade else score_text(value)


_NOTE_KEYS = tuple((heading, f"{key}_ghi_chu") for key, _, heading in STAGES)


def _notes(row: Mapping[str, Any]) -> str:
    given = [(heading, note) for heading, key in _NOTE_KEYS if (note := row.get(key))]
    if len(given) == 1:
        return given[0][1]
    return "; ".join(f"{heading}: {note}" for heading, note in given)


def _maxima(node: Node) -> dict[str, str]:
    if not node.children or node.loai != CHUAN:
        return {node.loai: score_text(node.maximum)}
    caps = {THUONG: node.thuong_cap, TRU: node.tru_cap}
    return {CHUAN: score_text(node.maximum), **{key: score_text(cap) for key, cap in caps.items() if cap is not None}}


def _row(ma: str, noi_dung: str, bold: bool, maxima: Mapping[str, str], scores: Mapping[str, str],
         ghi_chu: str = "") -> dict[str, Any]:
    get, score = maxima.get, scores.get
    return {"ma": ma, "noi_dung": noi_dung, "dam": bold, CHUAN: get(CHUAN, ""), THUONG: get(THUONG, ""),
            TRU: get(TRU, ""), "tu_cham": score("tu_cham", ""), "tham_dinh": score("tham_dinh", ""),
            "hoi_dong": score("hoi_dong", ""), "ghi_chu": ghi_chu}


def _text(node: Node) -> str:
    if not node.grades:
        return node.text
    scale = "; ".join(f"{grade}: {score_text(worth)}" for grade, worth in node.grades.items())
    return f"{node.text} (xếp loại {scale})"


def _totals(tree: Table, sums: Mapping[str, Points]) -> list[dict[str, Any]]:
    kinds = {node.loai for node in tree.walk()}
    caps = {THUONG: tree.thuong_cap, TRU: tree.tru_cap}
    out = []
    if kinds - {CHUAN}:
        out.append(_row("", "Cộng điểm chuẩn", True, {CHUAN: score_text(tree.maximum)},
                        {stage: score_text(found.chuan) for stage, found in sums.items()}))
        for loai, words, sign in ((THUONG, "Cộng điểm thưởng", 1), (TRU, "Cộng điểm trừ", -1)):
            if loai in kinds:
                cap = caps[loai]
                out.append(_row("", words, True, {loai: score_text(cap)} if cap is not None else {},
                                {stage: _signed(sign * getattr(found, loai)) for stage, found in sums.items()}))
    out.append(_row("", "TỔNG ĐIỂM", True, {CHUAN: score_text(tree.maximum)},
                    {stage: _signed(found.total) for stage, found in sums.items()}))
    return out


def lines(data: Mapping[str, Any], unit: int | str | None, tree: Table | None = None,
          known: list[tuple[Node, str, dict[str, str]]] | None = None,
          scored: Scored | None = None) -> list[dict[str, Any]]:
    """Return a unit's score lines, criterion by criterion, then its sums and total, as printed texts.

    Each line has `ma`, `noi_dung`, the maxima `chuan`, `thuong`, `tru`, the scores `tu_cham`, `tham_dinh`,
    `hoi_dong` (blank at a stage not started), `ghi_chu` and `dam` (a subtotal line). With `unit` None the
    score columns are blank: the criteria table to adopt or to fill. Another kind (a unit's tổng kết) can
    include these lines as they are. `tree`, `known` (its criteria()) and `scored` (the unit's unit_points)
    when the caller has them already: a document of many units works them out once.
    """
    tree = tree or table(data)
    chosen = data["don_vi"][find_unit(data, unit)] if unit is not None else {}
    scored = unit_points(tree, chosen) if scored is None else scored
    found = {stage: values(chosen, stage, len(tree.leaves)) for stage in scored}
    rows = list(chosen.get("diem") or [])
    out = []
    for node, text, maxima in (known if known is not None else criteria(tree)):
        if node.children:
            scores = {stage: _signed(seen[node.code].total) for stage, (_, seen) in scored.items()}
            out.append(_row(node.code, text, True, maxima, scores))
        else:
            scores = {stage: _score(node, given[node.leaf]) for stage, given in found.items()}
            note = _notes(rows[node.leaf]) if node.leaf < len(rows) else ""
            out.append(_row(node.code, text, False, maxima, scores, note))
    return out + _totals(tree, {stage: sums for stage, (sums, _) in scored.items()})


def criteria(tree: Table) -> list[tuple[Node, str, dict[str, str]]]:
    """Return every criterion with its printed text and maxima: the part of a unit's lines no score changes."""
    return [(node, _text(node), _maxima(node)) for node in tree.walk()]


def summary_rows(data: Mapping[str, Any], tree: Table | None = None,
                 scored: list[Scored] | None = None) -> tuple[list[dict[str, Any]], str]:
    """Return the khối's summary lines (every unit, its totals per stage, its rank) and the stage ranked on."""
    standings, basis = summary(data, tree, scored)
    rows = [{"stt": number, "ten": row.ten, "hang": row.hang or "",
             **{stage: "" if value is None else _signed(value) for stage, value in row.totals.items()}}
            for number, row in enumerate(standings, 1)]
    return rows, basis


def title(nam: int, unit: str) -> list[str]:
    """Return the title lines of a unit's table, or of the criteria table when `unit` is empty."""
    if not unit:
        return [f"BẢNG TIÊU CHÍ CHẤM ĐIỂM THI ĐUA NĂM {nam}"]
    return [f"BẢNG CHẤM ĐIỂM THI ĐUA NĂM {nam}", upper(unit)]


def build_unit(doc: Any, orientation: str, rows: str = "pl.dong") -> None:
    """Write a unit's table for the context list `rows`: the header, then a bold or a regular row per line."""
    tbl = base.table(doc, _widths(orientation), rows=8, borders=True)
    head, loop, test, bold, other, regular, end_test, end = tbl.rows
    head._tr.get_or_add_trPr().extend(base.elements("<w:tblHeader/>"))
    for cell, (heading, _, _) in zip(head.cells, UNIT_COLUMNS, strict=True):
        base.paragraph(cell, heading, size=SIZE, bold=True)
    for row, tag in ((loop, f"{{%tr for r in {rows} %}}"), (test, "{%tr if r.dam %}"), (other, "{%tr else %}"),
                     (end_test, "{%tr endif %}"), (end, "{%tr endfor %}")):
        base.paragraph(row.cells[0], tag)
    for row, strong in ((bold, True), (regular, False)):
        for cell, (_, key, align) in zip(row.cells, UNIT_COLUMNS, strict=True):
            base.paragraph(cell, f"{{{{ r.{key} }}}}", size=SIZE, bold=strong, align=align)
    _fill(tbl)


def build_summary(doc: Any, rows: str = "bd.tong_hop") -> None:
    """Write the khối's summary table: TT, Đơn vị, the three stages' totals, Xếp hạng."""
    rest = layout.TEXT_WIDTH - sum(SUMMARY_WIDTHS)
    stt, *stages, rank = SUMMARY_WIDTHS
    columns = [("TT", stt, "{{ r.stt }}", "center"), ("Đơn vị", rest, "{{ r.ten }}", "left"),
               *((heading, width, f"{{{{ r.{key} }}}}", "right") for (key, _, heading), width in zip(STAGES, stages,
                                                                                                     strict=True)),
               ("Xếp hạng", rank, "{{ r.hang }}", "center")]
    base.data_table(doc, rows, columns)


def _fill(tbl: Any) -> None:
    """Give every cell left empty a paragraph, as Word requires."""
    for row in tbl.rows:
        for cell in row.cells:
            if not cell.paragraphs:
                base.paragraph(cell)
