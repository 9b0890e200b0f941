"""Raw WordprocessingML snippets doctpl inserts itself (rules), shared by builder and renderer."""

from __future__ import annotations

from doctpl import layout


class Paragraph:
    """A whole paragraph of raw XML for docxtpl's `{{p … }}` tag; `__html__` keeps autoescape off it."""

    def __init__(self, xml: str):
        self.xml = xml

    def __html__(self) -> str:
        return self.xml

    def __str__(self) -> str:
        return self.xml


def rule_xml(rule_width: int, box_width: int) -> str:
    """Return an empty centred paragraph whose bottom border is a solid rule `rule_width` twips long.

    Word draws a paragraph border between the paragraph's indents, so equal indents on both sides
    of a box `box_width` wide leave a centred line of the wanted length; the paragraph itself is
    4 pt high so the rule sits just under the text above it without touching its descenders.
    """
    rule_width = max(1, min(rule_width, box_width))
    indent = (box_width - rule_width) // 2
    return (
        "<w:p><w:pPr>"
        '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
        '<w:spacing w:before="0" w:after="0" w:line="80" w:lineRule="exact"/>'
        f'<w:ind w:left="{indent}" w:right="{box_width - rule_width - indent}" w:firstLine="0"/>'
        '<w:jc w:val="center"/>'
        '<w:rPr><w:sz w:val="4"/><w:szCs w:val="4"/></w:rPr>'
        "</w:pPr></w:p>"
    )


def cell_box(cell_width: int) -> int:
    """Return the width available to text inside a table cell of `cell_width` twips."""
    return cell_width - 2 * layout.CELL_MARGIN


def rule(rule_width: int, box_width: int) -> Paragraph:
    """Return the rule paragraph as a value for a `{{p … }}` tag."""
    return Paragraph(rule_xml(rule_width, box_width))
