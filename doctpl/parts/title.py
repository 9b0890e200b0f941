"""Tên loại and trích yếu (ô 5a): type name in capitals, trích yếu in bold, a short rule below."""

from __future__ import annotations

from typing import Any

from doctpl import layout
from doctpl.build import base
from doctpl.fields import Text
from doctpl.metrics import text_width
from doctpl.ooxml import rule

COMPUTED = ("title",)


def field(default: str = "") -> Text:
    """Return the trích yếu field; with a `default` pattern ("… năm {nam}") it may be left blank."""
    example = default.format(nam=2021) if default else "Tổ chức thực hiện phong trào thi đua năm 2021"
    help_text = f"Tóm tắt nội dung văn bản, viết thường, ví dụ: {example}."
    if default:
        help_text += " Để trống để dùng câu này theo năm của văn bản."
    return Text("trich_yeu", "Trích yếu nội dung", max_len=250, required=not default, help=help_text)


def context(trich_yeu: str, default: str = "", year: int = 0) -> dict[str, Any]:
    """Return the trích yếu (or the default for the year) and its rule, 1/3–1/2 of its longest line."""
    trich_yeu = trich_yeu or default.format(nam=year)
    width = min(text_width(trich_yeu, layout.BODY_SIZE, bold=True), layout.TEXT_WIDTH)
    return {"trich_yeu": trich_yeu, "rule": rule(round(width * 0.4), layout.TEXT_WIDTH)}


def build(doc: Any, ten_loai: str) -> None:
    """Write the type name, the trích yếu and its rule into the template."""
    base.paragraph(doc, ten_loai, bold=True, before=360)
    base.paragraph(doc, "{{ title.trich_yeu }}", bold=True)
    base.paragraph(doc, "{{p title.rule }}")
