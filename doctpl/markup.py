"""The small markup clerks may use inside body text.

- `**đậm**` and `*nghiêng*` mark bold and italic runs; `\\*` is a literal asterisk. An asterisk
  that does not open and close a span around text (as in `{{ 7*7 }}`) stays as typed.
- `[[name]]` and `[[name:event]]` insert values doctpl computes from the document's year, so that
  a count such as "91 năm" is never typed and never goes stale:

  [[nam]]              the plan's year                       2021
  [[can_chi]]          the year's Can Chi                    Tân Sửu
  [[chu_de_nam]]       the year's theme field
  [[han_bao_cao]]      the report deadlines, in bold         Báo cáo 06 tháng gửi chậm nhất ngày 20/6 …
  [[co_quan]]          the issuing body's name, as typed     Ban Tuyên giáo Thành ủy
  [[xuong_dong]]       a line break inside the paragraph
  [[ky_bao_cao]]       the period the document speaks of      6 tháng đầu năm 2021 (a plan: năm 2021)
  [[ky_tiep_theo]]     the period after it                    6 tháng cuối năm 2021 (a plan: năm 2022)
  [[so_nam:EVENT]]     years since a catalogue event         91
  [[ky_niem:EVENT]]    the full anniversary phrase           91 năm ngày thành lập Đảng … (03/02/1930 – 03/02/2021)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from typing import NamedTuple

from docxtpl import RichText

from doctpl import layout
from doctpl.facts import anniversaries

TOKEN = re.compile(r"\[\[\s*([a-z_]+)\s*(?::\s*([a-z0-9_]+)\s*)?\]\]")
EVENT_TOKENS = ("so_nam", "ky_niem")
PLAIN_TOKENS = ("nam", "can_chi", "chu_de_nam", "han_bao_cao", "co_quan", "xuong_dong", "ky_bao_cao", "ky_tiep_theo")
LINE_BREAK = "\n"  # RichText writes it as <w:br/>: a new line, the same paragraph
# Like Markdown's flanking rules: a mark never opens after a letter or digit (so "7*7" stays).
_EMPHASIS = re.compile(
    r"\\\*"
    r"|(?<![\w*\\])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])"
    r"|(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"
)


class Run(NamedTuple):
    """A piece of text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


def check_tokens(text: str) -> list[str]:
    """Return a Vietnamese message for every [[…]] token that doctpl cannot fill."""
    if "[[" not in text:
        return []
    problems = []
    events = anniversaries()
    found = 0
    for match in TOKEN.finditer(text):
        found += 1
        name, arg = match.groups()
        if name in EVENT_TOKENS:
            if not arg:
                problems.append(f"mã «{match.group(0)}» thiếu tên sự kiện, ví dụ [[{name}:thanh_lap_dang]].")
            elif arg not in events:
                problems.append(f"sự kiện «{arg}» không có trong danh mục ngày kỷ niệm.")
        elif name not in PLAIN_TOKENS or arg:
            problems.append(f"mã «{match.group(0)}» không được hỗ trợ.")
    # Every «[» in a token: nothing is left to open one; otherwise what the tokens leave is looked at.
    if text.count("[") != 2 * found and "[[" in TOKEN.sub("", text):
        problems.append("có dấu «[[» không khép thành mã hợp lệ; mã có dạng [[ky_niem:thanh_lap_dang]].")
    return problems


def uses_token(text: str, name: str) -> bool:
    """Tell whether `text` contains the token `name`."""
    return "[[" in text and any(match.group(1) == name for match in TOKEN.finditer(text))


def expand(text: str, values: Mapping[str, str], year: int) -> str:
    """Replace every token with its value; call only on text that passed `check_tokens`."""
    if "[[" not in text:
        return text
    events = anniversaries()

    def fill(match: re.Match[str]) -> str:
        name, arg = match.groups()
        if name == "so_nam":
            return str(events[arg].years(year))
        if name == "ky_niem":
            return events[arg].phrase(year)
        return values[name]

    return TOKEN.sub(fill, text)


def runs(text: str, *, bold: bool = False, italic: bool = False) -> list[Run]:
    """Split `text` into runs by its emphasis marks."""
    if "*" not in text:
        return [Run(text, bold, italic)] if text else []
    out: list[Run] = []
    position = 0
    for match in _EMPHASIS.finditer(text):
        out.append(Run(text[position:match.start()], bold, italic))
        if match.group(0) == "\\*":
            out.append(Run("*", bold, italic))
        elif match.group(1) is not None:
            out.append(Run(match.group(1), True, italic))
        else:
            out.append(Run(match.group(2), bold, True))
        position = match.end()
    out.append(Run(text[position:], bold, italic))
    return [run for run in out if run.text]


# The opening of a run as docxtpl's RichText.add writes it, per (bold, italic), with explicit fonts on every run,
# East Asian slot included, so no run falls back to a theme font; written once instead of once per run.
_FONTS = f'<w:rFonts w:ascii="{layout.FONT}" w:hAnsi="{layout.FONT}" w:cs="{layout.FONT}" w:eastAsia="{layout.FONT}"/>'
_RUN_OPEN = {(bold, italic): f"<w:r><w:rPr>{'<w:b/>' if bold else ''}{'<w:i/>' if italic else ''}{_FONTS}</w:rPr>"
                             '<w:t xml:space="preserve">'
             for bold in (False, True) for italic in (False, True)}


def rich(*parts: str | Run | list[Run]) -> RichText:
    """Build a docxtpl RichText; strings are parsed for emphasis, runs are taken as they are."""
    xml = []
    for part in parts:
        items = runs(part) if isinstance(part, str) else [part] if isinstance(part, Run) else part
        for run in items:
            xml.append(f"{_RUN_OPEN[bool(run.bold), bool(run.italic)]}{escape(run.text)}</w:t></w:r>")
    out = RichText()
    out.xml = "".join(xml)
    return out
