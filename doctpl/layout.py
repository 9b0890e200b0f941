"""Page geometry shared by the template builder and the context: A4, NĐ 30 margins, column widths.

All lengths are twips (1/20 pt, 1/1440 inch), Word's own unit. Margins sit inside the NĐ 30
Phụ lục I ranges: top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
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
LINE_SPACING = 276  # 1.15 lines in Word's 240ths; NĐ 30 allows single to 1.5
FONT = "Times New Roman"
