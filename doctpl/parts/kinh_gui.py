"""Kính gửi (ô 9a): one recipient on the same line; several, one a line "- …;", the last ending "."."""

from __future__ import annotations

import re
from typing import Any

from doctpl import layout
from doctpl.build import base
from doctpl.fields import Repeat, Text
from doctpl.metrics import text_width

COMPUTED = ("kg",)
LABEL = "Kính gửi:"
BLOCK_INDENT = layout.mm(35)  # the 9a box starts about a third into the text width
_EDGES = re.compile(r"^[\s\-–—•+*]+|[\s,;.]+$")


def field(required: bool = False, help_text: str = "") -> Repeat:
    """Return the recipients field."""
    return Repeat("kinh_gui", "Kính gửi", item=Text("", "Nơi được kính gửi", max_len=200), max_items=15,
                  item_label="nơi nhận", required=required,
                  help=help_text or "Cơ quan cấp trên nhận báo cáo; để trống nếu không gửi lên cấp trên.")


def context(recipients: list[str]) -> dict[str, Any]:
    """Return {"single": "…"} for one recipient; for several {"first": "- …;", "rest": [… "- …."]}."""
    names = [_EDGES.sub("", name) for name in recipients]
    if len(names) == 1:
        return {"single": names[0], "first": "", "rest": []}
    items = [f"- {name};" for name in names]
    if items:
        items[-1] = items[-1][:-1] + "."
    return {"single": "", "first": items[0] if items else "", "rest": items[1:]}


def build(doc: Any) -> None:
    """Write the Kính gửi block under the title; further recipients line up under the first dash."""
    base.tag(doc, "{%p if kg.single %}")
    base.paragraph(doc, f"{LABEL} {{{{ kg.single }}}}", before=240)
    base.tag(doc, "{%p elif kg.first %}")
    first = base.paragraph(doc, f"{LABEL} {{{{ kg.first }}}}", align="left", before=240)
    first.paragraph_format.left_indent = base.Twips(BLOCK_INDENT)
    base.tag(doc, "{%p for item in kg.rest %}")
    item = base.paragraph(doc, "{{ item }}", align="left")
    item.paragraph_format.left_indent = base.Twips(BLOCK_INDENT + text_width(LABEL + " ", layout.BODY_SIZE))
    base.tag(doc, "{%p endfor %}")
    base.tag(doc, "{%p endif %}")
