"""Word's automatic numbering: the label Word shows before a paragraph («I.», «1.1.», «a)», «-»), rebuilt.

A numbered paragraph holds no label in its text, only w:numPr (a list and a level), given directly or by
its style; word/numbering.xml says how each level is written. Lists that share an abstract definition
continue one another, as in Word, unless a w:num restarts a level (w:startOverride). The label is then read
like typed numbering, so both kinds of numbering go through one parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from doctpl.check.reader import NS, Styles, q
from doctpl.vn.numbering import roman

# Bullet glyphs of the Symbol and Wingdings fonts (private use area) and the usual others.
_DASHES = {"-", "–", "—", "−"}
_PLUS = {"+"}


@dataclass(frozen=True)
class Level:
    """One level of a list: its number format, its text pattern («%1.%2.») and its first number."""

    fmt: str
    text: str
    start: int


def _format(number: int, fmt: str) -> str:
    """Return one counter as the number format writes it."""
    if fmt == "upperRoman":
        return roman(number) if 0 < number < 4000 else str(number)
    if fmt == "lowerRoman":
        return roman(number).lower() if 0 < number < 4000 else str(number)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (number - 1) % 26) if number > 0 else "a"
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{number:02d}"
    return str(number)


def _bullet(text: str, level: int) -> str:
    """Return the dash a bullet level stands for: «-», or «+» for «+» and for a nested bullet of another glyph."""
    glyph = text.strip()
    if glyph in _PLUS:
        return "+"
    if glyph in _DASHES:
        return "-"
    return "-" if level == 0 else "+"


class Numbering:
    """The lists of numbering.xml and the counters of one reading, in document order."""

    def __init__(self, root: Any, styles: Styles):
        self.styles = styles
        self.abstract: dict[str, dict[int, Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.restarted: set[str] = set()
        if root is None:
            return
        for abstract in root.findall("w:abstractNum", NS):
            levels = {}
            for lvl in abstract.findall("w:lvl", NS):
                levels[_int(lvl.get(q("ilvl")))] = Level(_val(lvl, "numFmt", "decimal"), _val(lvl, "lvlText", ""),
                                                         _int(_val(lvl, "start", "1"), 1))
            self.abstract[abstract.get(q("abstractNumId"), "")] = levels
        for num in root.findall("w:num", NS):
            overrides = {_int(o.get(q("ilvl"))): _int(_val(o, "startOverride", "1"), 1)
                         for o in num.findall("w:lvlOverride", NS) if o.find("w:startOverride", NS) is not None}
            self.nums[num.get(q("numId"), "")] = (_val(num, "abstractNumId", ""), overrides)

    def _num_pr(self, ppr: Any, style_id: str | None) -> tuple[str, int] | None:
        """Return (numId, level) from the paragraph's w:numPr, else from its style chain."""
        sources = [ppr] + [style.find("w:pPr", NS) for style in self.styles.chain(style_id)]
        num_id, level = None, None
        for source in sources:
            num_pr = source.find("w:numPr", NS) if source is not None else None
            if num_pr is None:
                continue
            num_id = num_id if num_id is not None else _val(num_pr, "numId", None)
            level = level if level is not None else _val(num_pr, "ilvl", None)
            if num_id is not None:
                break
        if num_id in (None, "0") or num_id not in self.nums:
            return None
        return num_id, min(_int(level), 8)

    def label(self, ppr: Any, style_id: str | None) -> str:
        """Return the label Word shows before this paragraph, advancing the list's counters ("" for none)."""
        found = self._num_pr(ppr, style_id)
        if found is None:
            return ""
        num_id, level = found
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        definition = levels.get(level)
        if definition is None:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.restarted:  # a list restarted by its own w:num starts its levels again
            self.restarted.add(num_id)
            for ilvl, start in overrides.items():
                counters[ilvl] = start - 1
        counters[level] = counters.get(level, definition.start - 1) + 1
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        if definition.fmt == "bullet":
            return _bullet(definition.text, level)
        if definition.fmt == "none":
            return definition.text.strip()
        text = definition.text
        for ilvl in range(level, -1, -1):  # %10 never exists: nine levels at most
            shown = levels.get(ilvl, definition)
            value = counters.get(ilvl, shown.start)
            text = text.replace(f"%{ilvl + 1}", _format(value, shown.fmt))
        return text.strip()


def _val(element: Any, tag: str, default: Any) -> Any:
    child = element.find(f"w:{tag}", NS)
    return child.get(q("val"), default) if child is not None else default


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
