"""Tên loại and trích yếu (ô 5a): the type name in capitals, the trích yếu in bold, a separator below.

NĐ 30 (Phụ lục I, II.5) sets both in 14 bold over a short solid rule; Party guidance (HD 05 I.5 and
Phụ lục 2) sets the type name in 15 bold, starts the trích yếu with a lower-case word and puts five
hyphens under it. A long trích yếu runs on several centred lines of one paragraph, balanced, broken
between word units (doctpl.metrics), never with one word alone on the last line.
"""

from __future__ import annotations

from typing import Any

from doctpl import layout, the_thuc
from doctpl.build import base
from doctpl.fields import Text
from doctpl.metrics import break_lines, text_width
from doctpl.ooxml import rule
from doctpl.vn.text import without_breaks

COMPUTED = ("title",)
TEN_LOAI_SIZE = {the_thuc.NHA_NUOC: 14, the_thuc.DANG: 15}
DANG_SEPARATOR = "-----"
MAX_LEN = 500
# The trích yếu's lines stay visibly shorter than the body's: about four fifths of the text width.
BOX = round(layout.TEXT_WIDTH * 0.82)
LAST_LINE_UNITS = 2  # never one word («năm», «2026», «năm 2026») alone on the last line


def field(default: str = "") -> Text:
    """Return the trích yếu field; with a `default` pattern ("… năm {nam}") it may be left blank."""
    example = default.format(nam=2021) if default else "Tổ chức thực hiện phong trào thi đua năm 2021"
    help_text = (f"Tóm tắt nội dung văn bản, ví dụ: {example}. Văn bản của Đảng tự bắt đầu bằng chữ thường. "
                 "Trích yếu dài được chia tự động thành các dòng cân đối; gõ «|» tại chỗ muốn xuống dòng "
                 "(dấu «|» không được in).")
    if default:
        help_text += " Để trống để dùng câu này theo năm của văn bản."
    return Text("trich_yeu", "Trích yếu nội dung", max_len=MAX_LEN, required=not default, help=help_text)


def lower_initial(text: str) -> str:
    """Return `text` starting with a lower-case word, unless that word is an abbreviation such as UBND."""
    first = without_breaks(text).split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return text
    return text[:1].lower() + text[1:]


def lines(trich_yeu: str) -> list[str]:
    """Return the trích yếu in balanced lines no wider than BOX, at its size and in bold; «|» forces a break."""
    count = len(without_breaks(trich_yeu).split())
    return break_lines(trich_yeu, layout.BODY_SIZE, BOX, bold=True, most=max(count, 1), last_atoms=LAST_LINE_UNITS)


def context(trich_yeu: str, rules: the_thuc.Rules, default: str = "", year: int = 0) -> dict[str, Any]:
    """Return the trích yếu (or the default for the year) in lines joined by "\\n" (line breaks of one
    paragraph) and, for NĐ 30, its rule: 1/3–1/2 of the longest line (0.4)."""
    trich_yeu = trich_yeu or default.format(nam=year)
    if rules.dang:
        trich_yeu = lower_initial(trich_yeu)
    broken = lines(trich_yeu)
    if rules.dang:
        return {"trich_yeu": "\n".join(broken), "rule": ""}
    width = min(max(text_width(line, layout.BODY_SIZE, bold=True) for line in broken), layout.TEXT_WIDTH)
    return {"trich_yeu": "\n".join(broken), "rule": rule(round(width * 0.4), layout.TEXT_WIDTH)}


def build(doc: Any, ten_loai: str, rules: the_thuc.Rules) -> None:
    """Write the type name, the trích yếu and the separator into the template."""
    base.paragraph(doc, ten_loai, size=TEN_LOAI_SIZE[rules.the_thuc], bold=True, before=360)
    base.paragraph(doc, "{{ title.trich_yeu }}", bold=True)
    if rules.dang:
        base.paragraph(doc, DANG_SEPARATOR)
    else:
        base.paragraph(doc, "{{p title.rule }}")
