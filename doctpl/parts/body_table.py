"""A table inside the body: what a report's results or scores need, typed as the clerk pastes it.

The clerk types (or pastes from Excel) one row a line, cells apart by a tab or «|»; a header line,
optionally a line of group headings over it (equal neighbours merge into one cell), and a total row.
Columns whose cells are all numbers are aligned right and written with Vietnamese separators
(1.234,5); an «STT» column is centred and never summed. The header rows repeat on every page and
no row is split across pages. The table is written as raw WordprocessingML for a `{{p … }}` tag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from doctpl import layout
from doctpl.metrics import text_width
from doctpl.ooxml import Paragraph

SIZE = 13  # as the kinds' own tables (doctpl/build/base.py TABLE_SIZE)
TOTAL = "Tổng cộng"
MAX_COLUMNS = 12
SEPARATOR = " | "  # what a pasted tab becomes in the stored text
_COUNTER_HEADINGS = {"stt", "tt", "số tt", "số thứ tự"}
# Vietnamese: dots group thousands, a comma starts the decimals; a lone dot is read as a decimal point.
_VIETNAMESE = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})*(?:,\d+)?$|^[+-]?\d+(?:,\d+)?$")
_POINT = re.compile(r"^[+-]?\d+\.\d+$")
_MIN_WIDTH = layout.mm(12)
_PADDING = layout.mm(3)


def cells(line: str) -> list[str]:
    """Split one typed row into its cells at «|» (a tab pasted from Excel is stored as one)."""
    return [part.strip() for part in line.replace("\t", SEPARATOR).split("|")]


def rows(text: str) -> list[list[str]]:
    """Return the non-blank lines of `text` as rows of cells."""
    return [cells(line) for line in text.split("\n") if line.strip()]


def number(text: str) -> tuple[Decimal, int] | None:
    """Return (value, decimals) of a cell written as a number ("1.234,5", "95,5", "95.5"), else None."""
    text = text.replace(" ", "")
    if _VIETNAMESE.match(text):
        whole, _, decimals = text.replace(".", "").partition(",")
        return Decimal(f"{whole}.{decimals}" if decimals else whole), len(decimals)
    if _POINT.match(text) and not re.match(r"^[+-]?\d{1,3}\.\d{3}$", text):
        return Decimal(text), len(text.split(".")[1])
    return None


def vietnamese(value: Decimal, decimals: int) -> str:
    """Return a number with dots between thousands and a decimal comma: 1234.5 -> "1.234,5"."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def problems(header: str, groups: str, body: str) -> list[str]:
    """Return why the typed table cannot be laid out (empty when it can)."""
    head = cells(header) if header.strip() else []
    if not head or not any(head):
        return ["bảng cần dòng tiêu đề cột, các ô cách nhau bằng dấu «|» hoặc phím Tab."]
    if len(head) > MAX_COLUMNS:
        return [f"bảng có {len(head)} cột, tối đa {MAX_COLUMNS} cột trên khổ A4 dọc."]
    out = []
    if groups.strip() and len(cells(groups)) > len(head):
        out.append(f"dòng nhóm cột có {len(cells(groups))} ô, nhiều hơn {len(head)} cột của bảng.")
    for index, row in enumerate(rows(body), 1):
        if len(row) > len(head):
            out.append(f"dòng {index} của bảng có {len(row)} ô, bảng có {len(head)} cột.")
    if not rows(body):
        out.append("bảng chưa có dòng nào.")
    return out


@dataclass(frozen=True)
class Column:
    """One column: its heading, its group heading, how its cells align, whether it is summed."""

    heading: str
    group: str
    align: str
    summed: bool
    decimals: int


def _columns(head: list[str], groups: list[str], body: list[list[str]]) -> list[Column]:
    out = []
    for index, heading in enumerate(head):
        values = [row[index] for row in body if index < len(row) and row[index]]
        parsed = [number(value) for value in values]
        counter = heading.strip().lower() in _COUNTER_HEADINGS
        numeric = bool(values) and all(parsed)
        align = "center" if counter else "right" if numeric else "left"
        decimals = max((p[1] for p in parsed if p), default=0)
        out.append(Column(heading, groups[index] if index < len(groups) else "", align, numeric and not counter,
                          decimals))
    return out


def _widths(columns: list[Column], body: list[list[str]]) -> list[int]:
    wanted = []
    for index, column in enumerate(columns):
        texts = [column.heading] + [row[index] for row in body if index < len(row)]
        longest = max(text_width(text, SIZE) for text in texts) + _PADDING
        wanted.append(max(_MIN_WIDTH, min(longest, layout.TEXT_WIDTH // 2) if column.align == "left" else longest))
    scale = layout.TEXT_WIDTH / sum(wanted)
    widths = [int(width * scale) for width in wanted]
    widths[-1] += layout.TEXT_WIDTH - sum(widths)
    return widths


def _run(text: str, bold: bool) -> str:
    fonts = "<w:rFonts " + " ".join(f'w:{slot}="{layout.FONT}"' for slot in ("ascii", "hAnsi", "eastAsia", "cs")) + "/>"
    emphasis = "<w:b/><w:bCs/>" if bold else ""
    return (f"<w:r><w:rPr>{fonts}{emphasis}<w:sz w:val=\"{SIZE * 2}\"/><w:szCs w:val=\"{SIZE * 2}\"/></w:rPr>"
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>')


def _cell(text: str, width: int, align: str, *, bold: bool = False, span: int = 1, merge: str = "") -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    props += f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    props += f'<w:vMerge w:val="{merge}"/>' if merge == "restart" else "<w:vMerge/>" if merge else ""
    props += '<w:vAlign w:val="center"/>'
    paragraph = (f'<w:p><w:pPr><w:spacing w:before="40" w:after="40"/><w:ind w:left="0" w:right="0" w:firstLine="0"/>'
                 f'<w:jc w:val="{align}"/></w:pPr>{_run(text, bold) if text else ""}</w:p>')
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraph}</w:tc>"


def _row(cells_xml: list[str], *, header: bool = False) -> str:
    props = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells_xml)}</w:tr>"


def _header_rows(columns: list[Column], widths: list[int]) -> list[str]:
    if not any(column.group for column in columns):
        return [_row([_cell(c.heading, w, "center", bold=True) for c, w in zip(columns, widths, strict=True)],
                     header=True)]
    top, bottom = [], []
    index = 0
    while index < len(columns):
        group = columns[index].group
        end = index + 1
        while group and end < len(columns) and columns[end].group == group:
            end += 1
        width = sum(widths[index:end])
        if group:
            top.append(_cell(group, width, "center", bold=True, span=end - index))
            bottom += [_cell(columns[i].heading, widths[i], "center", bold=True) for i in range(index, end)]
        else:  # a heading without a group spans both header rows
            top.append(_cell(columns[index].heading, width, "center", bold=True, merge="restart"))
            bottom.append(_cell("", width, "center", merge="continue"))
        index = end
    return [_row(top, header=True), _row(bottom, header=True)]


def _total_row(columns: list[Column], widths: list[int], body: list[list[str]]) -> str:
    label_at = next((i for i, c in enumerate(columns) if c.align == "left"), 0)
    out = []
    for index, (column, width) in enumerate(zip(columns, widths, strict=True)):
        if column.summed:
            total = sum((parsed[0] for row in body if index < len(row) and (parsed := number(row[index]))),
                        Decimal(0))
            out.append(_cell(vietnamese(total, column.decimals), width, "right", bold=True))
        else:
            out.append(_cell(TOTAL if index == label_at else "", width, "center", bold=True))
    return _row(out)


def xml(header: str, groups: str, body: str, total: bool) -> Paragraph:
    """Return the table for a `{{p … }}` tag; call only on a table that `problems` accepts."""
    head = cells(header)
    data = [row + [""] * (len(head) - len(row)) for row in rows(body)]
    columns = _columns(head, cells(groups) if groups.strip() else [], data)
    widths = _widths(columns, data)
    parts = _header_rows(columns, widths)
    for row in data:
        shown = [vietnamese(parsed[0], column.decimals) if column.summed and (parsed := number(text)) else text
                 for column, text in zip(columns, row, strict=True)]
        parts.append(_row([_cell(text, w, c.align) for c, text, w in zip(columns, shown, widths, strict=True)]))
    if total and any(column.summed for column in columns):
        parts.append(_total_row(columns, widths, data))
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    return Paragraph(
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{layout.CELL_MARGIN}" w:type="dxa"/>'
        f'<w:right w:w="{layout.CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(parts)}</w:tbl>")


def plain(header: str, body: str) -> str:
    """Return the table's text, a row a line, for search and review."""
    return "\n".join(" | ".join(row) for row in [cells(header), *rows(body)])
