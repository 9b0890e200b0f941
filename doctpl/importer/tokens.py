"""What changes with the year, found in typed text and turned into doctpl's tokens, so the import rolls over.

- «91 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2021)» → [[ky_niem:thanh_lap_dang]],
  when the count and the dates are those of the catalogue for the document's year;
- «76 năm ngày Cách mạng tháng Tám» (the count, and the event's name or its first words) → [[so_nam:…]] năm …;
- the Can Chi of the year («Tân Sửu») → [[can_chi]];
- «năm 2021», the document's year, → «năm [[nam]]»; never in a full date («ngày 29 tháng 3 năm 2021») nor in a
  range of years («nhiệm kỳ 2021 - 2026»), which stay as typed.

Matching is done on the folded text (doctpl.vn.text.fold keeps the length), so case and old-style tone marks
(«Đảng cộng sản», «Thành uỷ») do not matter.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from doctpl.facts import Anniversary, anniversaries
from doctpl.vn.canchi import can_chi
from doctpl.vn.text import fold

_COUNT = re.compile(r"(?<![\d/.,])(\d{1,4})\s+năm\s+")
_PERIOD = re.compile(r"\s*\(\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*[-–—]\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*\)")
_YEAR = r"(?<![\d/.\-])(năm\s+)({year})(?![\d/]|\s*[-–—]\s*\d)"
_FULL_DATE = re.compile(r"tháng\s*\d{1,2}\s*$")
NAME_WINDOW = 200  # characters after «N năm» that may hold the event's name (the longest is under 100)
PREFIX_WORDS = 4  # the first words of an event's name that name it when the rest differs («ngày Cách mạng tháng Tám»)


@cache
def _names() -> tuple[tuple[str, tuple[str, ...], Anniversary], ...]:
    """Return each event's folded name and its words, longest first."""
    found = [(fold(event.ten), tuple(fold(event.ten).split()), event) for event in anniversaries().values()]
    return tuple(sorted(found, key=lambda item: -len(item[0])))


def _event_at(folded_text: str, start: int, count: int, year: int) -> tuple[Anniversary, int, bool] | None:
    """Return the event whose name starts at `start` and is `count` years old in `year`, the name's end, and
    whether the whole name was typed (else only its first words)."""
    words = folded_text[start:start + NAME_WINDOW].split()
    best, best_shared = None, PREFIX_WORDS - 1
    for name, name_words, event in _names():
        if event.years(year) != count:
            continue
        if folded_text.startswith(name, start):
            return event, start + len(name), True
        shared = 0
        while shared < min(len(words), len(name_words)) and words[shared] == name_words[shared]:
            shared += 1
        if shared > best_shared:
            best, best_shared = event, shared
    return (best, start, False) if best is not None else None


def _anniversaries(text: str, year: int) -> str:
    folded_text = fold(text)
    out, position = [], 0
    for match in _COUNT.finditer(folded_text):
        if match.start() < position:
            continue
        found = _event_at(folded_text, match.end(), int(match.group(1)), year)
        if found is None:
            continue
        event, end, whole = found
        period = _PERIOD.match(folded_text, end) if whole else None
        if period and _dates(period) == (event.ngay, event.ngay.replace(year=year)):
            out += [text[position:match.start()], f"[[ky_niem:{event.id}]]"]
            position = period.end()
        else:
            out += [text[position:match.start()], f"[[so_nam:{event.id}]]", text[match.end(1):match.end()]]
            position = match.end()
    return "".join(out) + text[position:]


def _dates(period: re.Match[str]) -> tuple[dt.date | None, dt.date | None]:
    try:
        d1, m1, y1, d2, m2, y2 = (int(value) for value in period.groups())
        return dt.date(y1, m1, d1), dt.date(y2, m2, d2)
    except ValueError:
        return None, None


def _can_chi(text: str, year: int) -> str:
    name = fold(can_chi(year))
    folded_text, out, position = fold(text), [], 0
    for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", folded_text):
        out += [text[position:match.start()], "[[can_chi]]"]
        position = match.end()
    return "".join(out) + text[position:]


def _year(text: str, year: int) -> str:
    folded_text, out, position = fold(text), [], 0
    for match in re.finditer(_YEAR.format(year=year), folded_text):
        if _FULL_DATE.search(folded_text[max(0, match.start() - 12):match.start()]):
            continue
        out += [text[position:match.start(2)], "[[nam]]"]
        position = match.end(2)
    return "".join(out) + text[position:]


def tokenise(text: str, year: int | None) -> str:
    """Return `text` with the anniversaries, the Can Chi and the document's year written as tokens."""
    if not text or not year or "[[" in text:  # a text already holding tokens (or «[[» typed) is left alone
        return text
    return _year(_can_chi(_anniversaries(text, year), year), year)
