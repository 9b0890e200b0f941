"""Text widths in Times New Roman, and line breaking of names and titles by Vietnamese word units.

The widths come from the table tools/gen_font_widths.py derives from Liberation Serif. The word units
come from doctpl/data/tu_ghep.txt: the usual administrative compounds («ỦY BAN NHÂN DÂN», «THI ĐUA -
KHEN THƯỞNG»), the administrative levels that go with the place name after them («PHƯỜNG LÂM VIÊN - ĐÀ
LẠT») and the connectors that never end a line («VÀ», «CÁC», «TM.»).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from doctpl.facts import DATA_DIR
from doctpl.vn.text import LINE_BREAK, fold, nfc, upper

_FALLBACK = "n"  # width used for a character the table lacks
_PUNCTUATION = ",.;:!?()[]{}\"'“”‘’…«»"
_DASHES = frozenset({"-", "–", "—", "‑"})
_NUMBER = re.compile(r"^\d+(?:[.,/-]\d+)*%?$")
_ROMAN = re.compile(r"^[IVXLC]+$")
# A number goes with the word before it («năm 2026», «số 1», «tháng 6») or, when it counts what follows
# («6 tháng», «91 năm»), with the word after it.
_NUMBER_HEADS = frozenset({"năm", "ngày", "tháng", "số", "quý", "đợt", "khóa", "thứ", "kỳ", "đoạn", "lần", "phường",
                           "quận", "khối", "cụm", "mục", "phần", "chương", "điều", "khoản", "giai"})
_MEASURES = frozenset({"năm", "tháng", "ngày", "quý", "tuần", "giờ", "người", "lần", "đơn", "tập", "cá", "%"})

WORD, LEVEL, JOIN = "tu", "cap", "noi"  # the groups of tu_ghep.txt
_NAME, _NUMBER_UNIT, _DASH, _OTHER = "ten", "so", "gach", "chu"


@cache
def _table() -> dict:
    return json.loads((DATA_DIR / "times_widths.json").read_text(encoding="utf-8"))


def _units_of(text: str, bold: bool) -> int:
    table = _table()
    widths = table["bold" if bold else "regular"]
    return sum(widths.get(char, widths[_FALLBACK]) for char in nfc(text))


def _twips(units: int, size_pt: float) -> int:
    return round(units / _table()["units_per_em"] * size_pt * 20)


def text_width(text: str, size_pt: float, *, bold: bool = False) -> int:
    """Return the width of one line of `text` in twips."""
    return _twips(_units_of(text, bold), size_pt)


# -- the dictionary ----------------------------------------------------------------------------------------


def key(token: str) -> str:
    """Return how a token is matched: folded (NFC, lower case, «uỷ» = «ủy»), without punctuation; dashes are "-"."""
    folded = fold(token)
    stripped = folded.strip(_PUNCTUATION)
    if stripped in _DASHES or folded in _DASHES:
        return "-"
    return stripped or folded


def keys(text: str) -> tuple[str, ...]:
    """Return the keys of the tokens of `text`."""
    return tuple(key(token) for token in text.split())


@dataclass(frozen=True)
class Dictionary:
    """The word units of tu_ghep.txt: keys of each entry -> its group (WORD, LEVEL or JOIN)."""

    entries: dict[tuple[str, ...], str] = field(default_factory=dict)
    longest: int = 1


@cache
def dictionary() -> Dictionary:
    """Return the dictionary of word units (doctpl/data/tu_ghep.txt)."""
    entries: dict[tuple[str, ...], str] = {}
    group = WORD
    for line in (DATA_DIR / "tu_ghep.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1]
            continue
        entries[keys(line)] = group
    return Dictionary(entries, max(len(entry) for entry in entries))


# -- word units ----------------------------------------------------------------------------------------------


@dataclass
class _Unit:
    tokens: list[str]
    kind: str

    @property
    def first(self) -> str:
        return key(self.tokens[0])

    @property
    def last(self) -> str:
        return key(self.tokens[-1])


def _is_number(token: str, token_key: str, caps: bool) -> bool:
    return bool(_NUMBER.match(token_key)) or (not caps and bool(_ROMAN.match(token.strip(_PUNCTUATION))))


def _syllables(entry: tuple[str, ...]) -> int:
    return sum(k != "-" for k in entry)


def _segment(tokens: list[str], caps: bool, widest_entry: int, union: bool) -> list[_Unit]:
    """Match the dictionary: every occurrence of an entry of several tokens (of at most `widest_entry`
    syllables), overlapping occurrences joined into one unit («TRƯỞNG BAN» + «BAN TUYÊN GIÁO»), or without
    `union` the longest entry first, left to right; the other tokens one unit each, a one-token entry (a
    level, a connector) keeping its group."""
    found = dictionary()
    token_keys = [key(token) for token in tokens]
    spans: list[list] = []  # [start, end, group], in order of start
    for start in range(len(tokens)):
        for length in range(min(found.longest, len(tokens) - start), 1, -1):
            entry = tuple(token_keys[start:start + length])
            group = found.entries.get(entry)
            if group is None or _syllables(entry) > widest_entry:
                continue
            end = start + length  # the longest entry at this start decides
            if spans and start < spans[-1][1]:  # it overlaps the unit so far, or lies inside it
                if union and end > spans[-1][1]:
                    spans[-1][1:] = [end, WORD]
            else:
                spans.append([start, end, group])
            break
    out: list[_Unit] = []
    span_at = {span[0]: span for span in spans}
    i = 0
    while i < len(tokens):
        if i in span_at:
            start, end, group = span_at[i]
            out.append(_Unit(tokens[start:end], group))
            i = end
            continue
        group = found.entries.get((token_keys[i],))
        if group:
            kind = group
        elif token_keys[i] == "-":
            kind = _DASH
        elif _is_number(tokens[i], token_keys[i], caps):
            kind = _NUMBER_UNIT
        else:
            kind = _OTHER
        out.append(_Unit([tokens[i]], kind))
        i += 1
    return out


def _merge(units: list[_Unit], start: int, end: int, kind: str) -> None:
    units[start:end] = [_Unit([token for unit in units[start:end] for token in unit.tokens], kind)]


def _names(units: list[_Unit], caps: bool) -> None:
    """Join the syllables no entry covers into names: every run in a name in capitals («ĐẮK LẮK»), the
    capitalised runs in a sentence («Lâm Đồng»); a lower-case word of a sentence stays alone."""
    def is_name(index: int) -> bool:
        unit = units[index]
        if unit.kind not in (_OTHER, _NAME):
            return False
        return caps or (index > 0 and unit.tokens[0][:1].isupper())

    index = 0
    while index < len(units):
        if is_name(index):
            end = index + 1
            while end < len(units) and is_name(end):
                end += 1
            _merge(units, index, end, _NAME)
        index += 1


def _dashes(units: list[_Unit], glue: bool) -> None:
    """A dash between two names or two numbers joins them («LÂM VIÊN - ĐÀ LẠT», «2021 - 2026»); any other
    dash stays at the end of the line before it («BAN TỔ CHỨC - / BAN NỘI CHÍNH»)."""
    index = 0
    while index < len(units):
        if units[index].kind != _DASH:
            index += 1
            continue
        before = units[index - 1] if index > 0 else None
        after = units[index + 1] if index + 1 < len(units) else None
        if glue and before and after and {before.kind, after.kind} <= {_NAME, _NUMBER_UNIT}:
            _merge(units, index - 1, index + 2, before.kind)
            index -= 1
        elif before:
            _merge(units, index - 1, index + 1, before.kind)
        elif after:
            _merge(units, index, index + 2, after.kind)
        else:
            index += 1


def _numbers(units: list[_Unit]) -> None:
    """Bind every number to the word it belongs to («năm 2026», «6 tháng»)."""
    index = 0
    while index < len(units):
        unit = units[index]
        if unit.kind != _NUMBER_UNIT or len(units) == 1:
            index += 1
            continue
        before = units[index - 1] if index > 0 else None
        after = units[index + 1] if index + 1 < len(units) else None
        if before and (before.last in _NUMBER_HEADS or not (after and after.first in _MEASURES)):
            _merge(units, index - 1, index + 1, before.kind)
        else:
            assert after is not None
            _merge(units, index, index + 2, after.kind)
            index += 1


def _levels(units: list[_Unit], caps: bool) -> None:
    """Keep a level with its place name: in a name in capitals everything up to the next level («PHƯỜNG
    XUÂN HƯƠNG - ĐÀ LẠT»), in a sentence the name after it («tỉnh Lâm Đồng»); a one-syllable level that names
    no place goes with the word before it («ĐẢNG ỦY PHƯỜNG», «CƠ QUAN ĐẢNG TỈNH»)."""
    index = 0
    while index < len(units):
        if units[index].kind != LEVEL:
            index += 1
            continue
        end = index + 1
        if caps:
            while end < len(units) and units[end].kind not in (LEVEL, JOIN):
                end += 1
        elif end < len(units) and units[end].kind in (_NAME, _NUMBER_UNIT):
            end += 1
        if end > index + 1:
            _merge(units, index, end, _NAME)
        elif len(units[index].tokens) == 1 and index > 0 and units[index - 1].kind != JOIN and \
                (index + 1 == len(units) or units[index + 1].kind in (LEVEL, JOIN)):
            _merge(units, index - 1, index + 1, units[index - 1].kind)
            continue
        index += 1


def _joins(units: list[_Unit]) -> None:
    """A connector or a signing prefix goes with the unit after it; at the end, with the unit before it."""
    for index in range(len(units) - 1, -1, -1):
        if units[index].kind != JOIN or len(units) == 1:
            continue
        if index + 1 < len(units):
            _merge(units, index, index + 2, units[index + 1].kind)
        else:
            _merge(units, index - 1, index + 1, units[index - 1].kind)


def word_units(text: str, *, levels: bool = True, glue: bool = True, union: bool = True,
               widest: int = 99) -> list[str]:
    """Return `text` cut into the units a line may not break inside.

    The units are the dictionary's compounds (of at most `widest` syllables; with `union` overlapping ones
    together, else the longest first), names, numbers with their word, connectors with what follows them,
    and, with `levels`, levels with their place name; with `glue`, a dash joins two names («LÂM VIÊN - ĐÀ
    LẠT»). A name is in capitals (the header, the signature); anything else is read as a sentence (the trích
    yếu), whose lower-case words are units of their own and whose capitalised runs are names.
    """
    tokens = nfc(text).split()
    caps = upper(text) == nfc(text)
    units = _segment(tokens, caps, widest, union)
    _names(units, caps)
    _dashes(units, glue)
    _numbers(units)
    if levels:
        _levels(units, caps)
    _joins(units)
    return [" ".join(unit.tokens) for unit in units]


def _refined(atoms: list[str], fits: Callable[[str], bool]) -> Iterator[list[str]]:
    """Yield `atoms` with the units too wide for a line cut finer, step by step: a level apart from its place,
    then a dash apart from the name after it, then overlapping compounds apart, then compounds of fewer
    syllables; until none can be cut."""
    steps: list[dict[str, Any]] = [{"levels": False}, {"levels": False, "glue": False}]
    steps.append({"levels": False, "glue": False, "union": False})
    longest = max(map(_syllables, dictionary().entries))
    steps += [{"levels": False, "glue": False, "union": False, "widest": widest}
              for widest in range(longest - 1, 0, -1)]
    for step in steps:
        finer = [part for atom in atoms for part in ([atom] if fits(atom) else word_units(atom, **step))]
        if finer != atoms:
            atoms = finer
            yield atoms


def _paired(text: str) -> list[str]:
    """Return atoms between word pairs counted from the end: Vietnamese words are mostly two syllables."""
    words = text.split()
    syllables_after = [sum(word not in _DASHES for word in words[cut:]) for cut in range(len(words))]
    cuts = [cut for cut in range(1, len(words)) if syllables_after[cut] % 2 == 0 and words[cut] not in _DASHES]
    return [" ".join(words[a:b]) for a, b in zip((0, *cuts), (*cuts, len(words)), strict=True)]


# -- balanced lines ------------------------------------------------------------------------------------------


def _balanced(atoms: list[str], size_pt: float, box: int, bold: bool, lines: int, last_atoms: int) -> list[str] | None:
    """Return `atoms` in `lines` lines no wider than `box`: the widest line as short as it can be, then the
    lines as even as they can be; the last line holds at least `last_atoms` atoms. None when it cannot."""
    count = len(atoms)
    if count < lines or count < last_atoms:
        return None
    space = _units_of(" ", bold)
    prefix = [0]
    for atom in atoms:
        prefix.append(prefix[-1] + _units_of(atom, bold))

    def width(start: int, end: int) -> int:
        return _twips(prefix[end] - prefix[start] + (end - start - 1) * space, size_pt)

    def allowed(start: int, end: int, last: bool) -> bool:
        return width(start, end) <= box and (not last or end - start >= last_atoms)

    infinity = float("inf")
    # widest[k][j]: the narrowest widest line for the first j atoms in k lines.
    widest = [[infinity] * (count + 1) for _ in range(lines + 1)]
    widest[0][0] = 0
    for k in range(1, lines + 1):
        for end in range(k, count + 1):
            last = k == lines
            if last and end != count:
                continue
            for start in range(k - 1, end):
                if widest[k - 1][start] < infinity and allowed(start, end, last):
                    widest[k][end] = min(widest[k][end], max(widest[k - 1][start], width(start, end)))
    target = widest[lines][count]
    if target == infinity:
        return None
    # Among the splits whose widest line is `target`, the most even: least squared shortfall from it.
    cost = [[infinity] * (count + 1) for _ in range(lines + 1)]
    back = [[0] * (count + 1) for _ in range(lines + 1)]
    cost[0][0] = 0
    for k in range(1, lines + 1):
        for end in range(k, count + 1):
            last = k == lines
            if last and end != count:
                continue
            for start in range(k - 1, end):
                if cost[k - 1][start] == infinity or not allowed(start, end, last) or width(start, end) > target:
                    continue
                value = cost[k - 1][start] + (target - width(start, end)) ** 2
                if value < cost[k][end]:
                    cost[k][end], back[k][end] = value, start
    cuts, end = [], count
    for k in range(lines, 0, -1):
        cuts.append(end)
        end = back[k][end]
    cuts.reverse()
    return [" ".join(atoms[a:b]) for a, b in zip((0, *cuts[:-1]), cuts, strict=True)]


def _break_segment(text: str, size_pt: float, box: int, bold: bool, most: int, last_atoms: int) -> list[str]:
    words = text.split()
    if text_width(text, size_pt, bold=bold) <= box or len(words) < 2:
        return [text]

    def fits(atom: str) -> bool:
        return text_width(atom, size_pt, bold=bold) <= box or " " not in atom

    units = word_units(text)
    # First the fewest lines (up to `most`) between whole units, then more lines rather than a unit cut, then
    # units cut finer only where one is wider than the box, and last (up to `most` lines) between word pairs
    # or anywhere.
    tiers = [(units, range(2, most + 1)), (units, range(most + 1, len(units) + 1))]
    tiers += [(atoms, range(2, len(atoms) + 1)) for atoms in _refined(units, fits)]
    tiers += [(_paired(text), range(2, most + 1)), (words, range(2, most + 1))]
    for atoms, counts in tiers:
        for lines in counts:
            found = _balanced(atoms, size_pt, box, bold, lines, last_atoms)
            if found:
                return found
    if last_atoms > 1:
        return _break_segment(text, size_pt, box, bold, most, 1)
    return [text]


def break_lines(text: str, size_pt: float, box: int, *, bold: bool = False, most: int = 3,
                last_atoms: int = 1) -> list[str]:
    """Split a name (or a trích yếu) into the fewest lines that fit `box`, balanced, between word units.

    Word's own wrapping leaves one syllable alone ("BAN TUYÊN GIÁO THÀNH / ỦY") or splits a word
    ("… CHÍNH / TRỊ …", "ỦY BAN NHÂN / DÂN …"). Lines break only between the units of `word_units`
    (doctpl/data/tu_ghep.txt), in at most `most` lines, or more rather than cut a unit. Only a unit wider
    than the box is cut, as little as it can be (a level from its place, a dash, overlapping compounds,
    then shorter compounds); failing that, the lines break between word pairs counted from the end, and
    last anywhere. A «|» typed in the text forces a break there and is never printed; each part is broken
    on its own. `last_atoms` is the fewest units the last line may hold (2 for a trích yếu: never one word,
    or a tail such as «năm 2026», alone on it).
    """
    return list(_broken(text, size_pt, box, bold, most, last_atoms))


@lru_cache(maxsize=4096)
def _broken(text: str, size_pt: float, box: int, bold: bool, most: int, last_atoms: int) -> tuple[str, ...]:
    """Return break_lines' lines, worked out once per name and box: every document of a body repeats its names."""
    parts = [" ".join(part.split()) for part in nfc(text).split(LINE_BREAK)]
    lines: list[str] = []
    for part in parts:
        if part:
            lines += _break_segment(part, size_pt, box, bold, most, last_atoms)
    return tuple(lines or [""])
