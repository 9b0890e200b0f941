"""The clerk's markup: emphasis marks and [[…]] tokens."""

from __future__ import annotations

import pytest
from docxtpl import RichText
from hypothesis import given
from hypothesis import strategies as st

from doctpl import layout
from doctpl.markup import TOKEN, Run, check_tokens, expand, rich, runs


@pytest.mark.parametrize(("text", "expected"), [
    ("chủ đề “*Mừng đảng, mừng xuân*” nhé",
     [Run("chủ đề “"), Run("Mừng đảng, mừng xuân", italic=True), Run("” nhé")]),
    ("**Báo cáo gửi chậm nhất ngày 20/6.**", [Run("Báo cáo gửi chậm nhất ngày 20/6.", bold=True)]),
    ("{{ 7*7 }}", [Run("{{ 7*7 }}")]),
    ("2*3 và 4*5", [Run("2*3 và 4*5")]),
    ("a \\* b", [Run("a "), Run("*"), Run(" b")]),
    ("* không phải nhấn mạnh *", [Run("* không phải nhấn mạnh *")]),
])
def test_emphasis(text, expected):
    assert runs(text) == expected


def test_tokens_expand_from_the_year():
    text = "kỷ niệm [[ky_niem:thanh_lap_dang]]; Mừng xuân [[can_chi]]; [[so_nam:giai_phong_da_lat]] năm"
    assert expand(text, {"can_chi": "Nhâm Dần"}, 2022) == (
        "kỷ niệm 92 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2022); "
        "Mừng xuân Nhâm Dần; 47 năm")


@pytest.mark.parametrize(("text", "fragment"), [
    ("[[ky_niem:khong_co]]", "không có trong danh mục"),
    ("[[ky_niem]]", "thiếu tên sự kiện"),
    ("[[bogus]]", "không được hỗ trợ"),
    ("[[can_chi", "không khép"),
])
def test_bad_tokens_are_reported_in_vietnamese(text, fragment):
    problems = check_tokens(text)
    assert problems and fragment in problems[0]


def test_good_tokens_pass():
    assert check_tokens("[[nam]] [[can_chi]] [[so_nam:quoc_khanh]] [[ky_niem:cong_doan]]") == []


def test_rich_writes_the_runs_docxtpl_writes():
    parts = ("Đạt **đậm** và *nghiêng* & <b> \"x\" 'y'", [Run("a\nb", bold=True, italic=True)], Run("", italic=True))
    expected = RichText()
    for part in parts:
        for run in runs(part) if isinstance(part, str) else [part] if isinstance(part, Run) else part:
            expected.add(run.text, bold=run.bold, italic=run.italic, font=f"eastAsia:{layout.FONT}")
    assert rich(*parts).xml == expected.xml


@given(st.lists(st.sampled_from(["[", "]", "[[nam]]", "[[ky_niem:x]]", "a", " "]), max_size=8).map("".join))
def test_a_stray_bracket_is_reported_exactly_when_the_tokens_leave_one(text):
    stray = any("không khép" in problem for problem in check_tokens(text))
    assert stray == ("[[" in TOKEN.sub("", text))
