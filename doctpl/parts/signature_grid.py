"""Multi-party signature block of a giao ước: every member unit signs and seals its own cell.

The grid has 2 columns (or 3), an odd last row is centred, and each row is a one-row table that
cannot break across pages; the last row's table holds Nơi nhận in a second row, kept with it.
NĐ 30 documents read in order: the trưởng khối first, the phó khối second. Party documents put
the lead unit on the right of the first row and the others to its left and on the rows below
(HD 05 I.7.2.4).
"""

from __future__ import annotations

from typing import Any

from doctpl import layout, the_thuc
from doctpl.build import base
from doctpl.errors import FieldError
from doctpl.fields import Choice, Group, Repeat, Text, join
from doctpl.metrics import break_lines
from doctpl.ooxml import cell_box
from doctpl.parts import noi_nhan, signature
from doctpl.vn.text import upper

COMPUTED = ("grid",)
HEADING = "ĐẠI DIỆN CÁC ĐƠN VỊ KÝ GIAO ƯỚC"
ROLES = {"": "Thành viên", "truong_khoi": "Trưởng khối", "pho_khoi": "Phó khối"}
UNIT_SIZE = {the_thuc.NHA_NUOC: 13, the_thuc.DANG: 14}  # as the issuing body's name in the header
MIN_UNITS, MAX_UNITS = 2, 30
HOLDERS = {"truong_khoi": 1, "pho_khoi": 2}  # one trưởng khối; provinces' guidance allows two phó khối


def _check_roles(units: list[dict[str, Any]], path: str) -> list[FieldError]:
    errors = []
    for role, most in HOLDERS.items():
        holders = [index for index, unit in enumerate(units) if unit.get("vai_tro") == role]
        for index in holders[most:]:
            limit = "Chỉ một đơn vị" if most == 1 else f"Tối đa {most} đơn vị"
            errors.append(FieldError(join(join(path, index), "vai_tro"), f"{limit} được là {ROLES[role].lower()}."))
    return errors


def fields() -> list[Any]:
    """Return the signing units and the number of columns."""
    unit = Group("don_vi", "Đơn vị", fields=[
        Text("ten", "Tên đơn vị", max_len=150,
             help="Ví dụ Ban Tuyên giáo và Dân vận Tỉnh ủy. Được in hoa tự động. Gõ «|» tại chỗ muốn xuống dòng, "
                  "ví dụ ỦY BAN KIỂM TRA|ĐẢNG ỦY PHƯỜNG; dấu «|» không được in."),
        Choice("vai_tro", "Vai trò trong khối", choices=ROLES, default=""),
        *signature.group().fields,
    ])
    return [
        Repeat("don_vi_ky", "Các đơn vị ký giao ước", item=unit, min_items=MIN_UNITS, max_items=MAX_UNITS,
               item_label="đơn vị", help="Trưởng khối đứng đầu, phó khối thứ hai, các đơn vị khác theo thứ tự nhập."),
        Choice("so_cot", "Số cột chữ ký", choices={"2": "2 cột", "3": "3 cột"}, default="2"),
    ]


def check(data: dict[str, Any]) -> list[FieldError]:
    """Report a second trưởng khối or phó khối."""
    return _check_roles(data["don_vi_ky"], "don_vi_ky")


def ordered(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the units with the trưởng khối first and the phó khối second."""
    rank = {"truong_khoi": 0, "pho_khoi": 1}
    return sorted(units, key=lambda unit: rank.get(unit["vai_tro"], 2))


def check_authority(data: dict[str, Any]) -> list[FieldError]:
    """Refuse a quyền hạn the thể thức does not have in any signing unit."""
    return [error for index, unit in enumerate(data["don_vi_ky"])
            for error in signature.check(unit, join("don_vi_ky", index), data["the_thuc"])]


def context(units: list[dict[str, Any]], columns: int, rules: the_thuc.Rules) -> dict[str, Any]:
    """Return the rows of cells; the last row may be shorter (it is centred).

    Within a row the shorter blocks get blank lines under the title, so that the signers' names
    line up on one level as they do on a signed paper.
    """
    box = cell_box(layout.TEXT_WIDTH // columns)
    size = UNIT_SIZE[rules.the_thuc]
    cells = [{"don_vi": "\n".join(break_lines(upper(unit["ten"]), size, box, bold=True)),
              **signature.context(unit, rules, box)} for unit in ordered(units)]
    if rules.dang:  # the lead unit at the right end of the first row
        cells = cells[1:columns] + cells[:1] + cells[columns:]
    rows = [cells[i:i + columns] for i in range(0, len(cells), columns)]
    for row in rows:
        tallest = max(_height(cell) for cell in row)
        for cell in row:
            cell["lines"] = cell["lines"] + [{"text": "", "bold": False}] * (tallest - _height(cell))
    return {"cols": columns, "rows": rows[:-1], "last": rows[-1]}


def _height(cell: dict[str, Any]) -> int:
    """Return the printed lines above the room to sign: the unit's name and the signer's title."""
    return cell["don_vi"].count("\n") + 1 + sum(line["text"].count("\n") + 1 for line in cell["lines"])


def _cell(cell: Any, ref: str, rules: the_thuc.Rules) -> None:
    base.paragraph(cell, f"{{{{ {ref}.don_vi }}}}", size=UNIT_SIZE[rules.the_thuc], bold=True)
    signature.build(cell, ref)


def _row_table(doc: Any, cells: int, columns: int, rules: the_thuc.Rules) -> None:
    width = layout.TEXT_WIDTH // columns
    tbl = base.table(doc, [width] * cells, centered=True)
    for index, cell in enumerate(tbl.rows[0].cells):
        _cell(cell, f"row[{index}]", rules)
    base.paragraph(doc, size=6)  # keeps consecutive row tables apart


def _last_row_table(doc: Any, cells: int, columns: int, rules: the_thuc.Rules) -> None:
    """Write the last row with Nơi nhận as a second row of its table, so that Nơi nhận never stands alone on a page.

    Word and LibreOffice keep a row with the next row of its table when its paragraphs keep with the next (they
    do not keep a table with the paragraph after it). The table spans the text width, a shorter row centred
    between two empty cells, so Nơi nhận starts at the left margin as under any other signature.
    """
    width = layout.TEXT_WIDTH // columns
    pad = (columns - cells) * width // 2
    widths = [width] * cells if not pad else [pad, *([width] * cells), pad]
    tbl = base.table(doc, widths, rows=2, centered=True)
    signing, recipients = tbl.rows
    for index, cell in enumerate(signing.cells[1:-1] if pad else signing.cells):
        _cell(cell, f"row[{index}]", rules)
    if pad:
        base.paragraph(signing.cells[0])
        base.paragraph(signing.cells[-1])
    for par in (p for cell in signing.cells for p in cell.paragraphs):
        par.paragraph_format.keep_with_next = True
    for cell in recipients.cells:
        base.paragraph(cell)  # python-docx merges cells that hold a paragraph
    merged = recipients.cells[0].merge(recipients.cells[-1]) if len(widths) > 1 else recipients.cells[0]
    for par in list(merged.paragraphs):  # what the merge left: build_list writes the cell's own paragraphs
        par._p.getparent().remove(par._p)
    base.paragraph(merged, align="left").paragraph_format.keep_with_next = True  # a line between
    noi_nhan.build_list(merged, rules)


def build(doc: Any, rules: the_thuc.Rules) -> None:
    """Write the heading and one table per row, for 2 and for 3 columns; the last row's table holds Nơi nhận."""
    base.paragraph(doc, HEADING, bold=True, before=240, after=120).paragraph_format.keep_with_next = True
    for branch, columns in (("if", 2), ("elif", 3)):
        base.tag(doc, f"{{%p {branch} grid.cols == {columns} %}}")
        for rows, write in (("grid.rows", _row_table), ("[grid.last]", _last_row_table)):
            base.tag(doc, f"{{%p for row in {rows} %}}")
            for cells in range(columns, 0, -1):
                keyword = "if" if cells == columns else "elif"
                base.tag(doc, f"{{%p {keyword} row|length == {cells} %}}")
                write(doc, cells, columns, rules)
            base.tag(doc, "{%p endif %}")
            base.tag(doc, "{%p endfor %}")
    base.tag(doc, "{%p endif %}")
