"""Regenerate doctpl/data/times_widths.json from Liberation Serif (metric-compatible with Times New Roman).

Run once after `apt-get install fonts-liberation` and `pip install fonttools`:
    python tools/gen_font_widths.py
The table lets doctpl size the NĐ 30 rules (under the issuing body, the Tiêu ngữ and the trích yếu)
to the text above them without any font on the machine that renders.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
OUT = Path(__file__).resolve().parent.parent / "doctpl" / "data" / "times_widths.json"
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
TONES = "\u0300\u0301\u0303\u0309\u0323"


def characters() -> list[str]:
    """Return ASCII printables, every Vietnamese letter with every tone, and common punctuation."""
    chars = {chr(code) for code in range(32, 127)}
    for base in VIETNAMESE + VIETNAMESE.upper():
        chars.add(base)
        for tone in TONES:
            chars.add(unicodedata.normalize("NFC", base + tone))
    chars.update("–—“”‘’…•·«»")
    return sorted(char for char in chars if len(char) == 1)


def widths(path: Path) -> dict[str, int]:
    """Return each character's advance width in font units."""
    font = TTFont(path)
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    return {char: metrics[cmap[ord(char)]][0] for char in characters() if ord(char) in cmap}


def main() -> None:
    """Write the width table."""
    regular = FONT_DIR / "LiberationSerif-Regular.ttf"
    table = {
        "source": "Liberation Serif 2.x (metric-compatible with Times New Roman)",
        "units_per_em": TTFont(regular)["head"].unitsPerEm,
        "regular": widths(regular),
        "bold": widths(FONT_DIR / "LiberationSerif-Bold.ttf"),
    }
    OUT.write_text(json.dumps(table, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
