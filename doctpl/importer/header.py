"""The header (ô 1–4) and the title (ô 5a) as typed: in a table, in text boxes or in paragraphs with tabs.

Lines are recognised by what they say, not where they stand: the Quốc hiệu and the Tiêu ngữ (state), «ĐẢNG CỘNG
SẢN VIỆT NAM» and «*» (Party), the Số line, the date line, rules (ignored); the remaining lines in capitals
are the issuer's levels, top down. The bold lines are the issuer (one name however many paragraphs it takes),
those above them its chủ quản and cấp trên; with no bold line, the last is the issuer. A name wrapped by a manual
line break is one name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from doctpl import the_thuc
from doctpl.check.texts import DANG_TITLE, QUOC_HIEU, folded, tieu_ngu_like
from doctpl.importer import patterns
from doctpl.importer.result import Unplaced
from doctpl.importer.text import Piece, pieces
from doctpl.importer.word import Line

LEVELS = ("cap_tren", "chu_quan", "ten")


@dataclass
class Head:
    """What the header says; `the_thuc` is "" when nothing in it tells the thể thức."""

    the_thuc: str = ""
    co_quan: dict[str, str] = field(default_factory=dict)
    so: int | None = None
    dia_danh: str = ""
    ngay: str | None = None
    nam: int | None = None
    unplaced: list[Unplaced] = field(default_factory=list)


def _is_quoc_hieu(piece: Piece, following: Piece | None) -> int:
    """Return how many pieces the Quốc hiệu takes here (one, or two when typed over two lines), or 0."""
    text = folded(piece.plain)
    if text == QUOC_HIEU:
        return 1
    if following is not None and QUOC_HIEU.startswith(text + " ") and \
            folded(piece.plain + " " + following.plain) == QUOC_HIEU:
        return 2
    return 0


def read(lines: list[Line]) -> Head:
    """Return what the header lines say; what they do not is listed as unplaced."""
    head = Head()
    found = [piece for line in lines for piece in pieces(line, "\t")]
    names: list[tuple[Piece, bool]] = []
    index = 0
    while index < len(found):
        piece = found[index]
        following = found[index + 1] if index + 1 < len(found) else None
        text = piece.plain
        taken = _is_quoc_hieu(piece, following)
        if taken:
            head.the_thuc = head.the_thuc or the_thuc.NHA_NUOC
            index += taken
            continue
        index += 1
        if tieu_ngu_like(text):
            head.the_thuc = head.the_thuc or the_thuc.NHA_NUOC
        elif patterns.is_rule(text):
            head.the_thuc = head.the_thuc or (the_thuc.DANG if text.strip() == "*" else "")
        elif folded(text) == DANG_TITLE:
            head.the_thuc = the_thuc.DANG
        elif (number := patterns.so_line(text)) is not None:
            head.so = number.so
            head.co_quan["ky_hieu"] = number.ky_hieu
            head.the_thuc = head.the_thuc or (the_thuc.DANG if number.dang else the_thuc.NHA_NUOC)
        elif (date := patterns.date_line(text)) is not None:
            head.dia_danh, day, head.nam = date
            head.ngay = day.isoformat() if day else None
        elif patterns.is_caps(text):
            names.append((piece, piece.bold))
        else:
            head.unplaced.append(Unplaced(piece.line.number, piece.line.where, text))
    head.co_quan.update(_levels(names))
    return head


def _levels(names: list[tuple[Piece, bool]]) -> dict[str, str]:
    """Return the issuer's levels: the bold name is the issuer, the names above it the chủ quản and cấp trên."""
    merged: list[tuple[str, bool, int]] = []
    for piece, bold in names:
        if merged and merged[-1][1] == bold and merged[-1][2] == piece.line.number:  # wrapped by a line break
            merged[-1] = (f"{merged[-1][0]} {piece.plain}", bold, piece.line.number)
        else:
            merged.append((piece.plain, bold, piece.line.number))
    if not merged:
        return {}
    bolds = [index for index, (_, bold, _) in enumerate(merged) if bold]
    if bolds:  # all bold: one issuer typed over several paragraphs («ỦY BAN NHÂN DÂN» / «TỈNH LÂM ĐỒNG»)
        issuer = " ".join(merged[i][0] for i in bolds)
        above = [text for index, (text, _, _) in enumerate(merged) if index < bolds[0]]
    else:  # no emphasis to tell: the last name is the issuer
        issuer, above = merged[-1][0], [text for text, _, _ in merged[:-1]]
    if len(above) > 2:  # more lines than levels: the top ones make the cấp trên
        above = [" ".join(above[:-1]), above[-1]]
    levels = dict(zip(LEVELS[-1 - len(above):-1], above, strict=True))
    return levels | {"ten": issuer}


@dataclass
class Title:
    """The tên loại and the trích yếu, and how many lines after the tên loại's they took."""

    ten_loai: str
    trich_yeu: str
    taken: int


def read_title(title: Line, after: list[Line]) -> Title:
    """Return the tên loại of its line and the trích yếu: the rest of that line, then the centred (or bold) lines
    after it, up to a rule or the first line of the body."""
    own = pieces(title)
    parts = [piece.plain for piece in own[1:]]
    taken = 0
    for line in after:
        text = line.text
        if patterns.is_rule(text, line.drawing):
            taken += 1
            if parts:
                break
            continue
        found = pieces(line)
        centred_or_bold = line.align == "center" or (bool(found) and all(piece.bold for piece in found))
        if not centred_or_bold or patterns.kinh_gui(text) is not None or patterns.can_cu(text) or \
                patterns.label(text) is not None:
            break
        parts += [piece.plain for piece in found]
        taken += 1
    while taken < len(after) and patterns.is_rule(after[taken].text, after[taken].drawing):
        taken += 1
    return Title(own[0].plain if own else "", " ".join(parts), taken)


def fields(head: Head) -> dict[str, Any]:
    """Return the header's part of the form's data."""
    return {"the_thuc": head.the_thuc or the_thuc.NHA_NUOC,
            "co_quan": {name: head.co_quan.get(name, "") for name in (*LEVELS, "ky_hieu")},
            "so": head.so, "dia_danh": head.dia_danh, "ngay": head.ngay, "nam": head.nam}
