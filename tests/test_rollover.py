"""Roll-over of every kind to 2022 and 2030: what moves, what is cleared, what is listed for review."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from doctpl.cli import main
from doctpl.kind import EXAMPLES_DIR, get_kind
from doctpl.rollover import roll, shift_date
from tests.conftest import body_text, example, rendered

# What the clerk enters again in the new year (the fields declared per_year), as in the form.
PER_YEAR = {"chu_de_nam": "Chủ đề năm mới", "han_bao_cao_6_thang": "{year}-06-20", "han_bao_cao_nam": "{year}-12-20",
            "chu_de": "Chủ đề thi đua năm mới", "ngay_quyet_dinh": "{year}-12-28"}
# For each kind, lines the rolled document must contain in each target year.
EXPECTED = {
    "ke_hoach": {
        2022: ["92 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2022); Mừng xuân Nhâm Dần.",
               "tổ chức thực hiện phong trào thi đua năm 2022", "Chào mừng 47 năm ngày giải phóng Đà Lạt",
               "77 năm ngày Cách mạng tháng Tám", "92 năm phong trào Xô Viết Nghệ Tĩnh (12/9/1930 – 12/9/2022)",
               "II. NỘI DUNG PHÁT ĐỘNG PHONG TRÀO THI ĐUA NĂM 2022", "Quốc khánh 02/9/2022",
               "Báo cáo 06 tháng gửi chậm nhất ngày 20/6 và báo cáo tổng kết năm gửi chậm nhất ngày 20/12."],
        2030: ["100 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2030); Mừng xuân Canh Tuất.",
               "Chào mừng 55 năm ngày giải phóng Đà Lạt và 55 năm ngày giải phóng hoàn toàn Miền Nam",
               "Đà Lạt, ngày      tháng      năm 2030"],
    },
    "giao_uoc": {
        2022: ["năm 2022", "92 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2022)",
               "47 năm ngày giải phóng Đà Lạt (03/4/1975 – 03/4/2022)",
               "ký kết giao ước thi đua năm 2022 với các nội dung sau:"],
        2030: ["năm 2030", "100 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2030)"],
    },
    "dang_ky": {
        2022: ["năm 2022", "đăng ký danh hiệu thi đua, hình thức khen thưởng năm 2022 như sau:",
               "Thực hiện tốt các nội dung Giao ước thi đua năm 2022"],
        2030: ["năm 2030", "Số      -ĐKTĐ/BTGTU"],
    },
    "bao_cao_so_ket": {
        2022: ["sơ kết công tác thi đua 6 tháng đầu năm 2022",  # the trích yếu may break after the comma
               "- Kỷ niệm 92 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2022);",
               "- Kỷ niệm 132 năm ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 – 19/5/2022).",
               "- Kỷ niệm 77 năm ngày Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam (02/9/1945 – 02/9/2022);",
               "III. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2022"],
        2030: ["- Kỷ niệm 55 năm ngày giải phóng hoàn toàn miền Nam thống nhất đất nước (30/4/1975 – 30/4/2030);",
               "- Kỷ niệm 140 năm ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 – 19/5/2030)."],
    },
    "bao_cao_tong_ket": {
        2022: ["tổng kết công tác thi đua, khen thưởng năm 2022",
               "II. KẾT QUẢ THỰC HIỆN PHONG TRÀO THI ĐUA NĂM 2022",
               "kỷ niệm 92 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2022)",
               "Mức lương cơ sở 1.490.000 đồng theo Nghị định 38/2019/NĐ-CP, áp dụng theo ngày quyết định khen "
               "thưởng 28/12/2022"],
        2030: ["Mức lương cơ sở 2.530.000 đồng theo Nghị định 161/2026/NĐ-CP (Điều 3 khoản 2), áp dụng theo ngày "
               "quyết định khen thưởng 28/12/2030",
               "3.800.000 đồng (Ba triệu tám trăm nghìn đồng)"],
    },
}


@pytest.mark.parametrize("kind_id", list(EXPECTED))
@pytest.mark.parametrize("year", [2022, 2030])
def test_every_kind_rolls_into_the_new_year(kind_id, year):
    rolled = roll(get_kind(kind_id), example(kind_id), year)
    assert rolled.data["nam"] == year and rolled.data["so"] is None and rolled.data["ngay"] == ""
    per_year = {name for name in PER_YEAR if example(kind_id).get(name)}
    assert {f.field for f in rolled.flags} >= {"so", "ngay", *per_year}
    assert all(rolled.data[name] == "" for name in per_year)  # cleared, never moved to the new year
    data = rolled.data | {name: PER_YEAR[name].format(year=year) for name in per_year}
    text = body_text(rendered(kind_id, data))
    for line in EXPECTED[kind_id][year]:
        assert line in text, line
    assert "năm 2021" not in text.split("Nơi nhận:")[0] or rolled.highlights  # left alone, but shown
    for item in rolled.highlights:  # in the form's words, never a data path
        assert item.label and item.reason and item.text and not re.search(r"[a-z_]+\.\d", item.label)


def test_free_text_with_the_old_year_is_highlighted_not_rewritten():
    data = example("ke_hoach")
    rolled = roll(get_kind("ke_hoach"), data, 2022)
    fields = {h.field for h in rolled.highlights if h.reason == "còn ghi năm 2021"}
    assert "noi_dung.1.thanh_phan.0.van_ban" in fields  # "Năm 2021 có ý nghĩa đặc biệt quan trọng…"
    assert rolled.data["noi_dung"][1]["thanh_phan"][0]["van_ban"].startswith("Năm 2021 có ý nghĩa")
    assert "can_cu.0" in fields
    assert all(h.field != "noi_dung.1.tieu_de" for h in rolled.highlights)  # uses [[nam]], nothing to review


def test_dates_move_by_whole_years():
    assert shift_date("2021-06-20", 1) == "2022-06-20"
    assert shift_date("20/12/2021", 9) == "2030-12-20"
    assert shift_date("2024-02-29", 1) == "2025-02-28"


def test_a_base_repealed_by_the_new_year_is_flagged_on_roll_over():
    plan = roll(get_kind("ke_hoach"), example("ke_hoach"), 2025).data  # a 2025 plan citing NĐ 98/2023
    plan["can_cu"] = ["Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ;"]
    assert not [f for f in roll(get_kind("ke_hoach"), plan, 2025).flags if f.field.startswith("can_cu")]
    flags = [f for f in roll(get_kind("ke_hoach"), plan, 2026).flags if f.field.startswith("can_cu")]
    assert [(f.field, f.message.split(",")[1].strip()) for f in flags] == [
        ("can_cu.0", "đã hết hiệu lực từ ngày 01/7/2025")]


def test_signer_is_cleared_when_the_trưởng_khối_rotates():
    rolled = roll(get_kind("ke_hoach"), example("ke_hoach"), 2022, signer={})
    assert rolled.data["nguoi_ky"]["ho_ten"] == "" and rolled.data["nguoi_ky"]["tham_quyen"] == "TM"
    assert any(f.field == "nguoi_ky" for f in rolled.flags)


def test_cli_rollover_of_a_data_file(tmp_path):
    out = tmp_path / "ke_hoach_2022.json"
    result = CliRunner().invoke(main, ["rollover", str(EXAMPLES_DIR / "ke_hoach.json"), "--kind", "ke_hoach",
                                       "--to-year", "2022", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Cần xem lại – Số văn bản: Số văn bản để trống" in result.output
    assert ("Cần xem lại – Mục II. Nội dung phát động phong trào thi đua năm 2022 › đoạn «Năm 2021 có ý nghĩa đặc "
            "biệt…»: còn ghi năm 2021 «Năm 2021 có ý nghĩa") in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["nam"] == 2022 and data["han_bao_cao_nam"] == "" and data["ngay"] == ""
    result = CliRunner().invoke(main, ["rollover", str(EXAMPLES_DIR / "ke_hoach.json")])
    assert result.exit_code == 2 and "--kind, --to-year và -o" in result.output


def test_cli_rollover_lists_what_to_review_as_json(tmp_path):
    out = tmp_path / "ke_hoach_2027.json"
    result = CliRunner().invoke(main, ["rollover", str(EXAMPLES_DIR / "ke_hoach.json"), "--kind",
                                       "ke_hoach", "--to-year", "2027", "-o", str(out), "--json"])
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    assert all(set(item) == {"field", "label", "reason", "text"} for item in items)
    assert {"field": "so", "label": "Số văn bản", "reason": "Số văn bản để trống: lấy số mới khi ban hành.",
            "text": ""} in items  # a flag: to re-enter, nothing quoted
    assert any(item["reason"].startswith("Quốc hội (khóa XV)") and "Quốc hội khóa XV" in item["text"]
               for item in items)
    assert f"Đã tạo {out}" in result.stderr


def test_cli_rollover_of_a_khoi_in_the_database(tmp_path):
    from doctpl.store import records, seed
    from doctpl.store.db import Store

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    store = Store(url)
    store.upgrade()
    with store.session() as session:
        assert seed.seed_demo(session)
    args = ["rollover", "--khoi", "1", "--from", "2021", "--to", "2022", "--database", url, "--who", "Văn thư khối"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.count("→ số") == 5 and "Đã lấy theo danh mục" in result.output
    assert "Chủ đề năm 2021 không dùng cho năm 2022" in result.output and "(bản nháp" in result.output
    with store.session() as session:
        rolled = records.find(session, khoi_id=1, nam=2022)
        assert len(rolled) == 5 and all(r.tao_tu for r in rolled)
    again = CliRunner().invoke(main, [*args, "--json"])
    assert again.exit_code == 0 and {item["ket_qua"] for item in json.loads(again.stdout)} == {"da_co"}
    store.dispose()
    result = CliRunner().invoke(main, ["rollover", "--khoi", "1", "--from", "2019", "--to", "2020",
                                       "--database", url])
    assert result.exit_code == 2 and "không có văn bản năm 2019" in result.output


def test_api_rollover(client):
    response = client.post("/api/v1/rollover/ke_hoach?to_year=2030", json=example("ke_hoach"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["data"]["nam"] == 2030 and body["from_year"] == 2021
    assert {f["field"] for f in body["flags"]} >= {"so", "ngay", "chu_de_nam", "han_bao_cao_6_thang"}
    assert body["review"] and all(set(item) == {"field", "label", "reason", "text"} for item in body["review"])
    assert {"field": "chu_de_nam", "label": "Chủ đề năm", "text": "",
            "reason": "Chủ đề năm 2021 không dùng cho năm 2030: nhập chủ đề năm 2030."} in body["review"]
    assert client.post("/api/v1/rollover/ke_hoach?to_year=abc", json=example("ke_hoach")).status_code == 400
    bad = client.post("/api/v1/rollover/ke_hoach?to_year=2022", json={"nam": 2021})
    assert bad.status_code == 422
