"""Vietnamese helpers: dates, Can Chi, numbering, upper-casing, slugs, anniversaries, line breaks (table-driven)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doctpl import layout
from doctpl.facts import abbreviation, anniversaries, legal_bases
from doctpl.metrics import break_lines, text_width
from doctpl.ooxml import cell_box
from doctpl.vn import text as vn_text
from doctpl.vn.canchi import can_chi
from doctpl.vn.dates import date_line, parse_date, short_date
from doctpl.vn.numbering import letter, roman, so_thu_tu
from doctpl.vn.text import ascii_slug, clean, upper


@pytest.mark.parametrize(("date", "expected"), [
    (dt.date(2021, 4, 8), "Đà Lạt, ngày 08 tháng 4 năm 2021"),
    (dt.date(2020, 1, 5), "Đà Lạt, ngày 05 tháng 01 năm 2020"),
    (dt.date(2022, 2, 28), "Đà Lạt, ngày 28 tháng 02 năm 2022"),
    (dt.date(2019, 6, 29), "Đà Lạt, ngày 29 tháng 6 năm 2019"),
    (dt.date(2026, 12, 1), "Đà Lạt, ngày 01 tháng 12 năm 2026"),
    (dt.date(2030, 3, 10), "Đà Lạt, ngày 10 tháng 3 năm 2030"),
])
def test_date_line_zero_pads_days_below_10_and_months_1_2_only(date, expected):
    assert date_line("Đà Lạt", date, date.year) == expected


def test_blank_date_leaves_room_for_the_van_thu():
    assert date_line("Đà Lạt", None, 2026) == "Đà Lạt, ngày      tháng      năm 2026"


@pytest.mark.parametrize(("date", "with_year", "expected"), [
    (dt.date(1930, 2, 3), True, "03/02/1930"),
    (dt.date(2021, 9, 12), True, "12/9/2021"),
    (dt.date(2021, 6, 20), False, "20/6"),
    (dt.date(2021, 12, 20), False, "20/12"),
])
def test_short_date(date, with_year, expected):
    assert short_date(date, with_year=with_year) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2021-04-08", dt.date(2021, 4, 8)), ("08/04/2021", dt.date(2021, 4, 8)), ("8/4/2021", dt.date(2021, 4, 8)),
])
def test_parse_date_accepts_iso_and_vietnamese_order(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(("year", "expected"), [
    (2019, "Kỷ Hợi"), (2020, "Canh Tý"), (2021, "Tân Sửu"), (2022, "Nhâm Dần"), (2023, "Quý Mão"),
    (2024, "Giáp Thìn"), (2025, "Ất Tỵ"), (2026, "Bính Ngọ"), (2027, "Đinh Mùi"), (2028, "Mậu Thân"),
    (2029, "Kỷ Dậu"), (2030, "Canh Tuất"), (1945, "Ất Dậu"), (1975, "Ất Mão"),
])
def test_can_chi(year, expected):
    assert can_chi(year) == expected


@pytest.mark.parametrize(("number", "expected"), [
    (1, "I"), (2, "II"), (4, "IV"), (9, "IX"), (14, "XIV"), (40, "XL"), (1990, "MCMXC"),
])
def test_roman(number, expected):
    assert roman(number) == expected


@pytest.mark.parametrize(("index", "expected"), [(1, "a"), (4, "d"), (5, "đ"), (6, "e"), (7, "g"), (23, "y")])
def test_diem_letters_follow_the_vietnamese_alphabet(index, expected):
    assert letter(index) == expected


@pytest.mark.parametrize(("number", "expected"), [(1, "01"), (9, "09"), (10, "10"), (125, "125")])
def test_document_numbers_have_a_leading_zero_below_10(number, expected):
    assert so_thu_tu(number) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Trưởng Ban Dân vận", "TRƯỞNG BAN DÂN VẬN"),
    ("Khối thi đua số 1", "KHỐI THI ĐUA SỐ 1"),
    ("thành ủy đà lạt", "THÀNH ỦY ĐÀ LẠT"),
    (unicodedata.normalize("NFD", "mục đích – yêu cầu"), "MỤC ĐÍCH – YÊU CẦU"),
])
def test_upper_keeps_every_tone_mark_and_returns_nfc(text, expected):
    result = upper(text)
    assert result == expected
    assert unicodedata.is_normalized("NFC", result)


def test_clean_normalises_nfd_strips_xml_invalid_characters_and_folds_spaces():
    raw = unicodedata.normalize("NFD", "Kế  hoạch\x00\x0b thi\tđua ")
    assert clean(raw) == "Kế hoạch thi đua"
    assert clean("a\n\n\n\nb\r\nc", multiline=True) == "a\n\nb\nc"


# Letters with the characters clean() acts on: spaces of every kind, line breaks, controls, a surrogate.
_MESSY = st.text(alphabet=st.sampled_from(list("aễ Đ.\n\r\t\x00\x0b\x1f\x7f\x85\xa0\u2003\u2028\u200d\ud800\ufffe")),
                 max_size=12)


@given(_MESSY, st.booleans())
def test_the_fast_path_of_clean_only_skips_what_the_full_normalisation_would_leave(text, multiline):
    if vn_text._tidy(text, multiline):
        assert vn_text._normalise(text, multiline) == text
    once = clean(text, multiline=multiline)
    assert clean(once, multiline=multiline) == once


@pytest.mark.parametrize(("text", "expected"), [
    ("Kế hoạch thi đua năm 2021", "Ke-hoach-thi-dua-nam-2021"),
    ("Đăng ký thi đua – Ban Dân vận", "Dang-ky-thi-dua-Ban-Dan-van"),
    ("<>&", "van-ban"),
])
def test_ascii_slug(text, expected):
    assert ascii_slug(text) == expected


@pytest.mark.parametrize(("event", "year", "phrase"), [
    ("thanh_lap_dang", 2021, "91 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2021)"),
    ("thanh_lap_dang", 2022, "92 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2022)"),
    ("thanh_lap_dang", 2030, "100 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2030)"),
    ("xo_viet_nghe_tinh", 2021, "91 năm phong trào Xô Viết Nghệ Tĩnh (12/9/1930 – 12/9/2021)"),
    ("giai_phong_mien_nam", 2025,
     "50 năm ngày giải phóng hoàn toàn miền Nam thống nhất đất nước (30/4/1975 – 30/4/2025)"),
    ("sinh_nhat_bac", 2026, "136 năm ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 – 19/5/2026)"),
])
def test_anniversary_phrases_come_from_the_dated_catalogue(event, year, phrase):
    assert anniversaries()[event].phrase(year) == phrase


@pytest.mark.parametrize(("event", "year", "years"), [
    ("giai_phong_da_lat", 2021, 46), ("cach_mang_thang_tam", 2021, 76), ("thanh_lap_dang", 2030, 100),
    ("quoc_khanh", 2025, 80),
])
def test_anniversary_counts(event, year, years):
    assert anniversaries()[event].years(year) == years


@pytest.mark.parametrize(("ten_loai", "expected"), [("Kế hoạch", "KH"), ("Báo cáo", "BC"), ("Quy định", "QyĐ")])
def test_abbreviations_from_phu_luc_iii(ten_loai, expected):
    assert abbreviation(ten_loai, dt.date(2021, 4, 8)) == expected


def test_abbreviation_before_the_decree_took_effect_is_refused():
    with pytest.raises(KeyError):
        abbreviation("Kế hoạch", dt.date(2005, 5, 5))


@pytest.mark.parametrize(("on", "expected"), [
    (dt.date(2021, 6, 1), ["luat_tdkt_2003", "luat_tdkt_sua_doi_2005", "luat_tdkt_sua_doi_2013", "nd_91_2017"]),
    (dt.date(2025, 6, 30), ["luat_tdkt_2022", "nd_98_2023", "tt_01_2024_bnv"]),
    (dt.date(2025, 7, 1), ["luat_tdkt_2022", "nd_152_2025", "tt_01_2024_bnv"]),
    (dt.date(2026, 1, 1), ["luat_tdkt_2022", "nd_152_2025", "tt_15_2025_bnv"]),
    (dt.date(2026, 10, 1), ["luat_tdkt_2022", "luat_06_2026", "nd_152_2025", "tt_15_2025_bnv"]),
])
def test_legal_bases_in_force_on_the_document_date(on, expected):
    assert [basis.ma for basis in legal_bases(on)] == expected


def test_unverified_legal_bases_are_flagged():
    bases = {basis.ma: basis for basis in legal_bases(dt.date(2026, 11, 1))}
    assert bases["nd_152_2025"].verified and not bases["luat_06_2026"].verified
    assert bases["nd_152_2025"].trich_dan.startswith("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025")


HEADER_BOX = cell_box(layout.HEADER_LEFT)


@pytest.mark.parametrize(("name", "lines"), [
    ("KHỐI THI ĐUA SỐ 1", ["KHỐI THI ĐUA SỐ 1"]),  # fits: never broken
    ("BAN TUYÊN GIÁO THÀNH ỦY", ["BAN TUYÊN GIÁO", "THÀNH ỦY"]),  # not "… THÀNH / ỦY"
    ("ỦY BAN KIỂM TRA THÀNH ỦY", ["ỦY BAN KIỂM TRA", "THÀNH ỦY"]),  # not the more even "… KIỂM / TRA …"
    ("TRUNG TÂM BỒI DƯỠNG CHÍNH TRỊ THÀNH PHỐ", ["TRUNG TÂM BỒI DƯỠNG", "CHÍNH TRỊ THÀNH PHỐ"]),
    ("UBND PHƯỜNG LANG BIANG - ĐÀ LẠT", ["UBND PHƯỜNG", "LANG BIANG - ĐÀ LẠT"]),
    ("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG THÀNH PHỐ", ["HỘI ĐỒNG", "THI ĐUA - KHEN THƯỞNG", "THÀNH PHỐ"]),
    ("X" * 80, ["X" * 80]),  # one word too long for any line: left to Word
])
def test_header_names_break_between_word_pairs_into_balanced_lines(name, lines):
    assert break_lines(name, 13, HEADER_BOX, bold=True) == lines
    assert all(text_width(line, 13, bold=True) <= HEADER_BOX for line in lines if len(lines) > 1)
