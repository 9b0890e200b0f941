"""Facts for 2026–2027: round anniversaries by quarter, NĐ 152/2025 rewards, căn cứ of every period, terms."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from decimal import Decimal

import lxml.html
import pytest

from doctpl import facts
from doctpl.reward import reward, round_amount
from tests.conftest import assert_rejected, example, rendered
from tests.test_bao_cao import table_rows

TAGS = {"V", "S", "M"}


@pytest.mark.parametrize("name", ["ky_niem.csv", "khen_thuong.csv", "can_cu_phap_ly.csv", "nhiem_ky.csv"])
def test_every_row_carries_its_source_and_verification_tag(name):
    with open(facts.DATA_DIR / name, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(row["xac_minh"] in TAGS and row["nguon"].strip() for row in rows)


# -- Anniversaries ----------------------------------------------------------------------------------


def ids(events):
    return [event.id for event in events]


def test_round_anniversaries_of_2026_by_quarter():
    assert {quarter: ids(events) for quarter, events in facts.round_anniversaries(2026).items()} == {
        1: ["tong_tuyen_cu", "sinh_pham_van_dong", "doan_thanh_nien"],
        2: ["doi_thieu_nien", "bac_ho_ra_di_tim_duong_cuu_nuoc"],
        3: [],
        4: ["hoi_lhtn", "hien_phap_1946", "toan_quoc_khang_chien"],
    }


def test_round_anniversaries_of_2027_by_quarter():
    assert {quarter: ids(events) for quarter, events in facts.round_anniversaries(2027).items()} == {
        1: ["sinh_truong_chinh"],
        2: ["sinh_le_duan"],
        3: ["thuong_binh_liet_si"],
        4: ["cach_mang_thang_muoi", "nha_giao"],
    }


@pytest.mark.parametrize(("event", "year", "years", "tron", "chan", "milestone"), [
    ("tong_tuyen_cu", 2026, 80, True, True, "năm tròn"),
    ("doan_thanh_nien", 2026, 95, False, True, "năm chẵn"),
    ("thanh_lap_dang", 2026, 96, False, False, ""),
    ("thuong_binh_liet_si", 2027, 80, True, True, "năm tròn"),
    ("cong_an_nhan_dan", 2025, 80, True, True, "năm tròn"),
    ("cuu_chien_binh", 1989, 0, False, False, ""),  # the founding year itself is no anniversary
])
def test_nam_tron_and_nam_chan(event, year, years, tron, chan, milestone):
    anniversary = facts.anniversaries()[event]
    assert anniversary.years(year) == years
    assert anniversary.is_round(year) is tron and anniversary.is_round(year, facts.EVEN_YEAR) is chan
    assert anniversary.milestone(year) == milestone


@pytest.mark.parametrize(("event", "year", "phrase"), [
    ("tong_tuyen_cu", 2026, "80 năm ngày Tổng tuyển cử đầu tiên bầu Quốc hội Việt Nam (06/01/1946 – 06/01/2026)"),
    ("thuong_binh_liet_si", 2027, "80 năm ngày Thương binh – Liệt sĩ (27/7/1947 – 27/7/2027)"),
    ("dien_bien_phu", 2026, "72 năm Chiến thắng Điện Biên Phủ (07/5/1954 – 07/5/2026)"),
    ("thay_thuoc", 2026, "71 năm ngày Thầy thuốc Việt Nam (27/02/1955 – 27/02/2026)"),
])
def test_new_events_read_as_plans_write_them(event, year, phrase):
    assert facts.anniversaries()[event].phrase(year) == phrase


def test_the_form_lists_the_round_anniversaries_of_the_document_year_by_quarter(client):
    page = lxml.html.fromstring(client.get("/ke_hoach?mau=ke_hoach_cum_phuong.json").data)  # a 2026 plan
    panel = page.xpath("//section[@aria-label='Mã chèn']")[0]
    assert "Ngày kỷ niệm năm tròn theo quý (2026)" in panel.text_content()
    assert [h.text_content() for h in panel.xpath(".//h4")] == ["Quý I", "Quý II", "Quý III", "Quý IV"]
    first_quarter = panel.xpath(".//h4[.='Quý I']/following-sibling::ul[1]/li")
    assert first_quarter[0].xpath("./button[@class='token']/@data-token") == ["[[ky_niem:tong_tuyen_cu]]"]
    assert "80 năm ngày Tổng tuyển cử đầu tiên" in first_quarter[0].text_content()
    assert "năm tròn" in first_quarter[0].text_content()
    third_quarter = panel.xpath(".//h4[.='Quý III']/following-sibling::ul[1]/li")
    assert [li.text_content() for li in third_quarter] == ["Không có ngày kỷ niệm năm tròn, năm chẵn."]
    assert "(cần xác minh)" in panel.xpath(".//li[button/@data-token='[[ky_niem:hoi_lhtn]]']")[0].text_content()


# -- Rewards (NĐ 152/2025) --------------------------------------------------------------------------


def test_half_way_rounds_up_to_the_nearest_ten_thousand():
    assert round_amount(Decimal("11385000"), "gan_nhat") == 11_390_000
    assert round_amount(Decimal("11384999"), "gan_nhat") == 11_380_000
    assert reward("cstd_toan_quoc", "ca_nhan", dt.date(2026, 7, 1), "gan_nhat").amount == 11_390_000


@pytest.mark.parametrize(("ma", "coefficient", "up", "nearest"), [
    ("xa_tieu_bieu", Decimal("2.0"), 5_060_000, 5_060_000),
    ("thon_van_hoa", Decimal("1.5"), 3_800_000, 3_800_000),  # 3.795.000
])
def test_collective_titles_of_nd_152(ma, coefficient, up, nearest):
    decided = dt.date(2026, 7, 1)
    assert facts.coefficient(ma, "tap_the", dt.date(2025, 7, 1)) == coefficient
    assert reward(ma, "tap_the", decided, "len").amount == up
    assert reward(ma, "tap_the", decided, "gan_nhat").amount == nearest
    with pytest.raises(KeyError):
        facts.coefficient(ma, "tap_the", dt.date(2025, 6, 30))
    assert ma in facts.rewards("danh_hieu", "tap_the") and ma not in facts.rewards(doi_tuong="ca_nhan")


def test_documents_print_the_award_with_its_authority():
    printed = facts.reward_names()
    assert printed["bang_khen_tinh"] == "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
    assert printed["co_tinh"] == "Cờ thi đua của Ủy ban nhân dân tỉnh"
    assert printed["giay_khen"].startswith("Giấy khen của ")
    assert not any("bộ, ban, ngành" in name for name in printed.values())
    assert facts.rewards()["bang_khen_tinh"] == "Bằng khen của bộ, ban, ngành, tỉnh"  # the category, for choices
    data = example("bao_cao_tong_ket") | {"ngay_quyet_dinh": "2026-07-01"}
    data["tien_thuong"].append({"ten": "Phường Xuân Hương - Đà Lạt", "doi_tuong": "tap_the", "khen": "xa_tieu_bieu"})
    rows = table_rows(rendered("bao_cao_tong_ket", data), 2)
    assert rows[5][2:] == ["Xã, phường, đặc khu tiêu biểu", "2",
                           "5.060.000 đồng (Năm triệu không trăm sáu mươi nghìn đồng)"]
    assert table_rows(rendered("bao_cao_tong_ket", data), 1)[2][2] == "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"


def test_a_title_decided_before_it_existed_is_refused_with_a_reason():
    assert_rejected("bao_cao_tong_ket", lambda d: d["tien_thuong"].append(
        {"ten": "Thôn Đa Lộc", "doi_tuong": "tap_the", "khen": "thon_van_hoa"}),
        "tien_thuong.4.khen", "chưa có hệ số tiền thưởng vào ngày quyết định 28/12/2021")


# -- Căn cứ -----------------------------------------------------------------------------------------


def laws():
    return [basis for basis in facts._legal_bases() if "/QH" in basis.so_hieu]


def test_a_law_is_cited_by_name_and_date_without_number_or_issuer():
    assert len(laws()) == 5
    for basis in laws():
        assert re.fullmatch(r"Căn cứ Luật [^;]+ ngày \d{1,2} tháng \d{1,2} năm \d{4}", basis.trich_dan), basis.ma
        assert not re.search(r"\bsố\s*\d", basis.trich_dan) and "QH" not in basis.trich_dan
        assert "Quốc hội" not in basis.trich_dan
    amendment = next(basis for basis in laws() if basis.ma == "luat_06_2026")
    assert amendment.trich_dan == ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng "
                                   "ngày 23 tháng 4 năm 2026")
    assert not amendment.verified  # one secondary source for the date


def test_a_2021_plan_is_offered_the_law_of_2003_as_amended_and_nd_91():
    assert [basis.so_hieu for basis in facts.legal_bases(dt.date(2021, 4, 8))] == [
        "15/2003/QH11", "47/2005/QH11", "39/2013/QH13", "91/2017/NĐ-CP"]
    assert [basis.ma for basis in facts.legal_bases(dt.date(2024, 1, 1))] == [
        "luat_tdkt_2022", "nd_98_2023", "tt_01_2024_bnv"]


def test_nd_152_end_date_is_left_open_until_verified():
    [basis] = [b for b in facts.legal_bases(dt.date(2027, 6, 1)) if b.ma == "nd_152_2025"]
    assert basis.het_hieu_luc is None and "2027-03-01" in basis.source


def test_a_law_cited_by_name_is_recognised_so_a_stale_one_is_caught():
    text = "Căn cứ Luật thi đua, khen thưởng ngày 26 tháng 11 năm 2003;"
    [basis] = facts.legal_bases_cited(text)
    assert basis.ma == "luat_tdkt_2003" and basis.state_on(dt.date(2026, 1, 15)) == "đã hết hiệu lực từ ngày 01/01/2024"


# -- Terms --------------------------------------------------------------------------------------------


def test_terms_read_with_their_labels():
    by_code = {term.ma: term for term in facts.terms()}
    assert by_code["bch_tw_xiv"].label == "khóa XIV" and by_code["bch_tw_xiv"].tu_ngay == dt.date(2026, 1, 23)
    assert by_code["dai_hoi_dang_xiii"].label == "lần thứ XIII"
    assert by_code["quoc_hoi_xvi"].tu_ngay == dt.date(2026, 3, 15) and by_code["quoc_hoi_xvi"].den_ngay is None
    assert by_code["hdnd_2021_2026"].label == "nhiệm kỳ 2021 - 2026" and by_code["hdnd_2021_2026"].so == ""
    assert by_code["dai_hoi_lam_dong_i"].label == "lần thứ I"
    assert {term.loai for term in facts.terms()} == {"khoa", "lan_thu", "nhiem_ky"}


def test_each_body_has_one_term_at_a_time_without_gaps():
    bodies: dict[tuple[str, str], list[facts.Term]] = {}
    for term in facts.terms():
        bodies.setdefault((term.co_quan, term.loai), []).append(term)
    for terms in bodies.values():
        terms.sort(key=lambda term: term.tu_ngay)
        for earlier, later in itertools.pairwise(terms):
            assert earlier.den_ngay + dt.timedelta(days=1) == later.tu_ngay, (earlier.ma, later.ma)
        assert terms[-1].den_ngay is None
