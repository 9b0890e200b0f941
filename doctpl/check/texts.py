"""The fixed lines the checker looks for, recognised however they were typed.

A clerk may type the Quốc hiệu with «HOÀ» (old-style tone placement), in decomposed Unicode (NFD), over
two lines (a line break, or two paragraphs), in another case, or with a look-alike of «Đ»; the same
holds for «ĐẢNG CỘNG SẢN VIỆT NAM». Lines are compared folded (doctpl.vn.text.fold).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from doctpl.check.findings import titles
from doctpl.check.reader import Para
from doctpl.vn.text import fold, nfc

QUOC_HIEU = "cộng hòa xã hội chủ nghĩa việt nam"
DANG_TITLE = "đảng cộng sản việt nam"
_LOOK_ALIKES = str.maketrans({"ð": "đ", "ɖ": "đ", "\u00a0": " "})  # Ð (eth) and Ɖ (African D) for Đ
_SPACES = re.compile(r"\s+")
_TIEU_NGU_LIKE = re.compile(r"^độc lập\s*[-–—]\s*tự do\s*[-–—]\s*hạnh phúc$")
_DATE_START, _NAM = re.compile(r",\s*ngày\b"), re.compile(r"\bnăm\b")
DATE = re.compile(r"^(?P<place>[^,]+), ngày (?P<d>\d{1,2}|\s+) tháng (?P<m>\d{1,2}|\s+) năm (?P<y>\d{4})$")
_LOOSE_DATE = re.compile(r"ngày\s*(?P<d>\d{1,2})\s*tháng\s*(?P<m>\d{1,2})\s*năm\s*(?P<y>\d{4})|năm\s*(?P<year>\d{4})")


def folded(text: str) -> str:
    """Return a line for comparison: folded, look-alike letters replaced, spaces and line breaks as one space."""
    return _SPACES.sub(" ", fold(text).translate(_LOOK_ALIKES)).strip()


def find_line(paragraphs: list[Para], target: str, limit: int = 40) -> list[Para]:
    """Return the paragraph (or the two consecutive ones of one cell) reading `target`, among the first `limit`."""
    first = paragraphs[:limit]
    for index, para in enumerate(first):
        text = folded(para.text)
        if text == target:
            return [para]
        following = next((p for p in first[index + 1:] if p.where == para.where and p.text.strip()), None)
        if text and following is not None and target.startswith(text + " ") and \
                folded(para.text + " " + following.text) == target:
            return [para, following]
    return []


def tieu_ngu_like(text: str) -> bool:
    """Tell whether a paragraph reads as the Tiêu ngữ, whatever its dashes, case or line breaks."""
    return bool(_TIEU_NGU_LIKE.match(folded(text)))


def date_like(text: str) -> bool:
    """Tell whether «, ngày» is followed by «năm» on its line, in one pass (a regex ",ngày.*năm" is quadratic)."""
    searched = -1  # the end of the last line searched in vain: a later «, ngày» on it finds nothing more
    for start in _DATE_START.finditer(text):
        end = text.find("\n", start.end())
        end = len(text) if end < 0 else end
        if end != searched:
            if _NAM.search(text, start.end(), end):
                return True
            searched = end
    return False


def date_of(text: str) -> tuple[dt.date, bool] | None:
    """Return the date a date line gives and whether it names the day (else 1 January of its year), or None."""
    match = _LOOSE_DATE.search(nfc(text))
    if match is None:
        return None
    try:
        if match.group("y"):
            return dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d"))), True
        return dt.date(int(match.group("year")), 1, 1), False
    except ValueError:
        return None


@cache
def _title_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for written, _kind in titles():
        if written.endswith(".") or written.isupper():  # an abbreviation: as written, then a dot or a space
            out.append((re.compile(re.escape(written.rstrip(".")) + r"(?:\.|\s|,)"), written))
        else:  # a word (a rank): in any case and tone placement, then a space
            out.append((re.compile(re.escape(folded(written)) + r"\s"), written))
    return tuple(sorted(out, key=lambda item: -len(item[1])))


def title_before(name: str) -> str | None:
    """Return the title or degree written before a signer's name («TS.», «Đại tá»), or None."""
    text = nfc(name).strip()
    for pattern, written in _title_patterns():
        if pattern.match(text if written.endswith(".") or written.isupper() else folded(text) + " "):
            return written
    return None


def lower_initial(text: str) -> bool:
    """Tell whether a trích yếu starts with a lower-case word (an abbreviation such as UBND may lead it)."""
    text = text.strip()
    letters = [char for char in text if char.isalpha()]
    if not letters or text == text.upper():
        return False
    first = text.split(" ", 1)[0]
    return letters[0].islower() or (len(first) > 1 and first.isupper())
