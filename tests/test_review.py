"""The stale-fact review: what a document's free text says that may no longer hold on its date."""

from __future__ import annotations

import datetime as dt
import html
import re

import lxml.html
import pytest

from doctpl.kind import get_kind, kinds
from doctpl.review import Finding, locate, stale_facts
from doctpl.rollover import roll
from doctpl.store.models import VanBan
from tests.conftest import example
from tests.test_web import form_fields

DOTTED = re.compile(r"[a-z_]+\.\d")  # a data path such as noi_dung.1.thanh_phan.0
DALAT = {"Thành ủy Đà Lạt": "không còn từ 01/7/2025 (thay bằng Đảng ủy các phường)"}
PLAN_2027 = "Mục II. Nội dung phát động phong trào thi đua năm 2027 › đoạn «Năm 2021 có ý nghĩa đặc biệt…»"


def review_of(kind_id: str, data: dict, on: dt.date, names: dict[str, str] | None = None) -> list[Finding]:
    return stale_facts(get_kind(kind_id), data, on, names or {})


def quoting(findings: list[Finding], fragment: str) -> list[Finding]:
    return [f for f in findings if fragment in f.text]


@pytest.fixture(scope="module")
def plan_2027():
    return roll(get_kind("ke_hoach"), example("ke_hoach"), 2027, names=DALAT)


def test_the_2021_plan_rolled_to_2027_lists_every_stale_fact_in_words(plan_2027):
    found = plan_2027.highlights
    assert found and all(f.label and not DOTTED.search(f.label) for f in found)
    opening = [f for f in found if f.field == "noi_dung.1.thanh_phan.0.van_ban"]
    assert {f.label for f in opening} == {PLAN_2027}
    reasons = {f.reason for f in opening}
    assert "Quốc hội (khóa XV) đã hết nhiệm kỳ từ ngày 15/3/2026; nay là khóa XVI" in reasons
    assert ("Hội đồng nhân dân các cấp (nhiệm kỳ 2021 - 2026) đã hết nhiệm kỳ từ ngày 15/3/2026; "
            "nay là nhiệm kỳ 2026 - 2031") in reasons
    assert ("Đại hội đại biểu toàn quốc của Đảng (lần thứ XIII) đã hết nhiệm kỳ từ ngày 23/01/2026; "
            "nay là lần thứ XIV") in reasons
    assert "còn ghi năm 2021" in reasons
    [khoa_xii] = [f for f in opening if "Khoá XII" in f.text]
    assert khoa_xii.reason.startswith("văn bản của Ban Chấp hành Trung ương Đảng khóa XII (2016 – 2021), "
                                      "một nhiệm kỳ đã qua; nay là khóa XIV")
    # «nhiệm kỳ 2021-2026» written without spaces, under a dash item of khoản 1.
    dash_path = "noi_dung.1.thanh_phan.1.con.0.con.0.van_ban"
    [dash] = [f for f in quoting(found, "nhiệm kỳ 2021-2026") if f.field == dash_path and "hết nhiệm kỳ" in f.reason]
    assert dash.label == ("Mục II. Nội dung phát động phong trào thi đua năm 2027 › khoản 1 «Nhiệm vụ chung» › "
                          "gạch đầu dòng «Về công tác tư tưởng» › đoạn «Nâng cao chất lượng tham mưu các…»")


def test_dates_outside_the_new_year_are_found_in_every_form(plan_2027):
    found = plan_2027.highlights
    by_field = {f.field: f for f in found if f.reason == "còn ghi năm 2021"}
    assert "ngày 29 tháng 3 năm 2021" in by_field["can_cu.0"].text  # ngày … tháng … năm …
    assert "08/4/2021" in by_field["can_cu.1"].text and by_field["can_cu.1"].label == "Căn cứ thứ 2"
    assert "06 tháng đầu năm 2021" in by_field["noi_dung.1.thanh_phan.3.con.1.con.3.van_ban"].text
    assert not [f for f in found if "2013" in f.reason]  # «Công văn số 2013/UBND-NV»: a number, not a year
    [review_2020] = [f for f in found if f.reason == "còn ghi năm 2020"]  # «tổng kết … năm 2020»: two years back
    assert review_2020.label.endswith("› Quý I «Mừng đảng, mừng xuân» › gạch đầu dòng «Tham mưu cho cấp uỷ tổ chức…»")


def test_registry_names_no_longer_in_force_are_found_in_any_spelling(plan_2027):
    [unit] = quoting(plan_2027.highlights, "Công Đoàn cơ quan Thành ủy Đà Lạt")
    assert unit.reason == "«Thành ủy Đà Lạt» không còn từ 01/7/2025 (thay bằng Đảng ủy các phường)"
    data = roll(get_kind("ke_hoach"), example("ke_hoach"), 2027).data
    data["noi_dung"][2]["thanh_phan"][0]["van_ban"] = (
        "Báo cáo THÀNH ỦY ĐÀ LẠT.\nGửi Thành uỷ Đà Lạt.\nGửi Thanh uy Da Lat.")
    found = [f for f in review_of("ke_hoach", data, dt.date(2027, 1, 1), DALAT)
             if f.field == "noi_dung.2.thanh_phan.0.van_ban"]
    assert [f.text for f in found] == ["Báo cáo THÀNH ỦY ĐÀ LẠT.", "Gửi Thành uỷ Đà Lạt."]  # diacritics count
    assert found[1].label == ("Mục III. Tổ chức thực hiện › khoản 1 «Báo cáo THÀNH ỦY ĐÀ LẠT.» › "
                              "đoạn «Gửi Thành uỷ Đà Lạt.»")
    assert not quoting(review_of("ke_hoach", data, dt.date(2027, 1, 1)), "Thành uỷ Đà Lạt")  # names={} by default


def test_the_years_theme_and_deadlines_are_cleared_and_flagged_to_fill(plan_2027):
    data, flags = plan_2027.data, {f.field: f.message for f in plan_2027.flags}
    assert data["chu_de_nam"] == "" and data["han_bao_cao_6_thang"] == "" and data["han_bao_cao_nam"] == ""
    assert flags["chu_de_nam"] == "Chủ đề năm 2021 không dùng cho năm 2027: nhập chủ đề năm 2027."
    assert flags["han_bao_cao_nam"] == ("Hạn gửi báo cáo năm 2021 không dùng cho năm 2027: "
                                        "nhập hạn gửi báo cáo năm 2027.")
    # The body's [[chu_de_nam]] and [[han_bao_cao]] have no value yet: listed to fill, in words.
    assert flags["noi_dung.1.thanh_phan.0.van_ban"] == "Cần điền: Mã [[chu_de_nam]] cần nhập «Chủ đề năm» trước."
    assert flags["noi_dung.2.thanh_phan.1.van_ban"] == (
        "Cần điền: Mã [[han_bao_cao]] cần nhập «Hạn gửi báo cáo 6 tháng» hoặc «Hạn gửi báo cáo năm» trước.")
    assert plan_2027.label("noi_dung.1.thanh_phan.0.van_ban") == PLAN_2027
    assert not [f for f in plan_2027.highlights if f.field == "chu_de_nam"]  # cleared, so nothing left to review
    covenant = roll(get_kind("giao_uoc"), example("giao_uoc"), 2027)
    assert covenant.data["chu_de"] == "" and {f.field for f in covenant.flags} >= {"chu_de"}
    assert [f.message for f in covenant.flags if f.field == "chu_de"] == [
        "Chủ đề thi đua năm 2021 không dùng cho năm 2027: nhập chủ đề thi đua năm 2027."]


def test_a_can_chi_typed_as_text_is_checked_against_the_year():
    rolled = roll(get_kind("ke_hoach"), example("ke_hoach", "ke_hoach_cum_phuong.json"), 2027)
    [can_chi] = [f for f in rolled.highlights if "Bính Ngọ" in f.reason]
    assert can_chi.reason == "«Bính Ngọ» là năm 2026; năm 2027 là năm Đinh Mùi (mã [[can_chi]] tự tính theo năm)"
    assert can_chi.label == "Mục I. Mục đích, yêu cầu › điểm a) «Khơi dậy tinh thần thi đua yêu…»"
    assert not review_of("ke_hoach", example("ke_hoach", "ke_hoach_cum_phuong.json"), dt.date(2026, 1, 1))


def test_catalogued_legal_documents_in_force_keep_their_years():
    data = example("ke_hoach", "ke_hoach_cum_phuong.json") | {"nam": 2027}
    data["noi_dung"][0]["thanh_phan"][1]["van_ban"] = (
        "Thực hiện Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 và Nghị định số 98/2023/NĐ-CP của Chính phủ.")
    found = review_of("ke_hoach", data, dt.date(2027, 1, 1))
    assert [(f.field, f.reason) for f in found if f.field == "noi_dung.0.thanh_phan.1.van_ban"] == [
        ("noi_dung.0.thanh_phan.1.van_ban", "dẫn văn bản số 98/2023/NĐ-CP, đã hết hiệu lực từ ngày 01/7/2025")]
    assert not {"còn ghi năm 2025", "còn ghi năm 2022"} & {f.reason for f in found}  # nor the Luật of 2022
    # A căn cứ line already has its own warning (body.can_cu_warnings): the review does not repeat it.
    data["can_cu"][1] = "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ;"
    assert not [f for f in review_of("ke_hoach", data, dt.date(2027, 1, 1)) if f.field == "can_cu.1"]


def test_anniversary_periods_tokens_spans_and_looking_back():
    data = example("ke_hoach")
    blocks = data["noi_dung"][2]["thanh_phan"]
    blocks[0]["van_ban"] = "Tổ chức kỷ niệm 91 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2021)."
    blocks[1]["van_ban"] = "Tổ chức kỷ niệm [[ky_niem:thanh_lap_dang]]; chào mừng Quốc khánh 02/9/[[nam]]."
    blocks[2]["van_ban"] = "Thực hiện kế hoạch giai đoạn 2021 – 2025; tổng kết năm 2026; sơ kết năm 2026."
    found = {(f.field, f.reason) for f in review_of("ke_hoach", data, dt.date(2027, 1, 1))
             if f.field.startswith("noi_dung.2.")}
    assert found == {
        ("noi_dung.2.thanh_phan.0.van_ban", "kỳ kỷ niệm tính đến năm 2021, không phải năm 2027 "
                                      "(mã [[ky_niem:…]] tự tính theo năm)"),
        ("noi_dung.2.thanh_phan.2.van_ban", "giai đoạn 2021 – 2025 không gồm năm 2027"),
        # «sơ kết năm 2026»; the tổng kết of 2026 is due in 2027
        ("noi_dung.2.thanh_phan.2.van_ban", "còn ghi năm 2026"),
    }
    assert len([f for f in review_of("ke_hoach", data, dt.date(2027, 1, 1))
                if f.field == "noi_dung.2.thanh_phan.2.van_ban" and f.reason == "còn ghi năm 2026"]) == 1
    assert "sơ kết năm 2026" in next(f.text for f in review_of("ke_hoach", data, dt.date(2027, 1, 1))
                                     if f.reason == "còn ghi năm 2026")


def test_a_term_of_a_body_not_in_the_table_is_flagged_only_when_no_body_had_that_number():
    data = example("ke_hoach")  # chủ đề năm 2021: «… Đại hội Đảng bộ thành phố lần thứ XII»
    assert not review_of("ke_hoach", data, dt.date(2021, 4, 8))  # khóa XII of the Central Committee until 31/01/2021
    found = [f.reason for f in review_of("ke_hoach", data | {"nam": 2027}, dt.date(2027, 1, 1))
             if f.field == "chu_de_nam"]
    assert "lần thứ XII: không xác định được nhiệm kỳ; kiểm tra lại" in found
    assert any(reason.startswith("văn bản của Đại hội đại biểu Đảng bộ tỉnh Lâm Đồng lần thứ XI (2020 – 2025)")
               for reason in found)  # «Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XI»


@pytest.mark.parametrize("kind", kinds(), ids=lambda kind: kind.id)
def test_a_fresh_example_has_no_stale_fact_and_no_warning(kind):
    for name in kind.examples:
        data = kind.validate(kind.example(name))
        assert kind.warnings(data) == [], name


def test_a_document_composed_for_another_year_is_warned_about_then_listed_on_its_record(client):
    values = form_fields(client.get("/ke_hoach").data)  # the 2021 plan, retyped as the 2022 one
    values |= {"nam": "2022", "ngay": "2022-01-05", "han_bao_cao_6_thang": "2022-06-20",
               "han_bao_cao_nam": "2022-12-20"}
    warned = client.post("/ke_hoach", data=values)
    assert warned.status_code == 200
    summary = lxml.html.fromstring(warned.data).get_element_by_id("warning-summary").text_content()
    assert "còn ghi năm 2021: «Năm 2021 có ý nghĩa đặc biệt quan trọng" in " ".join(summary.split())
    saved = client.post("/ke_hoach", data=values | {"_xac_nhan": "1"})
    assert saved.status_code == 303
    page = html.unescape(client.get(saved.headers["Location"].split("?")[0]).get_data(as_text=True))
    assert "Cần xem lại trước khi ký" in page
    assert ("Mục II. Nội dung phát động phong trào thi đua năm 2022 › đoạn «Năm 2021 có ý nghĩa đặc biệt…»</strong>: "
            "còn ghi năm 2021") in page
    assert "noi_dung.1" not in page


def test_locate_names_places_in_the_forms_words():
    kind, data = get_kind("ke_hoach"), example("ke_hoach")
    assert locate(kind.fields, data, "noi_dung.1.tieu_de") == "Mục II. Nội dung phát động phong trào thi đua năm 2021"
    assert locate(kind.fields, data, "noi_dung.1.thanh_phan.3.con.1.chu_de") == (
        "Mục II. Nội dung phát động phong trào thi đua năm 2021 › khoản 3 «Nhiệm vụ phát động phong trào thi…» › "
        "Quý II «Chào mừng 46 năm ngày giải phóng…»")
    opening = "Qua công tác thi đua – khen thưởng nhằm kịp thời"
    assert locate(kind.fields, data, "noi_dung.0.thanh_phan.0.van_ban", opening) \
        == "Mục I. Mục đích – Yêu cầu › khoản 1 «Mục đích» › đoạn «Qua công tác thi đua – khen…»"
    assert locate(kind.fields, data, "co_quan.chu_quan") == "Cơ quan, tổ chức chủ quản"
    assert locate(kind.fields, data, "nguoi_ky") == "Người ký"
    report = get_kind("bao_cao_so_ket")
    assert locate(report.fields, example("bao_cao_so_ket"), "noi_dung.0.thanh_phan.1.van_ban").startswith(
        "Mục I. Kết quả thực hiện công tác thi đua, khen thưởng [[ky_bao_cao]] › ")


def test_the_comparison_wraps_between_words_never_inside_one(plan_2027):
    from web.records import comparison, document_lines

    old = example("ke_hoach")
    table = comparison(VanBan(kind="ke_hoach"), old, plan_2027)
    rows = lxml.html.fromstring(table).xpath("//tbody/tr[count(td) = 4]")
    assert rows and "<br" not in table and "&nbsp;" not in table
    before, after = set(document_lines("ke_hoach", old)), set(document_lines("ke_hoach", plan_2027.data))
    for row in rows:  # every cell holds one whole paragraph of its document
        left, right = (cell.text_content() for cell in row.xpath("td")[1::2])
        assert (not left or left in before) and (not right or right in after)
    changed = lxml.html.fromstring(table).xpath("//span[@class='diff_chg']")
    assert changed and {"2021", "2027"} <= {span.text_content().strip() for span in changed}
    assert any("Mừng xuân Đinh Mùi." in after_line for after_line in after)


def test_a_year_token_next_to_last_year_s_events_is_flagged():
    kind = get_kind("ke_hoach")
    plan = kind.example("ke_hoach_2026_khoi_dang.json")
    assert not kind.warnings(kind.validate(plan))  # right for 2026
    reasons = [f.reason for f in roll(kind, plan, 2027).highlights]
    assert "câu tự điền năm (mã [[nam]], nay là năm 2027) nhưng nói về sự kiện của năm 2026: kiểm tra lại" in reasons


def test_a_report_s_results_are_listed_whole_to_rewrite():
    kind = get_kind("bao_cao_tong_ket")
    rolled = roll(kind, kind.example("bao_cao_tong_ket_2026_khoi_dang.json"), 2027)
    whole = {f.label for f in rolled.highlights if f.reason == "nội dung của năm 2026: viết lại cho năm 2027"}
    assert whole == {"Nội dung văn bản", "Chấm điểm thi đua", "Đề nghị khen thưởng", "Tiền thưởng"}
    assert rolled.data["diem"]  # kept to rewrite, not cleared


def test_roles_and_events_of_the_old_year_are_listed_on_roll_over():
    kind = get_kind("ke_hoach")
    rolled = roll(kind, kind.example("ke_hoach_2026_khoi_dang.json"), 2027)
    texts = {(f.reason.split(":")[0], f.text) for f in rolled.highlights}
    assert any(reason == "nói về trưởng, phó khối của năm 2026" and "Ban Tuyên giáo và Dân vận" in text
               for reason, text in texts)
    assert any(reason == "sự kiện diễn ra năm 2026" and "bầu cử đại biểu Quốc hội khóa XVI" in text
               for reason, text in texts)
    assert not any("Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng vào" in text for _, text in texts)
    report = get_kind("bao_cao_tong_ket")
    decided = roll(report, report.example("bao_cao_tong_ket_2026_khoi_dang.json"), 2027)
    assert decided.data["ngay_quyet_dinh"] in ("", None)  # a decision date is one year's, never moved
    assert any(f.field == "ngay_quyet_dinh" for f in decided.flags)
