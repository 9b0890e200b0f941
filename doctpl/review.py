"""Stale facts: what a document's free text says that may no longer hold on the document's date.

The review reads every free text of the data as it is entered, [[…]] tokens unexpanded (what a
token computes from the year is never stale), paragraph by paragraph, and reports:

- a registry name no longer in force (`names`, from the registry), written in any case and with
  old- or new-style tone marks (Thành uỷ, Thành ủy, THÀNH ỦY);
- a term that does not fit the date: «khóa XV», «lần thứ XIII», «nhiệm kỳ 2021 - 2026»
  (see `_term_reason` for the rule, which reads doctpl/data/nhiem_ky.csv through facts.terms);
- a catalogued legal document cited outside the căn cứ lines that is not in force (the căn cứ
  lines have their own warning, body.can_cu_warnings);
- a date or a year that is not the document's year: «08/4/2021», «ngày 5 tháng 1 năm 2021»,
  «tháng 6 năm 2021», «năm 2021», «15/2021/KH-UBND». Not reported: the number and issue date of a
  catalogued legal document in force («Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025»), the
  start of an anniversary period «(03/02/1930 – 03/02/2021)» (only its end must be the year), a
  span of years that includes the year («giai đoạn 2021 – 2025» in 2023), and the year before the
  document's in a clause that looks back («tổng kết … năm 2020», «so với năm 2020» in a 2021 plan);
- a Can Chi that is not the year's («năm Bính Ngọ» in a 2027 plan, which is Đinh Mùi).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from doctpl import facts, markup
from doctpl.fields import Field, Group, Repeat, Text, describe, map_scalars
from doctpl.kind import Kind
from doctpl.vn.canchi import CAN, CHI, can_chi
from doctpl.vn.dates import short_date
from doctpl.vn.numbering import letter, roman
from doctpl.vn.text import fold, nfc

_YEAR = r"(?:19|20)\d\d"
_ANY_YEAR = re.compile(_YEAR)
_DASH = r"\s*[-–—]\s*"
_NUMERIC_DATE = r"\d{1,2}/\d{1,2}/" + _YEAR
# Old-style tone placement (uỷ, hoà, khoá) writes the same word as the new style (ủy, hòa, khóa).
# A document number with its year (98/2023/NĐ-CP), with the issue date that follows it.
_NUMBER = re.compile(rf"(?<![\w/])\d{{1,4}}/({_YEAR})/[\w-]*\w"
                     rf"(?:,?\s+ngày\s+(?:{_NUMERIC_DATE}|\d{{1,2}}\s+tháng\s+\d{{1,2}}\s+năm\s+{_YEAR}))?")
# A sentence that says what the year is («Năm [[nam]] … là năm tổ chức Đại hội …», «năm đầu tiên thực hiện …»).
_YEAR_EVENT = re.compile(r"là năm|năm đầu tiên|năm tổ chức|năm diễn ra|năm bầu cử")
_TERM = re.compile(rf"(?<!\w)(?:khóa\s+([ivxlc]+)|lần\s+thứ\s+([ivxlc]+)|nhiệm\s+kỳ\s+({_YEAR}){_DASH}({_YEAR}))(?!\w)")
_PERIOD = re.compile(rf"(?<![\w/]){_NUMERIC_DATE}{_DASH}\d{{1,2}}/\d{{1,2}}/({_YEAR})(?![\w/])")
_SPAN = re.compile(rf"(?<![\w/.,])({_YEAR}){_DASH}({_YEAR})(?![\w/]|[.,]\d)")
# A year on its own or ending a date (08/4/2021, ngày 5 tháng 1 năm 2021); not a number's first part (2013/UBND).
_DATE = re.compile(rf"(?<!\w)(?<!\d[.,])({_YEAR})(?![\w/]|[.,]\d)")
_CLAUSE = re.compile(r"[.;:!?“”\"()]")  # a clause that looks back: «tổng kết … năm 2020»
_LOOK_BACK = ("tổng kết", "so với")
_PHRASE = re.compile(r"[.;,:!?]")  # a term's body is named in the phrase before it
_RESOLUTION = re.compile(r"(?<!\w)(?:nghị quyết|kết luận|chỉ thị|quy định|hướng dẫn)(?!\w)")
_TERM_WORDS = {"khoa": "khóa", "lan_thu": "lần thứ"}
_TERM_HINTS = ("khóa", "lần thứ", "nhiệm kỳ")
_ROMAN = {roman(number): number for number in range(1, 40)}
_COMMON = frozenset({"của", "các", "cấp"})
_LABEL_WORDS = 7


@dataclass(frozen=True)
class Finding:
    """A fact in the free text that may no longer hold: where (path and words), why, and the excerpt."""

    field: str
    label: str
    reason: str
    text: str


_CAN_CHI_NAMES = {fold(can_chi(year)): can_chi(year) for year in range(60)}
_CAN_CHI = re.compile(rf"(?<!\w)(?:{'|'.join(map(fold, CAN))})\s+(?:{'|'.join(map(fold, CHI))})(?!\w)")


def stale_facts(kind: Kind, data: Mapping[str, Any], on: dt.date, names: Mapping[str, str] = {}) -> list[Finding]:
    """Return every fact of the free text that may no longer hold on `on` (the year of `on` is the document's).

    `names` maps registry names not in force on `on` to why, in words. One finding per place
    (field and paragraph) and reason; the excerpt is the first occurrence.
    """
    stale = frozenset(names.items())
    out: dict[tuple[str, str, str], Finding] = {}
    for path, text in free_texts(kind.fields, data):
        for paragraph in nfc(text).split("\n"):
            for reason, start, end in _scan(on, stale, path.startswith("can_cu"), paragraph):
                label = locate(kind.fields, data, path, paragraph)
                out.setdefault((path, label, reason), Finding(path, label, reason, excerpt(paragraph, start, end)))
    return list(out.values())


# What a rolled document says about its old year that the new year changes: the khối's roles, and
# the events of that year (an election, a congress) spoken of as this year's.
_ROLE = re.compile(r"(?<!\w)(?:trưởng khối|phó khối|khối trưởng|khối phó|cụm trưởng|cụm phó|trưởng cụm|phó cụm)(?!\w)")
_EVENT = re.compile(r"(?<!\w)(?:bầu cử|tổ chức đại hội|năm tổ chức|tổ chức thành công|chuẩn bị|tiến tới|chào mừng)"
                    r"(?!\w)")


def year_bound(kind: Kind, data: Mapping[str, Any], from_year: int, to_year: int) -> list[Finding]:
    """Return what a document rolled from `from_year` says of that year's roles and events, to check for `to_year`."""
    out: dict[tuple[str, str], Finding] = {}
    on = dt.date(to_year, 1, 1)
    rules = _review(on, frozenset())
    for path, text in free_texts(kind.fields, data):
        for paragraph in nfc(text).split("\n"):
            folded = fold(markup.TOKEN.sub(lambda match: " " * len(match.group(0)), paragraph))
            found = []
            # A role said of a body or a year («… là Trưởng khối», «Trưởng khối (Ban …)», «Trưởng khối năm …»),
            # not the role in general («báo cáo về Trưởng khối»).
            role = next((m for m in _ROLE.finditer(folded) if folded[:m.start()].rstrip().endswith(("là", "("))
                         or folded[m.end():m.end() + 6].lstrip().startswith(("(", "năm"))), None)
            if role:
                found.append((f"nói về trưởng, phó khối của năm {from_year}: kiểm tra theo danh mục năm {to_year}",
                              role.span()))
            for clause in re.finditer(r"[^;.]+", folded):
                if not _EVENT.search(clause.group(0)):
                    continue
                for match in _TERM.finditer(folded, clause.start(), clause.end()):
                    if rules._term_start(folded, match) == from_year:
                        found.append((f"sự kiện diễn ra năm {from_year}: kiểm tra còn đúng với năm {to_year} không",
                                      match.span()))
            for reason, (start, end) in found:
                label = locate(kind.fields, data, path, paragraph)
                out.setdefault((path + paragraph[:40], reason),
                               Finding(path, label, reason, excerpt(paragraph, start, end)))
    return list(out.values())


def free_texts(fields: Sequence[Field], data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return (path, text) for every non-empty text value the declaration knows, in form order."""
    found: list[tuple[str, str]] = []

    def visit(path: str, f: Field, value: Any) -> Any:
        if isinstance(f, Text) and not f.secret and isinstance(value, str) and value.strip():
            found.append((path, value))
        return value

    map_scalars(fields, data, visit)
    return found


def excerpt(text: str, start: int, end: int, width: int = 45) -> str:
    """Return the words around text[start:end], with «…» where the text goes on."""
    left = max(0, start - width)
    if left:
        left = min(start, text.find(" ", left) + 1 or start)
    right = min(len(text), end + width)
    if right < len(text):
        right = max(end, text.rfind(" ", end, right))
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


@lru_cache(maxsize=8192)  # a batch renders the same paragraphs again and again
def _scan(on: dt.date, names: frozenset[tuple[str, str]], can_cu: bool, paragraph: str
          ) -> tuple[tuple[str, int, int], ...]:
    """Return (reason, start, end) for each stale fact of one NFC paragraph; `can_cu` for a căn cứ line."""
    return tuple(_review(on, names).scan(can_cu, paragraph))


@lru_cache(maxsize=64)
def _review(on: dt.date, names: frozenset[tuple[str, str]]) -> _Review:
    """Return the rules for one date and one set of stale names."""
    return _Review(on, dict(names))


class _Review:
    """The rules of the module docstring for one date and one set of stale names."""

    def __init__(self, on: dt.date, names: Mapping[str, str]):
        self.on, self.year = on, on.year
        self.names = {fold(name): (name, why) for name, why in names.items() if name.strip()}
        alternatives = "|".join(re.escape(name) for name in sorted(self.names, key=len, reverse=True))
        self.name_pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if self.names else None
        self.terms = facts.terms()

    def scan(self, can_cu: bool, paragraph: str) -> Iterator[tuple[str, int, int]]:
        """Yield (reason, start, end) for each stale fact of one NFC paragraph, in the order of the rules."""
        text = fold(markup.TOKEN.sub(lambda match: " " * len(match.group(0)), paragraph))
        taken: list[tuple[int, int]] = []  # spans a rule has read, which later rules leave alone

        def take(match: re.Match[str]) -> bool:
            if any(match.start() < end and start < match.end() for start, end in taken):
                return False
            taken.append(match.span())
            return True

        for match in self.name_pattern.finditer(text) if self.name_pattern else ():
            name, why = self.names[match.group(0)]
            yield f"«{name}» {why}", match.start(), match.end()
        dated = _ANY_YEAR.search(text) is not None  # most paragraphs name no year: the year rules are skipped
        for basis in facts.legal_bases_cited(paragraph) if dated and "luật" in text else ():  # a Luật: by name
            for match in re.finditer(re.escape(fold(basis.trich_dan.removeprefix("Căn cứ "))), text):
                if take(match) and (reason := self._basis_reason(can_cu, basis)):
                    yield reason, match.start(), match.end()
        for match in _NUMBER.finditer(text) if dated else ():
            if take(match):
                cited = facts.legal_bases_cited(match.group(0))
                reason = self._basis_reason(can_cu, cited[0]) if cited else self._year_reason(int(match.group(1)))
                if reason:
                    yield reason, match.start(), match.end()
        for match in _TERM.finditer(text) if any(word in text for word in _TERM_HINTS) else ():
            if take(match) and (reason := self._term_reason(text, match)):
                yield reason, match.start(), match.end()
        years = [m.start() for m in markup.TOKEN.finditer(paragraph) if m.group(0) == "[[nam]]"]
        for match in _TERM.finditer(text) if years and _YEAR_EVENT.search(text) else ():
            begin = text.rfind(".", 0, match.start()) + 1
            end = text.find(".", match.end()) % (len(text) + 1)
            sentence = text[begin:end]
            if not (_YEAR_EVENT.search(sentence) and any(begin <= at < end for at in years)):
                continue  # only a sentence that says what the year [[nam]] is
            started = self._term_start(text, match)
            clause = text[max(text.rfind(";", 0, match.start()), begin):match.start()]
            first_year = started == self.year - 1 and "năm đầu" in clause  # a term chosen late in the year before
            if started and started != self.year and not first_year:
                yield (f"câu tự điền năm (mã [[nam]], nay là năm {self.year}) nhưng nói về sự kiện của năm {started}: "
                       "kiểm tra lại"), match.start(), match.end()
        for match in _CAN_CHI.finditer(text):
            if (found := _CAN_CHI_NAMES.get(" ".join(match.group(0).split()), "")) not in ("", can_chi(self.year)):
                yield _can_chi_reason(found, self.year), match.start(), match.end()
        for match in _PERIOD.finditer(text) if dated else ():
            if take(match) and int(match.group(1)) != self.year:
                yield (f"kỳ kỷ niệm tính đến năm {match.group(1)}, không phải năm {self.year} "
                       "(mã [[ky_niem:…]] tự tính theo năm)"), match.start(), match.end()
        for match in _SPAN.finditer(text) if dated else ():
            first, last = int(match.group(1)), int(match.group(2))
            if take(match) and not first <= self.year <= last:
                yield f"giai đoạn {first} – {last} không gồm năm {self.year}", match.start(), match.end()
        for match in _DATE.finditer(text) if dated else ():
            found = int(match.group(1))
            if take(match) and not (found == self.year - 1 and _looks_back(text, match)):
                if reason := self._year_reason(found):
                    yield reason, match.start(), match.end()

    def _year_reason(self, year: int) -> str:
        """Say that a year is not the document's, "" when it is."""
        return "" if year == self.year else f"còn ghi năm {year}"

    def _basis_reason(self, can_cu: bool, basis: facts.LegalBasis) -> str:
        """Say why a cited legal document is not in force, "" when it is or when a căn cứ line cites it."""
        state = basis.state_on(self.on)
        return f"dẫn văn bản số {basis.so_hieu}, {state}" if state and not can_cu else ""

    def _term_reason(self, text: str, match: re.Match[str]) -> str:
        """Say why a term mention does not fit the date, "" when it fits.

        A «nhiệm kỳ a - b» is stale once the catalogued term of those years has ended (the HĐND's
        2021 - 2026 on 15/3/2026), or, when none is catalogued, after the year b. A «khóa N» or
        «lần thứ N» belongs to the catalogued body whose distinctive name words (those no other
        body of the table shares: «Quốc hội», «Trung ương», «toàn quốc», «tỉnh Lâm Đồng») fill at
        least half of its clause before the mention. It is stale once that term has ended on the
        date; a resolution of it («Nghị quyết Trung ương 4 (Khoá XII)») only once the term ended
        before the document's year began, since the next term's first year still carries it out.
        A body not in the table is «không xác định»: reported only when N is no catalogued body's
        number at any time of the document's year (a khóa XII in 2021 may be the city's own).
        """
        roman_number, lan_thu, first, last = match.groups()
        start = max(match.start() - 80, max((m.end() for m in _PHRASE.finditer(text, 0, match.start())), default=0))
        before = text[start:match.start()]
        if first:
            label = f"nhiệm kỳ {first} - {last}"
            term = next((t for t in self.terms if t.loai == "nhiem_ky" and t.label == label), None)
            if term is not None:
                return self._ended(term) if term.den_ngay and term.den_ngay < self.on else ""
            return f"{label} đã kết thúc trước năm {self.year}" if int(last) < self.year else ""
        loai, number = ("khoa", roman_number) if roman_number else ("lan_thu", lan_thu)
        number = number.upper()
        if number not in _ROMAN:
            return ""
        body = _body(self.terms, loai, before)
        if body is None:
            if number in {t.so for t in self.terms if t.loai in _TERM_WORDS and _overlaps(t, self.year)}:
                return ""
            return f"{_TERM_WORDS[loai]} {number}: không xác định được nhiệm kỳ; kiểm tra lại"
        own = [t for t in self.terms if t.loai == loai and t.co_quan == body]
        term = next((t for t in own if t.so == number), None)
        if term is None:
            earliest = min(own, key=lambda t: t.tu_ngay)
            if _ROMAN[number] < _ROMAN[earliest.so]:
                return f"{_TERM_WORDS[loai]} {number} của {body} đã qua{self._now(own)}"
            return f"{_TERM_WORDS[loai]} {number} của {body}: không xác định được nhiệm kỳ; kiểm tra lại"
        if _RESOLUTION.search(before):
            if term.den_ngay and term.den_ngay < dt.date(self.year, 1, 1):
                return (f"văn bản của {body} {term.label} ({term.tu_ngay.year} – {term.den_ngay.year}), "
                        f"một nhiệm kỳ đã qua{self._now(own)}: kiểm tra xem còn được tiếp tục thực hiện không")
            return ""
        return self._ended(term) if term.den_ngay and term.den_ngay < self.on else ""

    def _term_start(self, text: str, match: re.Match[str]) -> int | None:
        """Return the year the mentioned term began (a «nhiệm kỳ a - b»: a), None when it is not catalogued."""
        roman_number, lan_thu, first, _ = match.groups()
        if first:
            return int(first)
        loai, number = ("khoa", roman_number) if roman_number else ("lan_thu", lan_thu)
        body = _body(self.terms, loai, text[max(0, match.start() - 80):match.start()])
        term = next((t for t in self.terms if t.loai == loai and t.co_quan == body and t.so == number.upper()), None)
        return term.tu_ngay.year if term else None

    def _ended(self, term: facts.Term) -> str:
        """Say that `term` ended, and which term holds on the date."""
        since = short_date(term.den_ngay + dt.timedelta(days=1)) if term.den_ngay else ""
        own = [t for t in self.terms if t.loai == term.loai and t.co_quan == term.co_quan]
        return f"{term.co_quan} ({term.label}) đã hết nhiệm kỳ từ ngày {since}{self._now(own)}"

    def _now(self, own: Sequence[facts.Term]) -> str:
        """Return «; nay là khóa XVI» for the term of `own` in force on the date, "" when none is."""
        current = next((t for t in own if t.tu_ngay <= self.on and (t.den_ngay is None or self.on <= t.den_ngay)),
                       None)
        return f"; nay là {current.label}" if current else ""


def _overlaps(term: facts.Term, year: int) -> bool:
    """Tell whether `term` was in force at some time of `year`."""
    return term.tu_ngay.year <= year and (term.den_ngay is None or term.den_ngay.year >= year)


@cache
def _distinctive(terms: tuple[facts.Term, ...], loai: str) -> dict[str, frozenset[str]]:
    """Return, for each body of a kind of term, the words of its name that no other body of that kind has."""
    words = {t.co_quan: frozenset(fold(t.co_quan).split()) - _COMMON for t in terms if t.loai == loai}
    return {body: own - frozenset().union(*(other for name, other in words.items() if name != body))
            for body, own in words.items()}


def _body(terms: tuple[facts.Term, ...], loai: str, before: str) -> str | None:
    """Return the catalogued body a mention's clause names: the best share, at least half, of distinctive words."""
    present = set(re.findall(r"\w+", before))
    shares = {body: len(words & present) / len(words) for body, words in _distinctive(terms, loai).items() if words}
    best = max(shares, key=shares.__getitem__, default=None)
    return best if best is not None and shares[best] >= 0.5 else None


def _looks_back(text: str, match: re.Match[str]) -> bool:
    """Tell whether the clause of `match` looks back on the past year («tổng kết …», «so với …»)."""
    start = max((m.end() for m in _CLAUSE.finditer(text, 0, match.start())), default=0)
    return any(word in text[start:match.start()] for word in _LOOK_BACK)


def _can_chi_reason(found: str, year: int) -> str:
    """Say which year a Can Chi names, the nearest to `year`, and what `year` is."""
    offset = next(y for y in range(60) if can_chi(y) == found) - year
    named = year + (offset + 30) % 60 - 30
    return f"«{found}» là năm {named}; năm {year} là năm {can_chi(year)} (mã [[can_chi]] tự tính theo năm)"


def locate(fields: Sequence[Field], data: Mapping[str, Any], path: str, paragraph: str | None = None) -> str:
    """Return the place of `path` in the form's words, the body by its sections and blocks.

    "noi_dung.1.thanh_phan.0.van_ban" -> "Mục II. Nội dung phát động … năm 2027 › đoạn «Năm 2021 có ý nghĩa đặc biệt…»";
    `paragraph` is the paragraph of a multi-line text meant (its first words end the label).
    """
    parts = path.split(".")
    current: Sequence[Field] = fields
    for index, part in enumerate(parts):
        found = next((f for f in current if f.name == part), None)
        if found is None:
            break
        if isinstance(found, Repeat) and isinstance(found.item, Group) and found.item.name in ("muc", "thanh_phan"):
            lead = [] if found.item.name == "muc" else [describe(fields, ".".join(parts[:index + 1]))]
            items = _get(data, parts[:index + 1])
            return " › ".join(lead + _tree(found.item.name, items, parts[index + 1:], paragraph, data["nam"]))
        item = found.item if isinstance(found, Repeat) else found
        current = item.fields if isinstance(item, Group) else ()
    text = describe(fields, path)
    value = _get(data, parts)
    if paragraph and isinstance(value, str) and "\n" in value.strip():
        text += f" › đoạn «{_first_words(paragraph, data['nam'])}»"
    return text


def _get(data: Any, parts: Sequence[str]) -> Any:
    """Return the value at a dotted path, None when it is not there."""
    for part in parts:
        if isinstance(data, Mapping):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def _tree(group: str, items: Any, rest: Sequence[str], paragraph: str | None, year: int) -> list[str]:
    """Return the words of the sections ("muc") or blocks ("thanh_phan") along `rest` ("1", "thanh_phan", "0", …)."""
    words = []
    while rest and rest[0].isdigit() and isinstance(items, list) and int(rest[0]) < len(items):
        index, item = int(rest[0]), items[int(rest[0])]
        leaf = rest[1] if len(rest) == 2 else ""
        if group == "muc":
            words.append(f"Mục {roman(index + 1)}. {_expanded(item.get('tieu_de', ''), year)}")
        else:
            words += _block_words(items, index, paragraph if leaf == "van_ban" else None, year)
        if len(rest) < 3:
            break
        group, items, rest = "thanh_phan", item.get(rest[1]), rest[2:]
    return words


def _block_words(siblings: list[Any], index: int, paragraph: str | None, year: int) -> list[str]:
    """Return the words of one block: «khoản 1 «Mục đích»», «Quý II «Chào mừng …»», «đoạn «Năm 2021 …»»."""
    block = siblings[index]
    kind = block.get("loai", "doan")
    number = sum(1 for other in siblings[:index + 1] if other.get("loai") == kind)
    paragraphs = [line for line in (block.get("van_ban") or "").split("\n") if line.strip()]
    first = paragraphs[0] if paragraphs else ""
    if kind == "quy":
        return [f"Quý {roman(number)} «{_first_words(block.get('chu_de', ''), year)}»"]
    if kind in ("doan", "gach"):
        name = "đoạn" if kind == "doan" else "gạch đầu dòng"
        return [f"{name} «{_first_words(paragraph or first, year)}»"]
    title = block.get("tieu_de") or first
    words = [f"{'khoản' if kind == 'khoan' else 'điểm'} {number if kind == 'khoan' else letter(number) + ')'} "
             f"«{_first_words(title, year)}»"]
    if paragraph and paragraph != title:
        words.append(f"đoạn «{_first_words(paragraph, year)}»")
    return words


def _first_words(text: str, year: int) -> str:
    """Return the first words of a text as it reads in the document (tokens filled, emphasis marks gone)."""
    plain = "".join(run.text for run in markup.runs(_expanded(text, year)))
    words = plain.split()
    return " ".join(words[:_LABEL_WORDS]) + ("…" if len(words) > _LABEL_WORDS else "")


def _expanded(text: str, year: int) -> str:
    """Return `text` with the year's tokens filled; tokens that need other values are left as typed."""
    if markup.check_tokens(text):
        return text
    values = {name: f"[[{name}]]" for name in markup.PLAIN_TOKENS} | {"nam": str(year), "can_chi": can_chi(year)}
    return markup.expand(text, values, year)
