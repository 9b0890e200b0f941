"""A typed document cut into its parts: header, title, Kính gửi, căn cứ, lead paragraph, body, closing.

- the title is the first line that is a type name in capitals («KẾ HOẠCH»); what stands before it is the
  header (without one, the leading lines that read as a header are);
- the closing starts at the first table or line holding the Nơi nhận or a quyền hạn («TM.», «T/M»), at the
  line after a typed «./.», or at a line in capitals standing just above the Nơi nhận or the end (a head who
  signs in his own name, «CHỦ TỊCH»);
- between them: «Kính gửi:» and its entries, the căn cứ («Căn cứ …», «Thực hiện …»), and, when the body has
  a Phần or a section I, the plain paragraphs before it as the lead paragraph; the rest is the body tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from doctpl import the_thuc
from doctpl.check.texts import DANG_TITLE, QUOC_HIEU, folded, tieu_ngu_like
from doctpl.importer import closing as closing_part
from doctpl.importer import header as header_part
from doctpl.importer import patterns
from doctpl.importer.result import Unplaced
from doctpl.importer.text import Piece, body_pieces, pieces
from doctpl.importer.tokens import tokenise
from doctpl.importer.tree import Tree
from doctpl.importer.word import Item, Line, Source, Table
from doctpl.vn.text import fold

_DASHES = "-–—•"
LOOK_AHEAD = 3  # lines between a head's title in capitals and the Nơi nhận or the end


@dataclass
class Parsed:
    """Every part of the document, each with the lines it came from (for a kind that has no field for it)."""

    head: header_part.Head
    ten_loai: str = ""
    trich_yeu: str = ""
    kinh_gui: list[str] = field(default_factory=list)
    can_cu: list[str] = field(default_factory=list)
    loi_mo_dau: str = ""
    tree: Tree = field(default_factory=lambda: Tree(None))
    closing: closing_part.Closing = field(default_factory=closing_part.Closing)
    sources: dict[str, list[Piece]] = field(default_factory=dict)  # kinh_gui, can_cu, loi_mo_dau
    unplaced: list[Unplaced] = field(default_factory=list)


def _first_piece(item: Item) -> str:
    if isinstance(item, Table):
        return ""
    found = pieces(item)
    return found[0].plain if found else ""


def _title_index(items: list[Item]) -> int | None:
    return next((index for index, item in enumerate(items) if isinstance(item, Line) and not item.box
                 and patterns.type_name(_first_piece(item))), None)


def _header_like(text: str) -> bool:
    return (patterns.is_rule(text) or folded(text) in (QUOC_HIEU, DANG_TITLE) or tieu_ngu_like(text)
            or patterns.so_line(text) is not None or patterns.date_line(text) is not None
            or (patterns.is_caps(text) and patterns.label(text) is None))


def _header_end(items: list[Item]) -> int:
    """Return where a header without a title ends: after the leading tables, boxes and header lines."""
    for index, item in enumerate(items):
        if isinstance(item, Table):
            if index:  # only a table the document opens with is its header
                return index
            continue
        if not item.box and not all(_header_like(piece.plain) for piece in pieces(item, "\t")):
            return index
    return len(items)


def _closes(items: list[Item], index: int) -> bool:
    """Tell whether the closing starts at this item."""
    item = items[index]
    texts = [piece.plain for line in (item.lines() if isinstance(item, Table) else [item]) for piece in pieces(line)]
    for text in texts[:1] if isinstance(item, Line) else texts:
        if patterns.noi_nhan(text) is not None or patterns.sign(text) or fold(text) == closing_part.GRID_HEADING:
            return True
    if index and isinstance(items[index - 1], Line) and patterns.ends_content(items[index - 1].text):
        return True
    if not isinstance(item, Line) or item.align not in ("center", "right") or not texts:
        return False
    if not patterns.is_caps(texts[0]) or patterns.label(texts[0]) is not None:
        return False
    after = [other for other in items[index + 1:] if isinstance(other, Table) or other.text][:LOOK_AHEAD]
    near_end = len(after) < LOOK_AHEAD and not any(isinstance(other, Table) for other in after)
    return near_end or any(isinstance(other, Line) and patterns.noi_nhan(other.text) is not None for other in after)


def parse(source: Source) -> Parsed:
    """Return the parts of the document `source` reads."""
    items = source.items()
    title_at = _title_index(items)
    header_end = title_at if title_at is not None else _header_end(items)
    head_lines = [line for item in items[:header_end] for line in (item.lines() if isinstance(item, Table) else [item])]
    parsed = Parsed(header_part.read(head_lines))
    parsed.unplaced += parsed.head.unplaced
    start = header_end
    if title_at is not None:
        following = []
        for item in items[title_at + 1:]:
            if not isinstance(item, Line):
                break
            following.append(item)
        title = header_part.read_title(items[title_at], following)
        parsed.ten_loai, parsed.trich_yeu = title.ten_loai, title.trich_yeu
        start = title_at + 1 + title.taken
    end = next((index for index in range(start, len(items)) if _closes(items, index)), len(items))
    parsed.closing = closing_part.read(items[end:], parsed.head.the_thuc)
    parsed.unplaced += parsed.closing.unplaced
    if parsed.closing.dang and not parsed.head.the_thuc:
        parsed.head.the_thuc = the_thuc.DANG
    _body(parsed, items[start:end])
    parsed.unplaced += [Unplaced(line.number, line.where, line.text) for line in source.page_header_lines()
                        if any(char.isalpha() for char in line.text)]
    return parsed


def _flow(items: list[Item]) -> list[Piece | Table]:
    """Return the body's lines (a paragraph split at the line breaks that start a paragraph) and tables; rules and
    a typed end mark left out."""
    flow: list[Piece | Table] = []
    for item in items:
        if isinstance(item, Table):
            flow.append(item)
        else:
            flow += [piece for piece in body_pieces(item, patterns.starts_item)
                     if not patterns.is_rule(piece.plain, item.drawing)]
    for index in range(len(flow) - 1, -1, -1):  # the last line of text: doctpl writes the end mark itself
        if (piece := _at(flow, index)) is not None:
            flow[index] = piece.head(len(patterns.without_end_mark(piece.plain)))
            break
    return flow


def _at(flow: list[Piece | Table], index: int) -> Piece | None:
    part = flow[index] if index < len(flow) else None
    return part if isinstance(part, Piece) else None


def _opens_section(piece: Piece) -> bool:
    found = patterns.label(piece.plain)
    return (found is not None and found.kind in ("phan", "muc")) or (found is None and piece.line.heading == 1)


def _body(parsed: Parsed, items: list[Item]) -> None:
    flow = [part for part in _flow(items) if not isinstance(part, Piece) or part.chars]
    year = parsed.head.nam
    index = 0
    while (piece := _at(flow, index)) is not None and (rest := patterns.kinh_gui(piece.plain)) is not None:
        parsed.sources.setdefault("kinh_gui", []).append(piece)
        parsed.kinh_gui += [patterns.entry(rest)] if rest else []
        index += 1
        listed = not rest or rest[:1] in _DASHES  # «Kính gửi:» or «Kính gửi: - A;», then a line per entry
        while listed and (piece := _at(flow, index)) is not None and piece.plain[:1] in _DASHES and \
                not patterns.can_cu(piece.plain):
            parsed.sources["kinh_gui"].append(piece)
            parsed.kinh_gui.append(patterns.entry(piece.plain))
            index += 1
    while (piece := _at(flow, index)) is not None and (
            patterns.can_cu(piece.plain) or (piece.italic and piece.plain[:1] in _DASHES)):
        parsed.sources.setdefault("can_cu", []).append(piece)
        dash = len(piece.plain) - len(piece.plain.lstrip(_DASHES + " "))
        parsed.can_cu.append(piece.drop(dash).marked(whole=False))
        index += 1
    opens = next((i for i in range(index, len(flow)) if (p := _at(flow, i)) is not None and _opens_section(p)), None)
    lead: list[Piece] = []
    while opens is not None and index < opens and (piece := _at(flow, index)) is not None and \
            patterns.label(piece.plain) is None and not piece.line.heading:
        lead.append(piece)
        index += 1
    parsed.sources["loi_mo_dau"] = lead
    parsed.loi_mo_dau = "\n".join(tokenise(piece.marked(), year) for piece in lead)
    tree = parsed.tree = Tree(year)
    rest = flow[index:]
    for position, part in enumerate(rest):
        if isinstance(part, Table):
            previous = rest[position - 1] if position else None
            tree.add_table(part, previous if isinstance(previous, Piece) and _caption(previous) else None)
        elif not (position + 1 < len(rest) and isinstance(rest[position + 1], Table) and _caption(part)):
            tree.add(part)
    parsed.unplaced += tree.unplaced


def _caption(piece: Piece) -> bool:
    """Tell whether a line names the table under it: centred, not numbered."""
    return piece.line.align == "center" and patterns.label(piece.plain) is None
