"""What typed lines mean: the numbering of the body, and the fixed lines of the header and the closing.

Every pattern reads NFC text however the clerk typed it: «TM.», «TM», «T/M» or «T.M»; «Số: 01/KH-KTĐ1» or
«Số 01-KH/KTĐ1»; «Lưu: VT, TH.» or «- Lưu HSQT.»; «Phần thứ nhất», «PHẦN I»; «I.», «1.», «1.1.», «a)», «-»,
«+», «Quý I:».
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from doctpl.check.texts import folded
from doctpl.kind import kinds
from doctpl.vn.text import fold, upper

_ROMAN = re.compile(r"^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_PHAN = re.compile(r"^phần\s+(?P<n>thứ\s+\w+|[IVXLC]+\b|\d{1,2}\b)\s*[.:\-–—]?\s*(?P<rest>.*)$", re.I)
_MUC = re.compile(r"^(?P<n>[IVXL]{1,7})\s*[.):\-–]\s*(?P<rest>.*)$")
_KHOAN = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){0,3})\s*[.)]\s+(?P<rest>\S.*)$|"
                    r"^(?P<m>\d{1,2}(?:\.\d{1,2}){1,3})\s+(?P<upper>\S.*)$")
_DIEM = re.compile(r"^(?P<n>[a-zđ])\s?\)\s*(?P<rest>\S.*)$")
_QUY = re.compile(r"^quý\s+(?P<n>IV|I{1,3}|[1-4])\s*[:.\-–]\s*(?P<rest>.*)$", re.I)
_GACH = re.compile(r"^[-–—•·▪◦‒]\s*(?P<rest>[^\s\-–—].*)$")
_CONG = re.compile(r"^\+\s*(?P<rest>\S.*)$")
ORDINALS = ("nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười")

_RULE = re.compile(r"^[\s_\-–—=.·~*]*$")
_SIGN = re.compile(r"^(?P<code>T\s*[./]?\s*M|K\s*[./]?\s*T|T\s*[./]?\s*L|T\.?\s*U\.?\s*Q|Q)\s*[.:]?\s+(?P<rest>\S.*)$")
_NOI_NHAN = re.compile(r"^nơi\s+nhận\s*:?\s*(?P<rest>.*)$")
_LUU = re.compile(r"^[-–—•+]?\s*lưu\s*:?\s*(?P<rest>.*)$")
_KINH_GUI = re.compile(r"^kính\s+gửi\s*:?\s*(?P<rest>.*)$")
_SO = re.compile(r"^số\s*:?\s*(?P<so>\d*)\s*(?:/\s*\d{4}\s*)?(?P<sep>[/-])\s*(?P<sym>\S.*)$", re.I)
_DATE = re.compile(r"^(?P<place>[^,]{1,80}),\s*ngày\s*(?P<d>\d{1,2})?[\s.…_]*tháng\s*(?P<m>\d{1,2})?[\s.…_]*"
                   r"năm\s*(?P<y>\d{4})\s*$")
_EDGES = re.compile(r"^[\s\-–—•+*]+|[\s,;.]+$")
_END_MARK = re.compile(r"\s*\.?\s*/\s*\.\s*$")
CAN_CU_WORDS = ("căn cứ", "thực hiện", "theo ", "xét ", "triển khai", "tiếp tục thực hiện", "thi hành")
TYPE_NAMES = ("kế hoạch", "báo cáo", "giao ước thi đua", "giao ước", "bản đăng ký thi đua", "bản đăng ký",
              "đăng ký thi đua", "chương trình", "thông báo", "quyết định", "hướng dẫn", "tờ trình", "công văn")
SIGN_CODES = {"TM": "TM", "KT": "KT", "TL": "TL", "TUQ": "TUQ", "Q": "Q"}


@dataclass(frozen=True)
class Label:
    """A typed number at the start of a body line: its kind, its depth (1.1. is 2), its length, the text after."""

    kind: str  # phan, muc, khoan, diem, quy, gach, cong
    depth: int
    length: int
    rest: str
    value: str


def label(text: str) -> Label | None:
    """Return the numbering a body line starts with, or None for a plain paragraph."""
    if (match := _PHAN.match(text)) and (_ROMAN.match(match["n"].upper()) or match["n"][:3].lower() == "thứ"
                                           or match["n"].isdigit()):
        return Label("phan", 1, match.start("rest"), match["rest"], match["n"])
    if (match := _QUY.match(text)):
        return Label("quy", 1, match.start("rest"), match["rest"], match["n"])
    if (match := _MUC.match(text)) and _ROMAN.match(match["n"]) and match["rest"][:1] not in ("/",):
        return Label("muc", 1, match.start("rest"), match["rest"], match["n"])
    if (match := _KHOAN.match(text)) and (match["n"] or match["upper"][0].isupper()):  # «3.5 triệu» is no khoản
        number = match["n"] or match["m"]
        start = match.start("rest") if match["n"] else match.start("upper")
        return Label("khoan", number.count(".") + 1, start, text[start:], number)
    if (match := _DIEM.match(text)):
        return Label("diem", 1, match.start("rest"), match["rest"], match["n"])
    if not is_rule(text) and (match := _GACH.match(text)):
        return Label("gach", 1, match.start("rest"), match["rest"], "-")
    if (match := _CONG.match(text)):
        return Label("cong", 1, match.start("rest"), match["rest"], "+")
    return None


def starts_item(text: str) -> bool:
    """Tell whether a line opens a numbered or dashed item."""
    return label(text) is not None


def is_rule(text: str, drawing: bool = False) -> bool:
    """Tell whether a line is a drawn or typed rule («_____», «-----», «*»), not text."""
    if not text.strip():
        return drawing
    stripped = text.strip()
    return bool(_RULE.match(stripped)) and (len(stripped.replace(" ", "")) >= 3 or stripped == "*")


def is_caps(text: str) -> bool:
    """Tell whether a line is written in capitals (it has letters, none of them lower case)."""
    return any(char.isalpha() for char in text) and text == upper(text)


def sign(text: str) -> tuple[str, str] | None:
    """Return (quyền hạn code, what follows) of a signature line «TM. ỦY BAN NHÂN DÂN», «K/T CHỦ TỊCH», or None."""
    match = _SIGN.match(text)
    if match is None:
        return None
    code = re.sub(r"[\s./]", "", match["code"])
    marked = code != "Q" and any(char in text[:match.end("code") + 1] for char in "./")  # «TM.», «T/M»: no word
    if not (is_caps(match["rest"]) or marked):
        return None
    return SIGN_CODES[code], match["rest"].strip()


def noi_nhan(text: str) -> str | None:
    """Return what follows «Nơi nhận:» on its line, or None for another line."""
    match = _NOI_NHAN.match(fold(text))
    return text[match.start("rest"):].strip() if match else None


def luu(text: str) -> str | None:
    """Return the archive units of a «Lưu» line («- Lưu: VT, TH.» gives «VT, TH»), or None for another line."""
    match = _LUU.match(fold(text))
    return _EDGES.sub("", text[match.start("rest"):]) if match else None


def kinh_gui(text: str) -> str | None:
    """Return what follows «Kính gửi:» on its line, or None for another line."""
    match = _KINH_GUI.match(fold(text))
    return text[match.start("rest"):].strip() if match else None


def entry(text: str) -> str:
    """Return a list entry without its dash and its closing «;», «,» or «.»."""
    return _EDGES.sub("", text)


@dataclass(frozen=True)
class Number:
    """The Số line: the number (None when left blank), the type abbreviation, the issuer's ký hiệu, the form."""

    so: int | None
    loai: str
    ky_hieu: str
    dang: bool


def so_line(text: str) -> Number | None:
    """Read «Số: 01/KH-KTĐ1» (state) or «Số 01-KH/KTĐ1» (Party); None for another line."""
    match = _SO.match(text.strip())
    if match is None:
        return None
    symbol = match["sym"].replace(" ", "")
    dang = match["sep"] == "-" and "/" in symbol
    loai, _, ky_hieu = symbol.partition("/" if dang else "-")
    if not ky_hieu:
        return None
    return Number(int(match["so"]) if match["so"] else None, loai, ky_hieu, dang)


def date_line(text: str) -> tuple[str, dt.date | None, int] | None:
    """Read «Đà Lạt, ngày 08 tháng 4 năm 2021» (or its blanks): place, date (None when blank), year."""
    match = _DATE.match(" ".join(text.split()))
    if match is None:
        return None
    year = int(match["y"])
    try:
        day = dt.date(year, int(match["m"]), int(match["d"])) if match["d"] and match["m"] else None
    except ValueError:
        day = None
    return match["place"].strip(), day, year


def can_cu(text: str) -> bool:
    """Tell whether a line cites a basis: «Căn cứ …», «Thực hiện …», with or without a leading dash."""
    return fold(entry(text) if text[:1] in "-–—•+" else text).startswith(CAN_CU_WORDS)


def type_name(text: str) -> bool:
    """Tell whether a line is a document type name in capitals: «KẾ HOẠCH», «BÁO CÁO», «GIAO ƯỚC THI ĐUA»."""
    return is_caps(text) and folded(text) in _type_names()


@cache
def _type_names() -> frozenset[str]:
    """Return the usual type names and every kind's, folded as the lines are («hoạch» reads «họach»)."""
    return frozenset({folded(name) for name in TYPE_NAMES} | {folded(kind.ten_loai) for kind in kinds()})


def without_end_mark(text: str) -> str:
    """Return text without a typed «./.» at its end (doctpl writes the end mark of the thể thức)."""
    return _END_MARK.sub("", text) if text.rstrip().endswith("/.") else text


def ends_content(text: str) -> bool:
    """Tell whether a line ends the content with «./.»."""
    return text.rstrip().endswith("/.")
