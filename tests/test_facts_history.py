"""Facts for 2010–2019 (issue 12, point 2): every example of every kind, rolled into each of those years in
both thể thức, renders; the abbreviation, base salary, reward coefficient and legal-basis tables cover them;
a year before every table is refused by name.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from decimal import Decimal

import pytest

from doctpl import facts
from doctpl.errors import ValidationError
from doctpl.kind import get_kind, kinds
from doctpl.render import render
from doctpl.reward import reward
from doctpl.rollover import roll
from tests.conftest import body_text, rendered
from tests.test_bao_cao import table_rows

YEARS = range(2010, 2020)
THE_THUC = ("nha_nuoc", "dang")
# What the clerk enters again in the new year (the fields declared per_year), as tests/test_rollover.py does.
PER_YEAR = {"chu_de_nam": "Chủ đề năm mới", "han_bao_cao_6_thang": "{year}-06-20", "han_bao_cao_nam": "{year}-12-20",
            "chu_de": "Chủ đề thi đua năm mới", "ngay_quyet_dinh": "{year}-12-28"}
CASES = [(kind.id, name) for kind in kinds() for name in kind.examples]


def rolled(kind_id: str, name: str, the_thuc: str, year: int, **values) -> dict:
    """Return an example rolled into `year` in `the_thuc`, the per-year fields filled as the clerk would."""
    kind = get_kind(kind_id)
    raw = kind.example(name) | {"the_thuc": the_thuc}
    data = roll(kind, raw, year).data
    return data | {field: value.format(year=year) for field, value in PER_YEAR.items() if raw.get(field)} | values


def number_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("Số"))


@pytest.mark.parametrize("the_thuc", THE_THUC)
@pytest.mark.parametrize(("kind_id", "name"), CASES)
def test_every_example_rolled_into_2010_to_2019_renders(kind_id, name, the_thuc):
    ten_loai = get_kind(kind_id).ten_loai
    refused = {}
    for year in YEARS:
        try:
            text = body_text(rendered(kind_id, rolled(kind_id, name, the_thuc, year, so=1)))
        except ValidationError as error:  # a table that starts too late, or any other refusal
            refused[year] = [f"{e.field}: {e.message}" for e in error.errors()]
            continue
        abbreviation = facts.abbreviation(ten_loai, dt.date(year, 1, 1), the_thuc)
        line = number_line(text)
        expected = f"Số: 01/{abbreviation}-" if the_thuc == "nha_nuoc" else f"Số 01-{abbreviation}/"
        assert line.startswith(expected), (year, line)
    assert not refused, refused


@pytest.mark.parametrize(("the_thuc", "line"), [("nha_nuoc", "Số: 01/KH-KTĐ1"), ("dang", "Số 01-KH/KTĐ1")])
def test_a_2010_plan_is_numbered_kh(the_thuc, line):
    text = body_text(rendered("ke_hoach", rolled("ke_hoach", "ke_hoach.json", the_thuc, 2010, so=1)))
    assert number_line(text) == line


@pytest.mark.parametrize(("kind_id", "on", "the_thuc", "abbreviation"), [
    ("giao_uoc", dt.date(2010, 1, 1), "nha_nuoc", "GƯTĐ"),  # the khối's own, beside TTLT 55/2005
    ("dang_ky", dt.date(2010, 1, 1), "nha_nuoc", "ĐKTĐ"),
    ("bao_cao_tong_ket", dt.date(2010, 1, 1), "nha_nuoc", "BC"),
    ("giao_uoc", dt.date(2012, 1, 1), "dang", "GƯTĐ"),  # HD 11-HD/VPTW rows, before Quy định 66-QĐ/TW
    ("bao_cao_so_ket", dt.date(2016, 6, 30), "dang", "BC"),
])
def test_abbreviations_of_the_years_before_the_present_tables(kind_id, on, the_thuc, abbreviation):
    assert facts.abbreviation(get_kind(kind_id).ten_loai, on, the_thuc) == abbreviation


def test_the_abbreviation_tables_change_on_their_dates():
    assert facts.abbreviation("Giấy giới thiệu", dt.date(2011, 3, 4)) == "GT"  # TTLT 55/2005
    assert facts.abbreviation("Giấy giới thiệu", dt.date(2011, 3, 5)) == "GGT"  # Thông tư 01/2011
    assert facts.abbreviation("Kế hoạch", dt.date(2005, 5, 6)) == "KH"
    assert facts.abbreviation("Kế hoạch", dt.date(2004, 5, 28), "dang") == "KH"
    with pytest.raises(KeyError):
        facts.abbreviation("Kế hoạch", dt.date(2005, 5, 5))
    with pytest.raises(KeyError):
        facts.abbreviation("Kế hoạch", dt.date(2004, 5, 27), "dang")
    assert {"KH", "BC", "GT", "GƯTĐ", "ĐKTĐ"} <= facts.abbreviations(dt.date(2010, 1, 1))
    assert "GGT" not in facts.abbreviations(dt.date(2010, 1, 1))
    assert "GT" not in facts.abbreviations()  # no row of 2005 leaks into today's list


@pytest.mark.parametrize(("kind_id", "name"), CASES)
@pytest.mark.parametrize("the_thuc", THE_THUC)
def test_a_year_before_every_table_is_refused_by_name(kind_id, name, the_thuc):
    with pytest.raises(ValidationError) as caught:
        render(kind_id, rolled(kind_id, name, the_thuc, 1999))
    messages = [e.message for e in caught.value.errors() if e.field == "nam"]
    assert messages and messages[0].startswith("«Năm» 1999: chưa có chữ viết tắt tên loại «")
    since = "28/5/2004" if the_thuc == "dang" else "06/5/2005"
    assert f"trước ngày {since}" in messages[0]


# -- Base salary ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("on", "amount", "source"), [
    (dt.date(2009, 4, 30), 540_000, "Nghị định 166/2007/NĐ-CP"),
    (dt.date(2009, 5, 1), 650_000, "Nghị định 33/2009/NĐ-CP"),
    (dt.date(2010, 5, 1), 730_000, "Nghị định 28/2010/NĐ-CP"),
    (dt.date(2011, 5, 1), 830_000, "Nghị định 22/2011/NĐ-CP"),
    (dt.date(2012, 5, 1), 1_050_000, "Nghị định 31/2012/NĐ-CP"),
    (dt.date(2013, 6, 30), 1_050_000, "Nghị định 31/2012/NĐ-CP"),
    (dt.date(2013, 7, 1), 1_150_000, "Nghị định 66/2013/NĐ-CP"),
    (dt.date(2016, 4, 30), 1_150_000, "Nghị định 66/2013/NĐ-CP"),
    (dt.date(2016, 5, 1), 1_210_000, "Nghị định 47/2016/NĐ-CP"),
    (dt.date(2017, 7, 1), 1_300_000, "Nghị định 47/2017/NĐ-CP"),
    (dt.date(2018, 7, 1), 1_390_000, "Nghị định 72/2018/NĐ-CP"),
    (dt.date(2019, 6, 30), 1_390_000, "Nghị định 72/2018/NĐ-CP"),
    (dt.date(2019, 7, 1), 1_490_000, "Nghị định 38/2019/NĐ-CP"),
])
def test_base_salary_back_to_2008(on, amount, source):
    salary = facts.base_salary(on)
    assert salary.amount == amount and salary.source.startswith(source)


def test_base_salary_rows_rise_in_date_order():
    with open(facts.DATA_DIR / "luong_co_so.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["hieu_luc_tu"] for row in rows] == sorted(row["hieu_luc_tu"] for row in rows)
    assert all(int(a["muc"]) < int(b["muc"]) for a, b in itertools.pairwise(rows))
    assert all(re.fullmatch(r"Nghị định \d+/\d{4}/NĐ-CP( \(.+\))?", row["nguon"]) for row in rows)


# -- Reward coefficients (NĐ 42/2010 until 30/9/2017, NĐ 91/2017 from 01/10/2017) ----------------


@pytest.mark.parametrize(("ma", "doi_tuong", "nd_42", "nd_91"), [
    ("co_chinh_phu", "tap_the", "24.5", "12.0"),
    ("co_tinh", "tap_the", "15.5", "8.0"),
    ("bang_khen_ttg", "ca_nhan", "1.5", "3.5"),
    ("ldtt", "ca_nhan", "0.3", "0.3"),
    ("cstd_co_so", "ca_nhan", "1.0", "1.0"),
])
def test_coefficients_change_with_nd_91_on_1_october_2017(ma, doi_tuong, nd_42, nd_91):
    assert facts.coefficient(ma, doi_tuong, dt.date(2010, 12, 28)) == Decimal(nd_42)
    assert facts.coefficient(ma, doi_tuong, dt.date(2017, 9, 30)) == Decimal(nd_42)
    assert facts.coefficient(ma, doi_tuong, dt.date(2017, 10, 1)) == Decimal(nd_91)


def test_every_award_the_catalogue_offers_for_2010_to_2019_has_a_coefficient():
    kinds_of_award = {(row["ma"], row["doi_tuong"]) for row in facts._reward_rows()}
    titles_of_2025 = {"xa_tieu_bieu", "thon_van_hoa"}  # created by NĐ 152/2025 in this catalogue
    for (ma, doi_tuong), year in itertools.product(kinds_of_award, YEARS):
        if ma not in titles_of_2025:
            assert facts.coefficient(ma, doi_tuong, dt.date(year, 12, 28)) > 0, (ma, doi_tuong, year)
    assert reward("ttldxs", "tap_the", dt.date(2012, 12, 28)).amount == 1_580_000  # 1,5 × 1.050.000, rounded up


def test_a_2012_year_end_report_pays_on_the_base_salary_of_1_050_000():
    data = rolled("bao_cao_tong_ket", "bao_cao_tong_ket.json", "nha_nuoc", 2012)
    document = rendered("bao_cao_tong_ket", data)
    assert [row[2:] for row in table_rows(document, 2)[1:]] == [
        ["Tập thể lao động xuất sắc", "1,5", "1.580.000 đồng (Một triệu năm trăm tám mươi nghìn đồng)"],
        ["Tập thể lao động tiên tiến", "0,8", "840.000 đồng (Tám trăm bốn mươi nghìn đồng)"],
        ["Chiến sĩ thi đua cơ sở", "1", "1.050.000 đồng (Một triệu không trăm năm mươi nghìn đồng)"],
        ["Lao động tiên tiến", "0,3", "320.000 đồng (Ba trăm hai mươi nghìn đồng)"],
        ["", "", "3.790.000 đồng (Ba triệu bảy trăm chín mươi nghìn đồng)"],
    ]
    assert ("Mức lương tối thiểu chung 1.050.000 đồng theo Nghị định 31/2012/NĐ-CP, áp dụng theo "
            "ngày quyết định khen thưởng 28/12/2012") in body_text(document)


@pytest.mark.parametrize(("year", "flag", "salary"), [(2016, ("15,5", "18.760.000"), "1.210.000"),
                                                      (2018, ("8", "11.120.000"), "1.390.000")])
def test_a_2016_report_pays_the_flag_under_nd_42_and_a_2018_one_under_nd_91(year, flag, salary):
    data = rolled("bao_cao_tong_ket", "bao_cao_tong_ket_cum_phuong.json", "nha_nuoc", year)
    rows = table_rows(rendered("bao_cao_tong_ket", data), 2)
    assert rows[1][2] == "Cờ thi đua của Ủy ban nhân dân tỉnh"
    assert (rows[1][3], rows[1][4].split(" ")[0]) == flag
    assert rows[3][4].startswith(f"{salary} đồng")  # Bằng khen of a person: 1,0 × the base salary


# -- Legal bases ------------------------------------------------------------------------------------

LAW_2003 = "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003;"
ND_42 = "Căn cứ Nghị định số 42/2010/NĐ-CP ngày 15 tháng 4 năm 2010 của Chính phủ;"
ND_39 = "Căn cứ Nghị định số 39/2012/NĐ-CP ngày 27 tháng 4 năm 2012 của Chính phủ;"
ND_65 = "Căn cứ Nghị định số 65/2014/NĐ-CP ngày 01 tháng 7 năm 2014 của Chính phủ;"
ND_91 = "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ;"


@pytest.mark.parametrize(("on", "codes"), [
    (dt.date(2011, 6, 1), ["15/2003/QH11", "47/2005/QH11", "42/2010/NĐ-CP"]),
    (dt.date(2013, 1, 1), ["15/2003/QH11", "47/2005/QH11", "42/2010/NĐ-CP", "39/2012/NĐ-CP"]),
    (dt.date(2015, 1, 1), ["15/2003/QH11", "47/2005/QH11", "39/2013/QH13", "42/2010/NĐ-CP", "39/2012/NĐ-CP",
                           "65/2014/NĐ-CP"]),
    (dt.date(2019, 1, 1), ["15/2003/QH11", "47/2005/QH11", "39/2013/QH13", "91/2017/NĐ-CP"]),
])
def test_the_form_offers_the_bases_in_force_in_each_period(on, codes):
    assert [basis.so_hieu for basis in facts.legal_bases(on)] == codes


def can_cu_flags(year: int, can_cu: list[str]) -> list[str]:
    plan = rolled("ke_hoach", "ke_hoach_cum_phuong.json", "nha_nuoc", year) | {"can_cu": can_cu}
    return [f.message for f in roll(get_kind("ke_hoach"), plan, year).flags if f.field.startswith("can_cu")]


@pytest.mark.parametrize(("year", "can_cu"), [
    (2011, [LAW_2003, ND_42]),
    (2013, [LAW_2003, ND_42, ND_39]),  # a document of 2012 without its date speaks for 1 January, before NĐ 39
    (2015, [LAW_2003, ND_42, ND_39, ND_65]),
    (2019, [LAW_2003, ND_91]),
])
def test_the_bases_of_2010_to_2019_are_recognised_and_not_flagged(year, can_cu):
    assert all(facts.legal_bases_cited(text) for text in can_cu)
    assert can_cu_flags(year, can_cu) == []


def test_a_decree_cited_outside_its_years_is_flagged():
    assert [m.split(",")[1].strip() for m in can_cu_flags(2016, [ND_91])] == ["chỉ có hiệu lực từ ngày 01/10/2017"]
    assert [m.split(",")[1].strip() for m in can_cu_flags(2018, [ND_42])] == ["đã hết hiệu lực từ ngày 01/10/2017"]
