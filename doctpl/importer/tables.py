"""A Word table of the body as a `bang` block: header line, group headings over it, rows, the total row.

Merged header cells are read back the way doctpl types them (doctpl/parts/body_table.py): a cell spanning
columns over a second header row is a group heading, repeated over each of its columns; a cell merged down
both header rows is a heading without a group. A last row «Tổng cộng» whose figures are the sums of their
columns becomes `tong` (doctpl adds it up again); one that does not add up stays an ordinary row.
"""

from __future__ import annotations

from decimal import Decimal

from doctpl.importer.word import Cell, Table
from doctpl.parts import body_table
from doctpl.vn.text import fold

_BAR = "|"


def _cell_text(cell: Cell) -> str:
    return cell.text.replace(_BAR, "/")  # «|» separates cells in the typed table


def _grid(row: list[Cell]) -> list[Cell]:
    """Return a row with each cell repeated over the grid columns it spans."""
    return [cell for cell in row for _ in range(max(1, cell.span))]


def _header(rows: list[list[Cell]]) -> tuple[list[str], list[str], int]:
    """Return the column headings, the group headings ([] for none) and how many rows the header takes."""
    top = _grid(rows[0])
    grouped = any(cell.span > 1 for cell in rows[0]) or any(cell.merge == "restart" for cell in rows[0])
    if not grouped or len(rows) < 2:
        return [_cell_text(cell) for cell in top], [], 1
    bottom = _grid(rows[1])
    headings, groups = [], []
    for index, cell in enumerate(top):
        below = bottom[index] if index < len(bottom) else None
        if cell.span > 1 and below is not None:
            groups.append(_cell_text(cell))
            headings.append(_cell_text(below))
        else:  # merged down both rows: a heading without a group
            groups.append("")
            headings.append(_cell_text(cell))
    return headings, groups, 2


def _adds_up(headings: list[str], total: list[str], body: list[list[str]]) -> bool:
    """Tell whether the total row gives, for every column of figures doctpl would add up, the sum of that column."""
    summed = 0
    for index, heading in enumerate(headings):
        values = [row[index] for row in body if index < len(row) and row[index]]
        figures = [body_table.number(value) for value in values]
        # the STT column is never summed (doctpl/parts/body_table.py)
        if not values or not all(figures) or fold(heading).strip() in body_table._COUNTER_HEADINGS:
            continue
        typed = body_table.number(total[index]) if index < len(total) and total[index] else None
        if typed is None or typed[0] != sum((figure[0] for figure in figures if figure), Decimal(0)):
            return False
        summed += 1
    return summed > 0


def block(table: Table, caption: str = "") -> dict[str, str] | None:
    """Return the table as a `bang` block, or None when doctpl cannot lay it out (then its rows are listed)."""
    rows = [row for row in table.rows if any(cell.text for cell in row)]
    if not rows:
        return None
    headings, groups, taken = _header(rows)
    body = [[_cell_text(cell) for cell in _grid(row)] for row in rows[taken:]]
    body = [row[:len(headings)] for row in body]
    total = ""
    label = fold(next((text for text in body[-1] if text), "")) if body else ""
    if label.startswith("tổng") and _adds_up(headings, body[-1], body[:-1]):
        total, body = "co", body[:-1]
    result = {"loai": "bang", "tieu_de": caption, "cot": body_table.SEPARATOR.join(headings),
              "nhom_cot": body_table.SEPARATOR.join(groups) if any(groups) else "",
              "dong": "\n".join(body_table.SEPARATOR.join(row) for row in body), "tong": total}
    if body_table.problems(result["cot"], result["nhom_cot"], result["dong"]):
        return None
    return result
