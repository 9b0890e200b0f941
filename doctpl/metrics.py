"""Text widths in Times New Roman, from the table tools/gen_font_widths.py derives from Liberation Serif."""

from __future__ import annotations

import itertools
import json
from functools import cache

from doctpl.facts import DATA_DIR
from doctpl.vn.text import nfc

_FALLBACK = "n"  # width used for a character the table lacks


@cache
def _table() -> dict:
    return json.loads((DATA_DIR / "times_widths.json").read_text(encoding="utf-8"))


def text_width(text: str, size_pt: float, *, bold: bool = False) -> int:
    """Return the width of one line of `text` in twips."""
    table = _table()
    widths = table["bold" if bold else "regular"]
    units = sum(widths.get(char, widths[_FALLBACK]) for char in nfc(text))
    return round(units / table["units_per_em"] * size_pt * 20)


def break_lines(text: str, size_pt: float, box: int, *, bold: bool = False, most: int = 3) -> list[str]:
    """Split a name in capitals into the fewest lines that fit `box`, balanced and between word pairs.

    Word's own wrapping leaves one syllable alone ("BAN TUYÊN GIÁO THÀNH / ỦY") or splits a word
    ("… CHÍNH / TRỊ …"). Vietnamese words are mostly two syllables and names end with a place
    ("THÀNH ỦY", "ĐÀ LẠT"), so breaks fall first an even number of syllables from the end;
    any break is used only when no such split fits.
    """
    words = text.split()
    if text_width(text, size_pt, bold=bold) <= box or len(words) < 2:
        return [text]
    syllables_after = [sum(word != "-" for word in words[cut:]) for cut in range(len(words))]
    cuts = range(1, len(words))
    paired = [cut for cut in cuts if syllables_after[cut] % 2 == 0 and words[cut] != "-"]

    def widest(split: list[str]) -> int:
        return max(text_width(line, size_pt, bold=bold) for line in split)

    for allowed in (paired, cuts):
        for lines in range(2, min(most, len(words)) + 1):
            splits = [[" ".join(words[a:b]) for a, b in zip((0, *chosen), (*chosen, len(words)), strict=True)]
                      for chosen in itertools.combinations(allowed, lines - 1)]
            fitting = [split for split in splits if widest(split) <= box]
            if fitting:
                return min(fitting, key=widest)
    return [text]
