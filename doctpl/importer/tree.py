"""The body tree from typed lines: Phần, sections I …, khoản 1. 1.1. 1.1.1., điểm a), Quý I:, «-» and «+», tables.

Each numbered line opens a block at its rank (a khoản above a quarter, above a điểm, above a «-», above a
«+»); a later line of the same or a higher rank closes it. A plain paragraph belongs to the block open above
it: to a khoản's own text while it has no inner blocks yet, under a «-» line that heads paragraphs (short,
with no closing punctuation, «- Về công tác tư tưởng»), else under the nearest numbered block. Blocks nest
four levels at most (doctpl's limit): a deeper line becomes a sibling at the fourth, its text kept.
Typed numbers are dropped: doctpl numbers again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from doctpl.importer import tables
from doctpl.importer.patterns import Label, is_caps, label
from doctpl.importer.result import Unplaced
from doctpl.importer.text import Piece
from doctpl.importer.tokens import tokenise
from doctpl.importer.word import Table
from doctpl.parts.body import MAX_DEPTH

RANKS = {"quy": 5, "diem": 6, "gach": 7, "cong": 8}  # a khoản's rank is its depth (1., 1.1., …)
TITLE_MAX = 120  # a numbered line this short with no closing punctuation is a title («1. Mục đích»)
_CLOSING = tuple(".;:!?,")
_QUOTES = {"“": "”", "«": "»", '"': '"'}
_HEADING_LABELS = {1: ("muc", 1), 2: ("khoan", 1), 3: ("khoan", 2), 4: ("khoan", 3)}


@dataclass
class Section:
    """A section of the body: the Phần it opens, its title, its blocks and the lines it was built from."""

    phan: str = ""
    tieu_de: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    headings: list[Piece] = field(default_factory=list)  # the lines of its Phần and its title

    def raw(self) -> dict[str, Any]:
        """Return the section as the form's data."""
        return {"phan": self.phan, "tieu_de": self.tieu_de, "thanh_phan": self.blocks}


@dataclass
class _Open:
    block: dict[str, Any]
    rank: int
    heads: bool = False  # a «-» line that heads the paragraphs after it


class Tree:
    """Builds the sections from the body's lines and tables, in order."""

    def __init__(self, year: int | None):
        self.year = year
        self.sections: list[Section] = []
        self.stack: list[_Open] = []
        self.kieu_phan = ""
        self.waiting = ""  # "phan" or "muc": a number typed alone, its name on the next line
        self.unplaced: list[Unplaced] = []
        self.origin: dict[int, list[Piece]] = {}  # the lines each block was made from, by the block's id
        self.tables: dict[int, Table] = {}  # the table each `bang` block was made from

    def raw(self) -> list[dict[str, Any]]:
        """Return the sections as the form's data."""
        return [section.raw() for section in self.sections]

    def blocks(self) -> list[dict[str, Any]]:
        """Return the blocks of every section, in order."""
        return [block for section in self.sections for block in section.blocks]

    def listed(self, block: dict[str, Any]) -> list[Unplaced]:
        """Return a block (its lines, its table's rows, its inner blocks) as unplaced paragraphs."""
        out = [Unplaced(piece.line.number, piece.line.where, piece.plain) for piece in self.origin.get(id(block), [])]
        if id(block) in self.tables:
            out += _rows(self.tables[id(block)])
        return out + [item for inner in block.get("con", []) for item in self.listed(inner)]

    def _text(self, text: str) -> str:
        return tokenise(text, self.year)

    def _made(self, block: dict[str, Any], piece: Piece | None) -> None:
        if piece is not None:
            self.origin.setdefault(id(block), []).append(piece)

    def _section(self) -> Section:
        if not self.sections:
            self.sections.append(Section())
        return self.sections[-1]

    def _open(self, piece: Piece, phan: str = "") -> Section:
        """Start a section (and a Phần when `phan` is given) with its heading line."""
        self.sections.append(Section(phan=phan, headings=[piece]))
        self.stack = []
        return self.sections[-1]

    def add(self, piece: Piece) -> None:
        """Place one line of the body."""
        if self.waiting and is_caps(piece.plain) and label(piece.plain) is None:
            self._name(piece)
            return
        self.waiting = ""
        found = label(piece.plain) or self._heading_label(piece)
        if found is None:
            self._paragraph({"loai": "doan", "van_ban": self._text(piece.marked())}, piece)
        elif found.kind == "phan":
            self.kieu_phan = self.kieu_phan or ("thu" if found.value.lower().startswith("thứ") else "la_ma")
            name = self._text(piece.drop(found.length).marked(whole=False).strip(" .:-–—"))
            self._open(piece, name or piece.plain)
            self.waiting = "" if name else "phan"
        elif found.kind == "muc":
            last = self.sections[-1] if self.sections else None
            if last is not None and last.phan and not last.tieu_de and not last.blocks:
                last.headings.append(piece)  # the first section of the Phần just opened
                self.stack = []
            else:
                last = self._open(piece)
            last.tieu_de = self._text(piece.drop(found.length).marked(whole=False))
            self.waiting = "" if last.tieu_de else "muc"
        else:
            self._item(found, piece.drop(found.length), piece)

    def _heading_label(self, piece: Piece) -> Label | None:
        """Read a heading style typed without a number as the level it stands for."""
        if piece.line.heading not in _HEADING_LABELS:
            return None
        kind, depth = _HEADING_LABELS[piece.line.heading]
        return Label(kind, depth, 0, piece.plain, "")

    def _name(self, piece: Piece) -> None:
        """Take a line in capitals as the name of the Phần or the title of the section typed just above it."""
        section = self.sections[-1]
        name = self._text(piece.marked(whole=False))
        if self.waiting == "phan":
            section.phan = name
        else:
            section.tieu_de = name
        section.headings.append(piece)
        self.waiting = ""

    def _item(self, found: Label, rest: Piece, piece: Piece) -> None:
        rank = found.depth if found.kind == "khoan" else RANKS[found.kind]
        block = self._block(found, rest, piece)
        heads = found.kind in ("gach", "cong") and len(rest.plain) <= TITLE_MAX and \
            not rest.plain.endswith(_CLOSING)
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        del self.stack[MAX_DEPTH - 1:]  # a fifth level is kept as a sibling at the fourth
        self._container().append(block)
        self._made(block, piece)
        self.stack.append(_Open(block, rank, heads))

    def _block(self, found: Label, rest: Piece, piece: Piece) -> dict[str, Any]:
        if found.kind in ("gach", "cong"):
            return {"loai": found.kind, "van_ban": self._text(rest.marked()), "con": []}
        if found.kind == "quy":
            return self._quarter(found, rest)
        text = rest.plain
        titled = rest.bold or piece.line.heading or (len(text) <= TITLE_MAX and not text.endswith(_CLOSING))
        if titled:
            return {"loai": found.kind, "tieu_de": self._text(rest.marked(whole=False)), "van_ban": "", "con": []}
        return {"loai": found.kind, "tieu_de": "", "van_ban": self._text(rest.marked()), "con": []}

    def _quarter(self, found: Label, rest: Piece) -> dict[str, Any]:
        """Return «Quý I: <lời dẫn> “<chủ đề>” <lời dẫn sau>», or a paragraph when the line has no quoted theme."""
        text = rest.plain
        start = next((i for i, char in enumerate(text) if char in _QUOTES), -1)
        end = _closing_quote(text, start) if start >= 0 else -1
        lead, theme, after = text[:max(start, 0)].strip(), text[start + 1:end].strip(" *"), text[end + 1:].strip()
        if end < 0 or not lead or not theme or len(lead) > 300 or len(theme) > 500 or len(after) > 300:
            return {"loai": "doan", "van_ban": f"**Quý {found.value}:** {self._text(rest.marked())}", "con": []}
        return {"loai": "quy", "mo_dau": self._text(lead), "chu_de": self._text(theme), "ket": self._text(after),
                "con": []}

    def _container(self) -> list[dict[str, Any]]:
        return self.stack[-1].block["con"] if self.stack else self._section().blocks

    def _paragraph(self, block: dict[str, Any], piece: Piece | None) -> None:
        """Place a paragraph or a table under the block open above it (see the module's rules)."""
        while self.stack and self.stack[-1].block["loai"] in ("gach", "cong") and not self.stack[-1].heads:
            self.stack.pop()
        self._section()
        top = self.stack[-1].block if self.stack else None
        text = block.get("van_ban")  # None for a table
        if top is not None and text is not None and "van_ban" in top and (
                (top["loai"] in ("khoan", "diem") and not top["con"]) or len(self.stack) >= MAX_DEPTH):
            top["van_ban"] = f"{top['van_ban']}\n{text}" if top["van_ban"] else text
            self._made(top, piece)
            return
        if len(self.stack) >= MAX_DEPTH:  # no fifth level: beside the fourth
            self.stack.pop()
        container = self._container()
        if text is not None and container and container[-1]["loai"] == "doan":
            container[-1]["van_ban"] += "\n" + text  # consecutive paragraphs make one block, a line each
            self._made(container[-1], piece)
        else:
            container.append(block)
            self._made(block, piece)

    def add_table(self, table: Table, caption: Piece | None) -> None:
        """Place a table as a `bang` block; a table doctpl cannot lay out is listed, row by row."""
        made = tables.block(table, caption.plain if caption else "")
        if made is None:
            if caption is not None:
                self.add(caption)
            self.unplaced += _rows(table)
            return
        made["con"] = []
        self.tables[id(made)] = table
        self._paragraph(made, caption)


def _rows(table: Table) -> list[Unplaced]:
    """Return a table's rows as unplaced lines, each at its first paragraph, its cells apart by «|»."""
    out = []
    for number, row in enumerate(table.rows, 1):
        lines = [line for cell in row for line in cell.lines]
        text = " | ".join(cell.text for cell in row)
        if lines and text.strip(" |"):
            out.append(Unplaced(lines[0].number, f"bảng {table.number}, dòng {number}", text))
    return out


def _closing_quote(text: str, start: int) -> int:
    """Return where the quote opened at `start` closes, quotes of the same kind nested inside counted."""
    opening, closing = text[start], _QUOTES[text[start]]
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if opening == closing:
            if char == closing and index > start:
                return index
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return index
    return -1
