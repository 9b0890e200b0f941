"""How many pages a document has, to leave the page-number rules out of a one-page document.

Word's own count comes first: the «Pages» it saved in docProps/app.xml (trusted only when it counted
words too: libraries copy a template's «1 page, 0 words»), then the page breaks it last laid out.
Otherwise the pages are estimated: explicit breaks, and the height of the text in Times New Roman.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from doctpl.check.reader import Para, Reader, UnreadableDocx
from doctpl.metrics import text_width

APP = "docProps/app.xml"
DEFAULT_SIZE = 12.0  # a run without a size: Word's default is 10 or 11 pt; a little more errs towards one page
LINE_FACTOR = 1.15  # a single line of Times New Roman is about 1.15 times its size


def saved_pages(reader: Reader) -> int | None:
    """Return the page count Word saved, or None when it is absent, unreadable or was never counted."""
    try:
        root: Any = reader.part(APP)
    except UnreadableDocx:  # only a hint: a damaged one leaves the estimate to decide
        return None
    if root is None:
        return None
    values = {str(child.tag).rsplit("}", 1)[-1]: (child.text or "").strip() for child in root}
    if not values.get("Pages", "").isdigit() or values.get("Words", "0") in ("", "0"):
        return None
    return int(values["Pages"])


def _height(para: Para) -> float:
    """Return the height of a paragraph in points: its lines, at their spacing, and the space around it."""
    size = max((run.size or DEFAULT_SIZE for run in para.runs if run.text.strip()), default=DEFAULT_SIZE)
    width = max(para.box - para.left - para.right, 1440)
    lines = sum(max(1, math.ceil(text_width(line, size) / width)) for line in para.text.split("\n"))
    if para.line_rule in ("exact", "atLeast") and para.line:
        line_height = max(para.line / 20, size if para.line_rule == "atLeast" else 0)
    else:
        line_height = size * LINE_FACTOR * (para.line or 240) / 240
    return lines * line_height + (para.before + para.after) / 20


def estimated_pages(paragraphs: list[Para], section: dict[str, Any]) -> int:
    """Return the pages the text fills: the body's height over the page's, at least one more per page break."""
    usable = max((section["height"] - section["top"] - section["bottom"]) / 20, 72.0) if section["height"] else 700.0
    total = 0.0
    rows: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))  # row -> cell -> height
    for para in paragraphs:
        if para.where.startswith("table"):
            row, cell = para.where.rsplit(" cell ", 1)
            rows[row][cell] += _height(para)
        else:
            total += _height(para)
    total += sum(max(cells.values()) for cells in rows.values())
    breaks = sum(para.page_breaks for para in paragraphs)
    return max(breaks + 1, math.ceil(total / usable))


def page_count(reader: Reader, paragraphs: list[Para]) -> int:
    """Return the number of pages: Word's saved count, else the page breaks it laid out, else an estimate."""
    saved = saved_pages(reader)
    if saved:
        return saved
    rendered = sum(para.rendered_breaks for para in paragraphs)
    if rendered:
        return rendered + 1
    return estimated_pages(paragraphs, reader.section())
