"""Kính gửi (ô 9a): one recipient on the same line; several, one a line starting "- ".

NĐ 30 (Phụ lục I, II.9.a): the label upright, entries ending ";", the last ".". HD 05 (I.9.2.3 and
Phụ lục 2): the label italic, every entry ending ";", the last one too; HD 36 wrote "," after each.
"""

from __future__ import annotations

import re
from typing import Any

from doctpl import layout, the_thuc
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


LABEL_ITALIC = {the_thuc.NHA_NUOC: False, the_thuc.DANG: True}
# (after each entry, after the last one), side by side.
ENTRY_ENDS = {"nd30": (";", "."), "hd36": (",", ","), "hd05": (";", ";")}


def context(recipients: list[str], rules: the_thuc.Rules) -> dict[str, Any]:
    """Return {"single": "…"} for one recipient; for several {"first": "- …;", "rest": [… "- …."]}."""
    names = [_EDGES.sub("", name) for name in recipients]
    if len(names) == 1:
        return {"single": names[0], "first": "", "rest": []}
    end, last = ENTRY_ENDS[rules.ma]
    items = [f"- {name}{end}" for name in names[:-1]] + [f"- {name}{last}" for name in names[-1:]]
    return {"single": "", "first": items[0] if items else "", "rest": items[1:]}


def _label_line(doc: Any, value: str, rules: the_thuc.Rules, **where: Any) -> Any:
    """Add "Kính gửi: <value>" with the label in the thể thức's emphasis and the value upright."""
    par = base.paragraph(doc, LABEL + " ", italic=LABEL_ITALIC[rules.the_thuc], **where)
    base.run(par, value)
    return par


def build(doc: Any, rules: the_thuc.Rules) -> None:
    """Write the Kính gửi block under the title; further recipients line up under the first dash."""
    base.tag(doc, "{%p if kg.single %}")
    _label_line(doc, "{{ kg.single }}", rules, before=240)
    base.tag(doc, "{%p elif kg.first %}")
    first = _label_line(doc, "{{ kg.first }}", rules, align="left", before=240)
    first.paragraph_format.left_indent = base.Twips(BLOCK_INDENT)
    base.tag(doc, "{%p for item in kg.rest %}")
    item = base.paragraph(doc, "{{ item }}", align="left")
    item.paragraph_format.left_indent = base.Twips(BLOCK_INDENT + text_width(LABEL + " ", layout.BODY_SIZE))
    base.tag(doc, "{%p endfor %}")
    base.tag(doc, "{%p endif %}")
