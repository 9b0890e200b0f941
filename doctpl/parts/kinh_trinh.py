"""Kính trình: the recipients of a tờ trình, under the title block, in the Kính gửi layout.

HD 05 I.9.2.4 has a Party tờ trình name them after «Kính trình:» (ô 9b), with the Kính gửi styles and a «;»
after every entry (I.9.2.5); NĐ 30 (Phụ lục I, II.9.a) keeps «Kính gửi:» for a tờ trình, and so, as far as
the sources read (shared/spec/nd30-format.md §2.9, H8), did HD 36. The entries and their punctuation are
doctpl.parts.kinh_gui's context; only the label differs.
"""

from __future__ import annotations

from typing import Any

from doctpl import layout, the_thuc
from doctpl.build import base
from doctpl.metrics import text_width
from doctpl.parts import kinh_gui

# The label by version of the rules: NĐ 30 Phụ lục I II.9.a | HD 36 (H8, unverified) | HD 05 I.9.2.4.
LABELS = {"nd30": kinh_gui.LABEL, "hd36": kinh_gui.LABEL, "hd05": "Kính trình:"}


def _label_line(doc: Any, label: str, value: str, rules: the_thuc.Rules, **where: Any) -> Any:
    """Add «<label> <value>» with the label in the thể thức's emphasis and the value upright."""
    par = base.paragraph(doc, label + " ", italic=kinh_gui.LABEL_ITALIC[rules.the_thuc], **where)
    base.run(par, value)
    return par


def build(doc: Any, rules: the_thuc.Rules) -> None:
    """Write the block as doctpl.parts.kinh_gui does, with the label of `rules`."""
    label = LABELS[rules.ma]
    base.tag(doc, "{%p if kg.single %}")
    _label_line(doc, label, "{{ kg.single }}", rules, before=240)
    base.tag(doc, "{%p elif kg.first %}")
    first = _label_line(doc, label, "{{ kg.first }}", rules, align="left", before=240)
    first.paragraph_format.left_indent = base.Twips(kinh_gui.BLOCK_INDENT)
    base.tag(doc, "{%p for item in kg.rest %}")
    item = base.paragraph(doc, "{{ item }}", align="left")
    item.paragraph_format.left_indent = base.Twips(kinh_gui.BLOCK_INDENT + text_width(label + " ", layout.BODY_SIZE))
    base.tag(doc, "{%p endfor %}")
    base.tag(doc, "{%p endif %}")
