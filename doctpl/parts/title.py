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
    """Return the trích yếu field."""
    return Text("trich_yeu", "Trích yếu nội dung", max_len=250, default=default,
                help="Tóm tắt nội dung văn bản, viết thường, ví dụ: Tổ chức thực hiện phong trào thi đua năm 2021.")


def context(trich_yeu: str) -> dict[str, Any]:
    """Return the trích yếu and its rule, 1/3–1/2 of the trích yếu's longest line."""
    width = min(text_width(trich_yeu, layout.BODY_SIZE, bold=True), layout.TEXT_WIDTH)
    return {"trich_yeu": trich_yeu, "rule": rule(round(width * 0.4), layout.TEXT_WIDTH)}


def build(doc: Any, ten_loai: str) -> None:
    """Write the type name, the trích yếu and its rule into the template."""
    base.paragraph(doc, ten_loai, bold=True, before=360)
    base.paragraph(doc, "{{ title.trich_yeu }}", bold=True)
    base.paragraph(doc, "{{p title.rule }}")
