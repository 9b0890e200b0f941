"""Phụ lục: tables issued with a document, each on its own pages and in its own section, landscape if chosen.

NĐ 30 (Phụ lục I Mục V; Phụ lục III Mẫu 2.1) and HD 05 (Phần II mục II.1, IV.4.3, IV.5.2) side by side: the
word «Phụ lục», numbered when there are two or more (I, II … in NĐ 30; 1, 2 … in Party documents), on its own
line; the title in capitals under it; under that the reference «(Kèm theo … số … ngày … của …)»; then a short
rule (NĐ 30) or «-----» (Party). Each appendix starts a section of its own whose page numbers start again
at 1, and the first page of which shows none. What differs by version is in data/phu_luc.csv.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

from doctpl import layout
from doctpl.build import base
from doctpl.metrics import text_width
from doctpl.ooxml import rule
from doctpl.parts import header, title
from doctpl.the_thuc import Rules
from doctpl.vn.dates import date_words, short_date
from doctpl.vn.numbering import roman

COMPUTED = ("bd",)  # the kind's own context holds the appendices (bd.phu_luc) and their page (bd.trang)
DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "phu_luc.csv"
SIZE = 14  # NĐ 30 Phụ lục I Mục V: 14 for «Phụ lục», 13–14 for the title and the reference
ORIENTATIONS = {"doc": "Khổ dọc", "ngang": "Khổ ngang (bảng rộng)"}
PAGES = {"doc": (layout.PAGE_WIDTH, layout.PAGE_HEIGHT, "portrait"),
         "ngang": (layout.PAGE_HEIGHT, layout.PAGE_WIDTH, "landscape")}


@cache
def _rows() -> dict[str, dict[str, str]]:
    with open(DATA_FILE, encoding="utf-8", newline="") as handle:
        return {row["ma"]: row for row in csv.DictReader(handle)}


def text_area(orientation: str) -> int:
    """Return the width text may use on a page of `orientation`: the same margins, turned with the page."""
    return PAGES[orientation][0] - layout.MARGIN_LEFT - layout.MARGIN_RIGHT


def page(orientation: str) -> dict[str, Any]:
    """Return the page size of the appendices' sections for the template."""
    width, height, orient = PAGES[orientation]
    return {"w": width, "h": height, "huong": orient}


def label(rules: Rules, number: int, count: int) -> str:
    """Return «Phụ lục» alone for a single appendix, else «Phụ lục II» (NĐ 30) or «PHỤ LỤC 2» (Party)."""
    row = _rows()[rules.ma]
    if count < 2:
        return row["chu"]
    return f"{row['chu']} {roman(number) if row['danh_so'] == 'la_ma' else number}"


def reference(rules: Rules, ten_loai: str, so: int | None, ngay: dt.date | None, nam: int, ky_hieu: str,
              co_quan: str) -> str:
    """Return «(Kèm theo Giao ước thi đua số 02/GƯTĐ-KTĐ ngày 24 tháng 02 năm 2026 của …)», blanks for none.

    Party documents write the number their way and the date short, after a comma (HD 05's own appendices).
    """
    row = _rows()[rules.ma]
    symbol = header.number_symbol(so, ten_loai, ky_hieu, rules, ngay or dt.date(nam, 1, 1))
    if row["ngay"] == "chu":
        day = date_words(ngay) if ngay else f"ngày      tháng      năm {nam}"
    else:
        day = f"ngày {short_date(ngay)}" if ngay else f"ngày     /     /{nam}"
    return f"(Kèm theo {ten_loai} số {symbol}{row['phay']} {day} của {co_quan})"


def context(rules: Rules, lines: list[str], number: int, count: int, kem_theo: str, orientation: str) -> dict[str, Any]:
    """Return one appendix's heading: its label, title lines, reference and the rule or «-----» under them."""
    box = text_area(orientation)
    widest = max(text_width(line, SIZE, bold=True) for line in lines)
    separator = rule(round(min(widest, box) * 0.4), box) if _rows()[rules.ma]["ngan_cach"] == "ke" else ""
    return {"nhan": label(rules, number, count), "tieu_de": "\n".join(lines), "kem_theo": kem_theo,
            "rule": separator}


def _page_size(section: Any) -> None:
    """Make a section's page size follow the chosen orientation and its page numbers start at 1."""
    size = section.find(qn("w:pgSz"))
    for attribute, name in (("w:w", "w"), ("w:h", "h"), ("w:orient", "huong")):
        size.set(qn(attribute), f"{{{{ bd.trang.{name} }}}}")
    section.find(qn("w:cols")).addprevious(base.elements('<w:pgNumType w:start="1"/>')[0])


def _break(doc: Any, section: Any) -> Any:
    """Add an empty paragraph that ends a section with a copy of the properties `section`; return the copy."""
    ending = copy.deepcopy(section)
    base.paragraph(doc)._p.get_or_add_pPr().append(ending)
    return ending


def build(doc: Any, rules: Rules, tables: Callable[[Any], None]) -> None:
    """Write the loop over `bd.phu_luc` after the document's closing: a section break, the heading, the tables.

    Call after the page numbers are set: the document's own section keeps them and its portrait page; every
    appendix section (the last one is the body's) takes `bd.trang` and numbers its pages from 1.
    """
    body_section = doc.element.body.find(qn("w:sectPr"))
    base.tag(doc, "{%p for pl in bd.phu_luc %}")
    base.tag(doc, "{%p if loop.first %}")
    _break(doc, body_section)
    base.tag(doc, "{%p else %}")
    between = _break(doc, body_section)
    base.tag(doc, "{%p endif %}")
    base.paragraph(doc, "{{ pl.nhan }}", size=SIZE, bold=True)
    base.paragraph(doc, "{{ pl.tieu_de }}", size=SIZE, bold=True)
    base.paragraph(doc, "{{ pl.kem_theo }}", size=SIZE, italic=True)
    if rules.dang:
        base.paragraph(doc, title.DANG_SEPARATOR, size=SIZE, after=120)
    else:
        base.paragraph(doc, "{{p pl.rule }}")
    tables(doc)
    base.tag(doc, "{%p endfor %}")
    for section in (between, body_section):  # last: python-docx reads the page size while it adds tables
        _page_size(section)
