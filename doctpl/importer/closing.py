"""The closing as typed: the signature (ô 7) and the Nơi nhận (ô 9b), side by side in a table or one after the
other in paragraphs (the Nơi nhận and the signature on one line apart by tabs), and the giao ước's grid.

Signature: «TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / (chữ ký) / Họ tên» in any of the written forms of
the quyền hạn (TM., TM, T/M, T.M); the chức vụ is the last line in capitals above the name, the lines between
the quyền hạn and it continue the name of the collective; «kiêm» starts the concurrent title (Party).
Nơi nhận: one entry a line (a line without a dash continues the one above), «Lưu» last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from doctpl import the_thuc
from doctpl.importer import patterns
from doctpl.importer.result import Unplaced
from doctpl.importer.text import BREAK, Piece, pieces, split
from doctpl.importer.word import Item, Line, Table
from doctpl.vn.text import fold

GRID_HEADING = fold("đại diện các đơn vị ký giao ước")
_VAN_THU = re.compile(r"^VT\b\s*[,;.]?\s*", re.IGNORECASE)
_KIEM = "kiêm"


@dataclass
class Closing:
    """The signer, the Nơi nhận, the units of a signature grid, and what did not fit."""

    nguoi_ky: dict[str, str] = field(default_factory=dict)
    noi_nhan: dict[str, Any] = field(default_factory=lambda: {"cac_noi": [], "luu": ""})
    units: list[dict[str, str]] = field(default_factory=list)
    signer_pieces: list[Piece] = field(default_factory=list)  # the lines of the signature (or of the grid)
    columns: int = 0  # the most signature cells in one row of a table
    dang: bool = False  # a quyền hạn written the Party way (T/M, K/T, T/L)
    unplaced: list[Unplaced] = field(default_factory=list)

    def drop(self, piece: Piece) -> None:
        """List a line the closing has no place for."""
        self.unplaced.append(Unplaced(piece.line.number, piece.line.where, piece.plain))


def _columns(line: Line) -> list[tuple[int, Piece]]:
    """Return each line of a paragraph split at its tabs: (column, piece) for the non-empty ones."""
    out = []
    for part in split(line.segments, BREAK):
        for column, segments in enumerate(split(part, "\t")):
            piece = Piece.of(line, segments)
            if piece.chars:
                out.append((column, piece))
    return out


def read(items: list[Item], the_thuc_value: str) -> Closing:
    """Return the closing of the items from the signature or Nơi nhận to the end of the document."""
    closing = Closing()
    left: list[Piece] = []
    blocks: list[list[Piece]] = []
    plain: list[Piece] = []
    listing = False  # inside the Nơi nhận list of plain paragraphs
    for item in items:
        if isinstance(item, Table):
            for row in item.rows:
                signing = 0
                for cell in row:
                    found = [piece for line in cell.lines for piece in pieces(line)]
                    if found and patterns.noi_nhan(found[0].plain) is not None:
                        left += found
                    elif found:
                        blocks.append(found)
                        signing += 1
                closing.columns = max(closing.columns, signing)
            continue
        for column, piece in _columns(item):
            text = piece.plain
            if fold(text) == GRID_HEADING:
                continue
            if patterns.noi_nhan(text) is not None:
                listing = True
                left.append(piece)
            elif listing and column == 0 and (text[:1] in "-–—•+" or patterns.luu(text) is not None):
                left.append(piece)
            else:  # the signature, typed beside the list (after tabs) or below it
                listing = listing and column > 0
                plain.append(piece)
    if plain:
        blocks.append(plain)
    _noi_nhan(closing, left, the_thuc_value)
    closing.signer_pieces = [piece for block in blocks for piece in block]
    if len(blocks) > 1:  # a giao ước: every unit signs its own cell
        closing.units = [unit for block in blocks if (unit := _unit(closing, block))]
    elif blocks:
        closing.nguoi_ky = _signer(closing, blocks[0])
    return closing


def _noi_nhan(closing: Closing, found: list[Piece], the_thuc_value: str) -> None:
    entries: list[str] = []
    for piece in found:
        text = piece.plain
        rest = patterns.noi_nhan(text)
        if rest is not None:
            text = rest
            if not text:
                continue
        kept = patterns.luu(text)
        if kept is not None:
            closing.noi_nhan["luu"] = kept if the_thuc_value == the_thuc.DANG else _VAN_THU.sub("", kept)
        elif text[:1] in "-–—•+" or not entries:
            entries.append(patterns.entry(text))
        else:  # an entry wrapped onto the next paragraph
            entries[-1] = f"{entries[-1]} {patterns.entry(text)}"
    closing.noi_nhan["cac_noi"] = [entry for entry in entries if entry]


def _unit(closing: Closing, block: list[Piece]) -> dict[str, str] | None:
    """Return one cell of a signature grid: the unit's name (its first paragraph) and its signer."""
    first = block[0].line.number
    name = " ".join(piece.plain for piece in block if piece.line.number == first)
    signer = _signer(closing, [piece for piece in block if piece.line.number != first])
    return {"ten": name, **signer} if name else None


# A line inside a signature paragraph that starts with one of these begins a new title (a clerk's manual
# break: «T/M KHỐI THI ĐUA SỐ 1 / TRƯỞNG BAN DÂN VẬN»); any other line continues the one above it.
_TITLE_HEADS = tuple(fold(word) for word in (
    "TRƯỞNG", "PHÓ", "CHỦ TỊCH", "CHỦ NHIỆM", "CHỦ TỌA", "BÍ THƯ", "GIÁM ĐỐC", "CHÁNH", "HIỆU TRƯỞNG",
    "THỦ TRƯỞNG", "TỔNG", "ỦY VIÊN", "THƯ KÝ", "KIÊM", "KT.", "K/T", "TL.", "T/L", "TM.", "T/M", "Q."))


def _joined(pieces: list[Piece]) -> list[Piece]:
    """Return one piece per title: a title doctpl or Word wrapped onto two lines is one line of the block."""
    out: list[Piece] = []
    for piece in pieces:
        starts_title = fold(piece.plain).startswith(_TITLE_HEADS)
        if out and out[-1].line.number == piece.line.number and not starts_title:
            last = out[-1]
            out[-1] = Piece(last.line, [*last.chars, (" ", last.chars[-1][1], last.chars[-1][2]), *piece.chars])
        else:
            out.append(piece)
    return out


def _signer(closing: Closing, block: list[Piece]) -> dict[str, str]:
    """Return the signer's fields from the lines of a signature block."""
    found = _joined([piece for piece in block if not patterns.is_rule(piece.plain) and piece.chars])
    out = {"tham_quyen": "", "thay_mat": "", "tham_quyen_2": "", "thay_mat_2": "", "chuc_vu": "", "kiem": "",
           "ho_ten": ""}
    if not found:
        return out
    if len(found) == 1 and patterns.is_caps(found[0].plain):  # a title, its name not typed yet
        lines = found
    else:
        lines, out["ho_ten"] = found[:-1], found[-1].plain
    for piece in [p for p in lines if _aside(p.plain)]:
        closing.drop(piece)  # «(Đã ký)», «(ký tên, đóng dấu)»
    lines = [p for p in lines if not _aside(p.plain)]
    first = patterns.sign(lines[0].plain) if lines else None
    if first is None:
        _titles(out, [p.plain for p in lines], [])
        return out
    closing.dang = closing.dang or "/" in lines[0].plain.split(" ", 1)[0]
    out["tham_quyen"], rest = first
    second_at = next((i for i, p in enumerate(lines[1:], 1) if patterns.sign(p.plain)), None)
    if first[0] == "Q":
        out["chuc_vu"] = rest
        for piece in lines[1:]:
            closing.drop(piece)
        return out
    if first[0] == "TM" and second_at is not None:
        code, rest_2 = patterns.sign(lines[second_at].plain) or ("", "")
        out["tham_quyen_2"] = code
        out["thay_mat"] = " ".join([rest, *(p.plain for p in lines[1:second_at])])
        if code == "Q":
            out["chuc_vu"] = rest_2
            for piece in lines[second_at + 1:]:
                closing.drop(piece)
            return out
        out["thay_mat_2"] = _titles(out, [p.plain for p in lines[second_at + 1:]], [rest_2])
        return out
    out["thay_mat"] = _titles(out, [p.plain for p in lines[1:]], [rest])
    return out


def _aside(text: str) -> bool:
    """Tell whether a line of the signature block is a note in brackets, not a title."""
    return text.startswith("(") and text.endswith(")")


def _titles(out: dict[str, str], texts: list[str], principal: list[str]) -> str:
    """Set the chức vụ (the last title before «kiêm» or the name) and the kiêm line; return the principal's name,
    `principal` continued by the titles above the chức vụ."""
    folded_texts = [fold(text) for text in texts]
    at = folded_texts.index(_KIEM) if _KIEM in folded_texts else len(texts)
    titles, out["kiem"] = texts[:at], " ".join(texts[at + 1:])
    if principal:
        out["chuc_vu"] = titles[-1] if titles else ""
        return " ".join([*principal, *titles[:-1]]).strip()
    out["chuc_vu"] = " ".join(titles)
    return ""
