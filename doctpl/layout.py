"""Page geometry shared by the template builder and the context: A4, margins, column widths.

All lengths are twips (1/20 pt, 1/1440 inch), Word's own unit. The margins sit inside the NĐ 30
Phụ lục I ranges (top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm) and are the fixed values of
HD 05 IV.4.1 (20, 20, 30, 15 mm), so one page serves both thể thức.
"""

from __future__ import annotations


def mm(value: float) -> int:
    """Return `value` millimetres in twips."""
    return round(value * 1440 / 25.4)


PAGE_WIDTH = mm(210)
PAGE_HEIGHT = mm(297)
MARGIN_TOP = mm(20)
MARGIN_BOTTOM = mm(20)
MARGIN_LEFT = mm(30)
MARGIN_RIGHT = mm(15)
HEADER_DISTANCE = mm(10)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

# Header table (ô 2–3 | ô 1, ô 4) and footer table (ô 9b | ô 7), after the Phụ lục III samples.
HEADER_LEFT = mm(66)
HEADER_RIGHT = TEXT_WIDTH - HEADER_LEFT
FOOTER_LEFT = mm(70)
FOOTER_RIGHT = TEXT_WIDTH - FOOTER_LEFT
CELL_MARGIN = mm(1)

BODY_SIZE = 14
FIRST_LINE_INDENT = mm(10)
PARAGRAPH_SPACING = 6 * 20
# Body line spacing per version of the rules: (value, exact). NĐ 30 allows single to 1.5 lines: 1.15 lines.
# HD 36 asks for exactly at least 18 pt, HD 05 exactly 18–22 pt: 18 pt and 20 pt.
LINE_SPACING = {"nd30": (1.15, False), "hd36": (18, True), "hd05": (20, True)}
FONT = "Times New Roman"
