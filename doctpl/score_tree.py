"""The khối's scoring table as a tree: tiêu chuẩn › mục › phần, with points, bonus and deduction caps, grades.

Pure arithmetic on validated data (forms/bang_diem.py). The criteria become nodes with codes computed
from their place («1», «1.1», «1.1.a»); each scored criterion (a node without children) owns one score
row per unit, by position; every node sums its children with its caps applied. What breaks a rule is
reported by doctpl/score_check.py, the layout is doctpl/parts/score_table.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from doctpl import compose, markup
from doctpl.errors import BadInput
from doctpl.fields import join
from doctpl.scoring import places, score_text
from doctpl.vn.numbering import letter
from doctpl.vn.text import fold

# The stages of a unit's score, in order: (data key, words in a message, column heading).
STAGES = (("tu_cham", "tự chấm", "Tự chấm"), ("tham_dinh", "khối thẩm định", "Khối thẩm định"),
          ("hoi_dong", "Hội đồng chấm", "Hội đồng"))
STAGE_KEYS = tuple(key for key, _, _ in STAGES)
STAGE_WORDS = {key: words for key, words, _ in STAGES}
CHUAN, THUONG, TRU = "chuan", "thuong", "tru"
KINDS = {CHUAN: "Điểm chuẩn", THUONG: "Điểm thưởng", TRU: "Điểm trừ"}
GRADES = ("A", "B", "C", "D")
CHILDREN = ("tieu_chuan", "muc", "phan")  # the list of each level: the table's tiêu chuẩn, their mục, then phần
ZERO = Decimal(0)


def short(text: str, most: int = 60) -> str:
    """Return the start of a criterion's text for a message."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[:most - 1].rstrip() + "…"


@dataclass(frozen=True)
class Node:
    """One criterion: its code, text, kind of points, maximum, grades (if graded), caps and children."""

    code: str
    text: str
    loai: str
    maximum: Decimal  # the most points of its kind; a graded criterion: the points of grade A
    grades: Mapping[str, Decimal]  # A, B, C, D → points; empty unless graded
    thuong_cap: Decimal | None  # the most bonus its descendants may add (None: their own maxima)
    tru_cap: Decimal | None  # the most its descendants may deduct
    path: str  # where the data declares it: "tieu_chuan.0.muc.1"
    leaf: int  # its score row among the table's scored criteria; -1 when it has children
    children: tuple[Node, ...] = ()

    @property
    def label(self) -> str:
        """Return the criterion as messages name it: Tiêu chí 1.2 “Tham mưu …”."""
        return f"Tiêu chí {self.code} “{short(self.text)}”"

    def walk(self) -> Iterator[Node]:
        """Yield this node and its descendants, parents first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Table:
    """The criteria of a khối's year: the tiêu chuẩn and the caps over the whole table."""

    nodes: tuple[Node, ...]
    thuong_cap: Decimal | None
    tru_cap: Decimal | None
    leaves: tuple[Node, ...] = field(default=())

    def walk(self) -> Iterator[Node]:
        """Yield every node, parents first."""
        for node in self.nodes:
            yield from node.walk()

    @property
    def maximum(self) -> Decimal:
        """Return the table's standard points (100 for a 100-point table)."""
        return sum((node.maximum for node in self.nodes if node.loai == CHUAN), ZERO)


def _node(raw: Mapping[str, Any], code: str, path: str, depth: int, leaves: list[Node]) -> Node:
    graded = raw.get("loai", CHUAN) == CHUAN and raw.get("cach_cham") == "xep_loai"
    grades = {grade: raw.get(f"diem_{grade.lower()}") or ZERO for grade in GRADES} if graded else {}
    kids = raw.get(CHILDREN[depth + 1], []) if depth + 1 < len(CHILDREN) else []
    children = tuple(_node(kid, f"{code}.{index}" if depth == 0 else f"{code}.{letter(index)}",
                           join(join(path, CHILDREN[depth + 1]), index - 1), depth + 1, leaves)
                     for index, kid in enumerate(kids, 1))
    maximum = grades["A"] if graded else raw.get("diem_toi_da") or ZERO
    node = Node(code, raw.get("noi_dung", ""), raw.get("loai") or CHUAN, maximum, grades,
                raw.get("thuong_toi_da"), raw.get("tru_toi_da"), path, -1 if children else len(leaves), children)
    if not children:
        leaves.append(node)
    return node


def table(data: Mapping[str, Any]) -> Table:
    """Return the criteria tree of validated data (codes 1, 1.1, 1.1.a, in the order typed)."""
    leaves: list[Node] = []
    nodes = tuple(_node(raw, str(index), join(CHILDREN[0], index - 1), 0, leaves)
                  for index, raw in enumerate(data.get(CHILDREN[0], []), 1))
    return Table(nodes, data.get("thuong_toi_da"), data.get("tru_toi_da"), tuple(leaves))


class Points(NamedTuple):
    """Points of one node at one stage: standard, bonus (caps applied) and deduction."""

    chuan: Decimal = ZERO
    thuong: Decimal = ZERO
    tru: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        """Return standard plus bonus minus deduction."""
        return self.chuan + self.thuong - self.tru


@dataclass(frozen=True)
class Excess:
    """A sum past its cap: the node (None for the whole table), the kind of points, the sum and the cap."""

    node: Node | None
    loai: str
    found: Decimal
    cap: Decimal


def _capped(total: Decimal, cap: Decimal | None, node: Node | None, loai: str, excess: list[Excess]) -> Decimal:
    if cap is not None and total > cap:
        excess.append(Excess(node, loai, total, cap))
        return cap if loai != TRU else total  # a bonus is counted up to its cap; a deduction past it is an error
    return total


def points(node: Node, values: Sequence[Decimal | None], excess: list[Excess],
           seen: dict[str, Points] | None = None) -> Points:
    """Return a node's points from the leaves' `values`, appending every sum found past its cap to `excess`.

    With `seen`, the points of every criterion with children on the way are recorded there by code: a table's
    subtotals in one pass.
    """
    if not node.children:
        return _points(_leaf(node, values))
    chuan, thuong, tru = _summed(node.children, values, excess, seen)
    if node.loai == THUONG:
        found = _points((ZERO, _capped(thuong, node.maximum, node, THUONG, excess), ZERO))
    elif node.loai == TRU:
        found = _points((ZERO, ZERO, _capped(tru, node.maximum, node, TRU, excess)))
    else:  # children may offer more standard points than the tiêu chuẩn's maximum
        found = _points((min(chuan, node.maximum), _capped(thuong, node.thuong_cap, node, THUONG, excess),
                         _capped(tru, node.tru_cap, node, TRU, excess)))
    if seen is not None:
        seen[node.code] = found
    return found


def _points(kinds: tuple[Decimal, Decimal, Decimal]) -> Points:
    return tuple.__new__(Points, kinds)  # as Points(*kinds), without NamedTuple's keyword handling


def _leaf(node: Node, values: Sequence[Decimal | None]) -> tuple[Decimal, Decimal, Decimal]:
    value = (values[node.leaf] if node.leaf < len(values) else None) or ZERO
    return (value, ZERO, ZERO) if node.loai == CHUAN else (ZERO, value, ZERO) if node.loai == THUONG else \
        (ZERO, ZERO, value)


def _summed(nodes: Sequence[Node], values: Sequence[Decimal | None], excess: list[Excess],
            seen: dict[str, Points] | None) -> tuple[Decimal, Decimal, Decimal]:
    chuan = thuong = tru = ZERO
    for node in nodes:
        found = points(node, values, excess, seen) if node.children else _leaf(node, values)
        chuan, thuong, tru = chuan + found[0], thuong + found[1], tru + found[2]
    return chuan, thuong, tru


def total(tree: Table, values: Sequence[Decimal | None], excess: list[Excess] | None = None,
          seen: dict[str, Points] | None = None) -> Points:
    """Return the table's points from the leaves' `values`, the table's own caps applied last (`seen`: as points)."""
    excess = [] if excess is None else excess
    chuan, thuong, tru = _summed(tree.nodes, values, excess, seen)
    return _points((chuan, _capped(thuong, tree.thuong_cap, None, THUONG, excess),
                    _capped(tru, tree.tru_cap, None, TRU, excess)))


def values(unit: Mapping[str, Any], stage: str, count: int) -> list[Decimal | None]:
    """Return a unit's scores at one stage, one per scored criterion (None where none is given)."""
    rows = list(unit.get("diem") or [])[:count]
    return [row.get(stage) for row in rows] + [None] * (count - len(rows))


def started(unit: Mapping[str, Any], stage: str) -> bool:
    """Tell whether a unit has any score at `stage`."""
    return any(row.get(stage) is not None for row in unit.get("diem") or [])


def grade_of(node: Node, value: Decimal) -> str:
    """Return the grade whose points `value` is («B»), or "" when none or the criterion is not graded."""
    return next((grade for grade, worth in node.grades.items() if worth == value), "")


def find_unit(data: Mapping[str, Any], unit: int | str) -> int:
    """Return the index of a unit given by index or name; raise BadInput naming the units there are."""
    units = data.get("don_vi") or []
    if isinstance(unit, int) and 0 <= unit < len(units):
        return unit
    wanted = fold(str(unit)).casefold()
    for index, item in enumerate(units):
        if fold(item.get("ten", "")).casefold() == wanted:
            return index
    names = "; ".join(item.get("ten", "") for item in units) or "chưa có đơn vị nào"
    raise BadInput(f"Không có đơn vị «{unit}» trong bảng điểm; các đơn vị: {names}.")


@dataclass(frozen=True)
class Standing:
    """One unit's line of the khối's summary: its totals per stage (None: not started) and its rank."""

    index: int
    ten: str
    totals: Mapping[str, Decimal | None]
    hang: int | None


Scored = dict[str, tuple[Points, dict[str, Points]]]  # stage → (the table's total, every node's points by code)


def unit_points(tree: Table, unit: Mapping[str, Any]) -> Scored:
    """Return, for every stage the unit has started, its table total and every node's points: one pass each."""
    out: Scored = {}
    for stage in STAGE_KEYS:
        if started(unit, stage):
            seen: dict[str, Points] = {}
            out[stage] = (total(tree, values(unit, stage, len(tree.leaves)), [], seen), seen)
    return out


def summary(data: Mapping[str, Any], tree: Table | None = None,
            scored: Sequence[Scored] | None = None) -> tuple[list[Standing], str]:
    """Return every unit's totals and rank, best first, and the stage the ranks are taken at ("" for none).

    The ranks use the latest stage every unit has reached (Hội đồng, else khối thẩm định, else tự chấm);
    equal totals share a rank (1, 2, 2, 4). `tree` and `scored` (unit_points of every unit) when computed already.
    """
    units = data.get("don_vi") or []
    if scored is None:
        tree = tree or table(data)
        scored = [unit_points(tree, unit) for unit in units]
    totals = [{stage: found[stage][0].total if stage in found else None for stage in STAGE_KEYS} for found in scored]
    basis = next((stage for stage in reversed(STAGE_KEYS) if units and all(t[stage] is not None for t in totals)), "")
    ranks: list[int | None] = list(places([t[basis] for t in totals])) if basis else [None] * len(units)
    rows = [Standing(index, unit.get("ten", ""), totals[index], ranks[index]) for index, unit in enumerate(units)]
    return sorted(rows, key=lambda row: row.hang or 0), basis


def cite(data: Mapping[str, Any], unit: int | str) -> str:
    """Return a unit's score in words for its report: «tự chấm 96,5/100 điểm; khối thẩm định 95/100 điểm»."""
    index = find_unit(data, unit)
    tree = table(data)
    chosen = data["don_vi"][index]
    parts = [f"{STAGE_WORDS[stage]} {score_text(total(tree, values(chosen, stage, len(tree.leaves))).total)}/"
             f"{score_text(tree.maximum)} điểm" for stage in STAGE_KEYS if started(chosen, stage)]
    return "; ".join(parts)


def skeleton(giao_uoc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the tiêu chuẩn a validated giao ước's chỉ tiêu suggest: one each, its text, its points to fill."""
    values = compose.token_values(giao_uoc)
    return [{"noi_dung": markup.expand(text, values, giao_uoc["nam"]), "loai": CHUAN, "diem_toi_da": ""}
            for text in giao_uoc.get("chi_tieu") or []]
