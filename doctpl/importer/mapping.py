"""The parts of a typed document as one kind's data: the shared fields, then the body as that kind holds it.

A kind whose body is the shared tree (kế hoạch, sơ kết, tổng kết) takes it whole; what a kind holds besides
(the sơ kết's period, the giao ước's lists and grid, the đăng ký's tables) is read in one small function per
kind, a section going where its title says. A section, a field or a paragraph the kind has no place for is
listed, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from doctpl import facts
from doctpl.fields import Repeat
from doctpl.importer.document import Parsed
from doctpl.importer.header import fields as header_fields
from doctpl.importer.result import Unplaced
from doctpl.importer.text import Piece
from doctpl.importer.tree import Section, Tree
from doctpl.kind import Kind
from doctpl.parts.body_table import cells
from doctpl.vn.text import fold

SIGNER = ("tham_quyen", "thay_mat", "tham_quyen_2", "thay_mat_2", "chuc_vu", "kiem", "ho_ten")
_QUOTED = re.compile(r"[“«\"](?P<theme>.+)[”»\"]")
_ROLES = {"trưởng khối": "truong_khoi", "phó khối": "pho_khoi", "trưởng cụm": "truong_khoi", "phó cụm": "pho_khoi"}
_ROLE = re.compile(r"\s*\((?P<role>trưởng khối|phó khối|trưởng cụm|phó cụm|thành viên)\)\s*[;,.]?$", re.I)


def _listed(found: list[Piece]) -> list[Unplaced]:
    return [Unplaced(piece.line.number, piece.line.where, piece.plain) for piece in found]


def _headings(section: Section) -> list[Unplaced]:
    return _listed(section.headings)


def _slot(section: Section, slots: dict[str, tuple[str, ...]]) -> str | None:
    """Return the field a section goes to by the words of its title, or None."""
    title = fold(section.tieu_de)
    return next((name for name, words in slots.items() if any(word in title for word in words)), None)


def lines(blocks: list[dict[str, Any]]) -> list[str]:
    """Return blocks as the lines of one text: dashes kept, titles on their own line, tables a row a line."""
    out: list[str] = []
    for block in blocks:
        kind = block["loai"]
        if kind == "quy":
            out.append(f"{block['mo_dau']} “{block['chu_de']}” {block['ket']}".strip())
        elif kind == "bang":
            out += [text for text in (block["tieu_de"], block["cot"], *block["dong"].split("\n")) if text]
        else:
            out += [block["tieu_de"]] if block.get("tieu_de") else []
            texts = [text for text in block.get("van_ban", "").split("\n") if text]
            prefix = {"gach": "- ", "cong": "+ "}.get(kind, "")
            out += [prefix + text if index == 0 else text for index, text in enumerate(texts)]
        out += lines(block.get("con", []))
    return out


_DOT = re.compile(r"từ ngày (\d{1,2})/(\d{1,2})/(\d{4}) đến ngày (\d{1,2})/(\d{1,2})/(\d{4})")


def _iso(day: str | None, month: str | None, year: str | None) -> str | None:
    return f"{year}-{int(month):02d}-{int(day):02d}" if day and month and year else None


def _period(raw: dict[str, Any], parsed: Parsed) -> list[Unplaced]:
    """Set the period of a sơ kết from its trích yếu: 6 tháng, a quý, or a đợt with its name and its dates (the first
    «từ ngày … đến ngày …» of the text); the body is the shared tree."""
    title = fold(parsed.trich_yeu)
    quarter = re.search(r"quý\s+(iv|i{1,3})\b", title)
    raw["ky_niem"] = []
    if "đợt" in title:
        quoted = _QUOTED.search(parsed.trich_yeu)
        texts = [parsed.trich_yeu, *parsed.can_cu, parsed.loi_mo_dau, *lines(parsed.tree.blocks())]
        span = next((match for text in texts if (match := _DOT.search(fold(text)))), None)
        day, month, year, *until = span.groups() if span else (None,) * 6
        raw.update({"ky": "dot", "dot_ten": quoted["theme"] if quoted else "",
                    "dot_tu": _iso(day, month, year), "dot_den": _iso(*until)})
    elif quarter:
        raw.update({"ky": "quy", "quy": str(("i", "ii", "iii", "iv").index(quarter.group(1)) + 1)})
    else:
        raw["ky"] = "6_thang"
    return []


def _giao_uoc(raw: dict[str, Any], parsed: Parsed) -> list[Unplaced]:
    """Map a giao ước: the theme and the unit list of its opening, its three sections, the signature grid."""
    out: list[Unplaced] = []
    lead: list[str] = []
    for piece, text in zip(parsed.sources.get("loi_mo_dau", []), raw.get("loi_mo_dau", "").split("\n"), strict=False):
        theme = _QUOTED.search(piece.plain) if fold(piece.plain).startswith("chủ đề thi đua") else None
        if theme:
            raw["chu_de"] = theme["theme"].strip(" *")
        elif not re.match(r"^các đơn vị trong .* gồm:?$", fold(piece.plain)):  # doctpl writes this line itself
            lead.append(text)
    raw["loi_mo_dau"] = "\n".join(lead)
    units = {fold(unit["ten"]): unit for unit in parsed.closing.units}
    slots = {"noi_dung_giao_uoc": ("nội dung",), "chi_tieu": ("chỉ tiêu",), "to_chuc_thuc_hien": ("tổ chức",)}
    found: dict[str, list[str]] = {"noi_dung_giao_uoc": [], "chi_tieu": [], "to_chuc_thuc_hien": []}
    for section in parsed.tree.sections:
        name = _slot(section, slots) if section.tieu_de else "members"
        if name == "members":
            for block in section.blocks:
                text = (block.get("tieu_de") or block.get("van_ban") or "").split("\n")[0]
                role = _ROLE.search(text)
                unit = units.get(fold(_ROLE.sub("", text).rstrip(" ;,.")))
                if unit is not None and role:
                    unit["vai_tro"] = _ROLES.get(fold(role["role"]), "")
                elif unit is None:
                    out += parsed.tree.listed(block)
        elif name in found:
            found[name] += ["\n".join(lines([block])) for block in section.blocks]
        else:
            out += _headings(section) + [item for block in section.blocks for item in parsed.tree.listed(block)]
    raw.update(found)
    raw["don_vi_ky"] = [{"ten": unit["ten"], "vai_tro": unit.get("vai_tro", ""),
                         **{key: unit.get(key, "") for key in SIGNER}} for unit in parsed.closing.units]
    raw["so_cot"] = "3" if parsed.closing.columns >= 3 else "2"
    return out


def _reward(text: str, loai: str, who: str) -> str | None:
    """Return the code of a danh hiệu or hình thức typed by its name ("" for a blank cell, None when unknown)."""
    if not text.strip():
        return ""
    for names in (facts.reward_names(loai, who), facts.rewards(loai, who)):  # as printed, or as the list names it
        found = next((code for code, name in names.items() if fold(name) == fold(text.strip())), None)
        if found is not None:
            return found
    return None


def _dang_ky(raw: dict[str, Any], parsed: Parsed) -> list[Unplaced]:
    """Map a bản đăng ký: its two tables of units and people, the number of staff, the pledges."""
    out: list[Unplaced] = []
    raw.update({"tap_the": [], "ca_nhan": [], "cam_ket": []})
    for section in parsed.tree.sections:
        if "cam kết" in fold(section.tieu_de):
            raw["cam_ket"] += lines(section.blocks)
            continue
        if "đăng ký danh hiệu" not in fold(section.tieu_de):  # doctpl writes those two headings itself
            out += _headings(section)
        for block in section.blocks:
            staff = re.search(r"tổng số cá nhân đăng ký:\s*\d+\s*/\s*(\d+)", fold(block.get("van_ban", "")))
            if staff:
                raw["tong_so_nguoi"] = int(staff.group(1))
            elif block["loai"] != "bang" or not _registration(raw, block):
                out += parsed.tree.listed(block)
    return out


def _registration(raw: dict[str, Any], block: dict[str, Any]) -> bool:
    """Read a table of registrations into `tap_the` or `ca_nhan`; False when it is neither or a name is unknown."""
    heads = [fold(text) for text in cells(block["cot"])]
    who = "ca_nhan" if any("họ" in head and "tên" in head for head in heads) else \
        "tap_the" if any("tập thể" in head for head in heads) else None
    if who is None:
        return False
    at = {key: next((i for i, head in enumerate(heads) if any(word in head for word in words)), None)
          for key, words in (("ten", ("tên",)), ("chuc_vu", ("chức vụ",)), ("danh_hieu", ("danh hiệu",)),
                             ("hinh_thuc", ("hình thức",)))}
    rows = []
    for row in (cells(line) for line in block["dong"].split("\n") if line.strip()):
        def cell(key: str, row: list[str] = row) -> str:
            return row[at[key]] if at[key] is not None and at[key] < len(row) else ""
        titles = (_reward(cell("danh_hieu"), "danh_hieu", who), _reward(cell("hinh_thuc"), "hinh_thuc", who))
        if None in titles:
            return False
        item = {"ho_ten" if who == "ca_nhan" else "ten": cell("ten"), "danh_hieu": titles[0], "hinh_thuc": titles[1]}
        rows.append(item | ({"chuc_vu": cell("chuc_vu")} if who == "ca_nhan" else {}))
    raw[who] += rows
    return True


# What a kind holds besides the shared fields and the body tree: its own fields, read in one function each.
OWN: dict[str, Callable[[dict[str, Any], Parsed], list[Unplaced]]] = {
    "bao_cao_so_ket": _period, "giao_uoc": _giao_uoc, "dang_ky": _dang_ky}


def _has_tree(kind: Kind) -> bool:
    """Tell whether the kind's body is the shared tree of sections (a `noi_dung` of sections with their blocks)."""
    body = next((f for f in kind.fields if f.name == "noi_dung"), None)
    item = getattr(body, "item", None)
    return isinstance(body, Repeat) and any(f.name == "thanh_phan" for f in getattr(item, "fields", ()))


def data_for(kind: Kind, parsed: Parsed) -> tuple[dict[str, Any], list[Unplaced]]:
    """Return the kind's raw data from the parsed document and what it has no field for."""
    names = {f.name for f in kind.fields}
    raw = header_fields(parsed.head) | {"trich_yeu": parsed.trich_yeu}
    out: list[Unplaced] = []
    for name, value in (("kinh_gui", parsed.kinh_gui), ("can_cu", parsed.can_cu), ("loi_mo_dau", parsed.loi_mo_dau)):
        if name in names:
            raw[name] = value
        else:
            out += _listed(parsed.sources.get(name, []))
    grid = bool(parsed.closing.units)
    if "nguoi_ky" in names and not grid:
        raw["nguoi_ky"] = {key: parsed.closing.nguoi_ky.get(key, "") for key in SIGNER}
    elif grid != ("don_vi_ky" in names):  # one signer where the kind has a grid, or the other way round
        out += _listed(parsed.closing.signer_pieces)
    if "noi_nhan" in names:
        raw["noi_nhan"] = parsed.closing.noi_nhan
    if _has_tree(kind):
        raw["kieu_phan"] = parsed.tree.kieu_phan or "thu"
        raw["noi_dung"] = parsed.tree.raw()
    if kind.id in OWN:
        out += OWN[kind.id](raw, parsed)
    elif not _has_tree(kind):
        out += _all(parsed.tree)
    return raw, out


def _all(tree: Tree) -> list[Unplaced]:
    return [item for section in tree.sections
            for item in _headings(section) + [u for block in section.blocks for u in tree.listed(block)]]
