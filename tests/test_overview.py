"""«Năm thi đua»: the states and deadlines of a khối's year, its cells' links, its scopes, its .xlsx, and each unit's
self-score sheet through the web and the API (SQLite and PostgreSQL); «today» is passed in, never waited for."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from doctpl.facts import DATA_DIR
from doctpl.store import numbering, overview, records, registry_edit, seed
from doctpl.store.models import DonVi, Khoi, VanBan
from tests.conftest import csrf_token, signed_in
from tests.stores import store  # noqa: F401  (fixture: each test database)

PARTY, CUM = "KTD-CQD-LD", "CTDP2-LD"
JUNE = dt.date(2026, 6, 15)


@pytest.fixture
def demo(web):  # noqa: F811
    """The app on each test database, with the demo seeded."""
    with web.extensions["doctpl.store"].session() as session:
        seed.seed_demo(session)
    return web


def code_ids(session) -> dict[str, int]:
    """Return the id of every demo khối and body by its code."""
    units = {unit.ma: unit.id for unit in session.scalars(select(DonVi))}
    return {**{khoi.ma: khoi.id for khoi in session.scalars(select(Khoi))}, **units}


def cells(year: overview.Year) -> dict[tuple[str, str], overview.Cell]:
    """Return the cells of an overview by (unit name or «khối», column)."""
    out = {(row.unit.ten, cell.column): cell for row in year.rows for cell in row.cells}
    if year.khoi_row is not None:
        out |= {("khối", cell.column): cell for cell in year.khoi_row.cells}
    return out


def test_every_document_of_the_demo_year_has_its_state_and_date(store):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        party = cells(overview.year(session, code_ids(session)[PARTY], 2026, today=JUNE))
        cum = cells(overview.year(session, code_ids(session)[CUM], 2026, today=JUNE))
    state = {key: (cell.state, cell.entries[0].on if cell.entries else None) for key, cell in party.items()}
    assert state[("Ban Tuyên giáo và Dân vận Tỉnh ủy", "dang_ky")] == ("ban_hanh", dt.date(2026, 2, 13))
    assert state[("Văn phòng Tỉnh ủy", "bao_cao_so_ket")][0] == "nhap"
    assert state[("Ban Tổ chức Tỉnh ủy", "dang_ky")] == ("chua_co", None)
    assert state[("khối", "ke_hoach")] == ("ban_hanh", dt.date(2026, 2, 11))
    assert state[("khối", "giao_uoc")] == ("da_lay_so", dt.date(2026, 2, 24))
    assert party[("khối", "giao_uoc")].entries[0].note == "Số 02"
    for kind, day in (("bang_diem", 18), ("bien_ban", 18), ("to_trinh", 21), ("giay_moi", 8)):
        assert state[("khối", kind)] == ("da_lay_so", dt.date(2026, 12, day)), kind
    # Self-scores from the khối's bảng điểm: three units complete, one under way, the others not started.
    assert [party[(name, "tu_cham")].state for name in (
        "Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy",
        "Ban Nội chính Tỉnh ủy", "Trường Chính trị tỉnh Lâm Đồng")] == [
        "da_cham", "da_cham", "da_cham", "dang_cham", "chua_co", "chua_co"]
    assert party[("Văn phòng Tỉnh ủy", "tu_cham")].entries[0].note == "101/100 điểm"
    assert party[("Ủy ban Kiểm tra Tỉnh ủy", "tu_cham")].entries[0].note == "6/13 tiêu chí, 59,5/100 điểm"
    # The cụm: its phường are named «Phường …» in the bảng điểm, «Ủy ban nhân dân phường …» in the registry.
    assert {cell.state for (unit, column), cell in cum.items() if column == "tu_cham"} == {"da_cham"}
    assert cum[("khối", "bien_ban")].state == "da_soan" and cum[("khối", "giay_moi")].state == "da_soan"
    assert cum[("khối", "giao_uoc")].state == "ban_hanh"
    assert cum[("Ủy ban nhân dân phường Lâm Viên - Đà Lạt", "dang_ky")].state == "da_lay_so"
    assert cum[("khối", "ke_hoach")].state == "da_soan"


def test_a_number_of_the_register_counts_as_numbered_and_a_deleted_record_as_none(store):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        cum = code_ids(session)[CUM]
        minutes = session.scalar(select(VanBan).where(VanBan.khoi_id == cum, VanBan.kind == "bien_ban"))
        numbering.take(session, "CTĐP2", 2026, "Biên bản", kind="bien_ban", who="t", van_ban_id=minutes.id,
                       ngay=dt.date(2026, 2, 6))
        cell = cells(overview.year(session, cum, 2026, today=JUNE))[("khối", "bien_ban")]
        assert (cell.state, cell.entries[0].on) == ("da_lay_so", dt.date(2026, 2, 5))  # the document's own date
        records.delete(session, minutes.id, who="t")
        assert cells(overview.year(session, cum, 2026, today=JUNE))[("khối", "bien_ban")].state == "chua_co"


@pytest.mark.parametrize(("today", "alert"), [
    (dt.date(2026, 2, 7), ""), (dt.date(2026, 2, 8), "sap_han"), (dt.date(2026, 2, 15), "sap_han"),
    (dt.date(2026, 2, 16), "qua_han"),
])
def test_the_registration_deadline_is_highlighted_as_it_nears_and_passes(store, today, alert):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        party = cells(overview.year(session, code_ids(session)[PARTY], 2026, today=today))
    assert party[("Ban Tổ chức Tỉnh ủy", "dang_ky")].alert == alert  # not started
    assert party[("Ban Tuyên giáo và Dân vận Tỉnh ủy", "dang_ky")].alert == ""  # issued on 13/02


def test_deadlines_come_from_the_plan_else_from_the_usual_ones(store):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        party = overview.year(session, code_ids(session)[PARTY], 2026, today=JUNE)
        cum = overview.year(session, code_ids(session)[CUM], 2026, today=JUNE)
    due = {d.column: d for d in party.deadlines}
    assert (due["bao_cao_so_ket"].on, due["bao_cao_tong_ket"].on, due["tu_cham"].on) == (
        dt.date(2026, 6, 10), dt.date(2026, 12, 5), dt.date(2026, 12, 5))  # the plan's han_bao_cao_* fields
    assert due["bao_cao_so_ket"].verified and due["bao_cao_so_ket"].source.startswith("Kế hoạch số 01 ngày 10/02/2026")
    assert (due["dang_ky"].on, due["dang_ky"].verified) == (dt.date(2026, 2, 15), False)  # the plan sets none
    usual = {d.column: d for d in cum.deadlines}  # the cụm's plan sets no deadline at all
    assert (usual["bao_cao_so_ket"].on, usual["bao_cao_tong_ket"].on) == (dt.date(2026, 6, 20), dt.date(2026, 12, 20))
    assert "han_thi_dua.csv" in usual["bao_cao_so_ket"].source and not usual["bao_cao_so_ket"].verified
    party_cells, cum_cells = cells(party), cells(cum)
    assert party_cells[("Ban Nội chính Tỉnh ủy", "bao_cao_so_ket")].alert == "qua_han"  # 10/6 passed on 15/6
    assert party_cells[("Văn phòng Tỉnh ủy", "bao_cao_so_ket")].alert == "qua_han"  # a draft is not sent either
    assert cum_cells[("Ủy ban nhân dân phường Cam Ly - Đà Lạt", "bao_cao_so_ket")].alert == "sap_han"  # 20/6
    assert cum_cells[("Ủy ban nhân dân phường Lâm Viên - Đà Lạt", "dang_ky")].alert == "muon"  # numbered 20/3
    assert party_cells[("khối", "bao_cao_so_ket")].alert == ""  # the units' deadline is not the khối's own
    with (DATA_DIR / overview.DEADLINES_FILE).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["ma"] for row in rows} >= {"dang_ky", "bao_cao_so_ket", "bao_cao_tong_ket"}
    assert all(row["nguon"] and (row["xac_minh"] == "V" or "[U]" in row["nguon"]) for row in rows)


def page_of(client, khoi_id: int, nam: int = 2026) -> str:
    """Return the overview page's HTML, asserting it answered."""
    response = client.get(f"/khoi/{khoi_id}/nam/{nam}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_each_cell_opens_its_record_or_starts_the_document_prefilled(demo):
    with demo.extensions["doctpl.store"].session() as session:
        found = code_ids(session)
        registration = session.scalar(select(VanBan.id).where(VanBan.don_vi_id == found["BTGDVTU-LD"]))
        scores = session.scalar(select(VanBan.id).where(VanBan.khoi_id == found[PARTY], VanBan.kind == "bang_diem"))
    admin = signed_in(demo)
    page = page_of(admin, found[PARTY])
    assert f'href="/van-ban/{registration}"' in page and f'href="/van-ban/{scores}#tu-cham"' in page
    start = f'/dang_ky?khoi={found[PARTY]}&amp;don_vi={found["BTCTU-LD"]}&amp;nam=2026'
    assert start in page and f'/bien_ban?khoi={found[PARTY]}&amp;nam=2026' in page  # «Soạn thêm» a biên bản
    form = admin.get(html.unescape(start)).get_data(as_text=True)
    assert "Ban Tổ chức Tỉnh ủy" in form and 'value="2026"' in form
    assert f"/van-ban/{scores}/diem/{found['BNCTU-LD']}.xlsx" in page  # a unit that has not scored gets its sheet
    record = admin.get(f"/van-ban/{registration}").get_data(as_text=True)
    assert f'href="/khoi/{found[PARTY]}/nam/2026"' in record  # and back from the record


def test_the_overview_keeps_to_the_account_s_scope(demo):
    with demo.extensions["doctpl.store"].session() as session:
        found = code_ids(session)
    secretary = signed_in(demo, "thuky", "thu_ky", "Thư ký khối", khoi_id=found[PARTY])
    other_secretary = signed_in(demo, "thuky-cum", "thu_ky", "Thư ký cụm", khoi_id=found[CUM])
    clerk = signed_in(demo, "vanthu", "van_thu", "Văn thư Ban Tuyên giáo", don_vi_id=found["BTGDVTU-LD"])
    stranger = signed_in(demo, "vanthu-lv", "van_thu", "Văn thư phường Lâm Viên", don_vi_id=found["P-LV"])
    assert "Văn bản của Khối" in page_of(secretary, found[PARTY])
    own = page_of(clerk, found[PARTY])  # a unit's văn thư sees its own row, not the others' nor the khối's
    assert "Ban Tuyên giáo và Dân vận Tỉnh ủy" in own and "Ban Tổ chức Tỉnh ủy" not in own
    assert "Văn bản của Khối" not in own
    assert set(re.findall(r'href="/van-ban/(\d+)[#"]', own)) == {str(_registration(demo))}
    for client, khoi_id in ((other_secretary, found[PARTY]), (stranger, found[PARTY]), (secretary, found[CUM])):
        for path in (f"/khoi/{khoi_id}/nam/2026", f"/khoi/{khoi_id}/nam/2026.xlsx"):
            assert client.get(path).status_code == 404, path
    admin = signed_in(demo)
    assert admin.get("/khoi/99999/nam/2026").status_code == 404
    assert admin.get(f"/khoi/{found[PARTY]}/nam/99999").status_code == 404
    assert clerk.get(f"/khoi/{found[PARTY]}/nam/2024").status_code == 404  # not a member that year
    mine = clerk.get("/nam-thi-dua")
    assert mine.status_code == 302 and mine.headers["Location"].startswith(f"/khoi/{found[PARTY]}/nam/")
    assert secretary.get("/nam-thi-dua").headers["Location"].startswith(f"/khoi/{found[PARTY]}/nam/")
    assert f"/khoi/{found[CUM]}/nam/" in admin.get("/nam-thi-dua").get_data(as_text=True)
    assert demo.test_client().get(f"/khoi/{found[PARTY]}/nam/2026").status_code == 302  # sign in first


def _registration(application) -> int:
    with application.extensions["doctpl.store"].session() as session:
        return session.scalar(select(VanBan.id).join(DonVi, DonVi.id == VanBan.don_vi_id)
                              .where(DonVi.ma == "BTGDVTU-LD"))


def test_the_overview_exports_to_xlsx_with_its_states_and_safe_cells(demo):
    with demo.extensions["doctpl.store"].session() as session:
        found = code_ids(session)
        khoi = session.get(Khoi, found[PARTY])
        registry_edit.create_body(session, {"ten": '=HYPERLINK("http://x","y")', "ky_hieu": "X",
                                            "tu_ngay": "2026-01-01"}, khoi=khoi)
    admin = signed_in(demo)
    response = admin.get(f"/khoi/{found[PARTY]}/nam/2026.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert "nam-thi-dua-2026-Khoi-thi-dua-cac-co-quan-Dang-tinh.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Đơn vị"][:4] == ("Đăng ký thi đua", "Tự chấm điểm", "Báo cáo sơ kết", "Báo cáo tổng kết")
    assert rows["Ban Tuyên giáo và Dân vận Tỉnh ủy"][0] == "Đã ban hành Số 03 ngày 13/02/2026"
    assert rows["Văn phòng Tỉnh ủy"][2].startswith("Bản nháp") and rows["Văn phòng Tỉnh ủy"][0].startswith("Chưa có")
    assert rows["Văn phòng Tỉnh ủy"][1].startswith("Đã tự chấm 101/100 điểm")
    assert rows["Khối thi đua các cơ quan Đảng tỉnh"][0].startswith("Đã ban hành Số 01 ngày 11/02/2026")
    assert "'=HYPERLINK(\"http://x\",\"y\")" in rows  # a name that would run as a formula stays text
    assert any(str(key).startswith("15/02/2026") or key == "15/02/2026" for key in rows)


def fill(content: bytes, score) -> bytes:
    """Return a self-score sheet with every standard criterion given `score` (a callable of the maximum, or a value)."""
    book = load_workbook(io.BytesIO(content))
    sheet = book["Tự chấm"]
    for row in sheet.iter_rows(min_row=6):
        code, _, loai, maximum = (cell.value for cell in row[:4])
        if code and loai == "Điểm chuẩn" and row[5].protection.locked is False:
            row[5].value = score(maximum) if callable(score) else score
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_unit_s_self_score_goes_round_through_the_web(demo):
    with demo.extensions["doctpl.store"].session() as session:
        found = code_ids(session)
        scores = session.scalar(select(VanBan.id).where(VanBan.khoi_id == found[PARTY], VanBan.kind == "bang_diem"))
    admin = signed_in(demo)
    sheet_url = f"/van-ban/{scores}/diem/{found['BNCTU-LD']}.xlsx"
    blank = admin.get(sheet_url)
    assert blank.status_code == 200
    assert "tu-cham-2026-Ban-Noi-chinh-Tinh-uy.xlsx" in blank.headers["Content-Disposition"]
    record_page = admin.get(f"/van-ban/{scores}").get_data(as_text=True)
    assert 'id="tu-cham"' in record_page and sheet_url in record_page
    token = csrf_token(record_page)
    post = f"/van-ban/{scores}/diem/{found['BNCTU-LD']}"
    wrong = admin.post(post, content_type="multipart/form-data",
                       data={"csrf_token": token, "tep": (io.BytesIO(fill(blank.data, 99)), "bnc.xlsx")})
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and re.search(r"dòng \d+, cột F", text) and "Chưa nhập được điểm" in text
    broken = admin.post(post, content_type="multipart/form-data",
                        data={"csrf_token": token, "tep": (io.BytesIO(b"khong phai xlsx"), "bnc.xlsx")})
    assert broken.status_code == 400 and "không phải tệp .xlsx" in broken.get_data(as_text=True)
    good = admin.post(post, content_type="multipart/form-data",
                      data={"csrf_token": token, "tep": (io.BytesIO(fill(blank.data, lambda m: m)), "bnc.xlsx")})
    assert good.status_code == 200 and "Đã nhập điểm tự chấm của Ban Nội chính Tỉnh ủy" in good.get_data(as_text=True)
    with demo.extensions["doctpl.store"].session() as session:
        record = records.get(session, scores)
        data = records.data(session, scores)
        before = records.data(session, scores, 1)
        cell = cells(overview.year(session, found[PARTY], 2026, today=JUNE))[("Ban Nội chính Tỉnh ủy", "tu_cham")]
    assert record.phien_ban == 2 and data["don_vi"][-1]["ten"] == "Ban Nội chính Tỉnh ủy"  # added under its name
    assert data["don_vi"][:4] == before["don_vi"]  # the other units as they were
    assert (cell.state, cell.entries[0].note) == ("da_cham", "100/100 điểm")
    again = admin.get(sheet_url)  # the sheet comes back with the scores filled in
    filled = load_workbook(io.BytesIO(again.data))["Tự chấm"]
    assert any(row[5].value == 10 for row in filled.iter_rows(min_row=6))


def test_a_unit_s_văn_thư_reaches_its_own_sheet_only(demo):
    with demo.extensions["doctpl.store"].session() as session:
        found = code_ids(session)
        scores = session.scalar(select(VanBan.id).where(VanBan.khoi_id == found[PARTY], VanBan.kind == "bang_diem"))
    clerk = signed_in(demo, "vanthu-nc", "van_thu", "Văn thư Ban Nội chính", don_vi_id=found["BNCTU-LD"])
    own = clerk.get(f"/van-ban/{scores}/diem/{found['BNCTU-LD']}.xlsx")
    assert own.status_code == 200
    assert clerk.get(f"/van-ban/{scores}/diem/{found['VPTU-LD']}.xlsx").status_code == 404
    assert clerk.get(f"/van-ban/{scores}").status_code == 404  # the khối's record itself stays out of reach
    page = page_of(clerk, found[PARTY])
    filled = fill(own.data, lambda m: m)
    answer = clerk.post(f"/van-ban/{scores}/diem/{found['BNCTU-LD']}", content_type="multipart/form-data",
                        data={"csrf_token": csrf_token(page), "tep": (io.BytesIO(filled), "x.xlsx")})
    assert answer.status_code == 200
    other = clerk.post(f"/van-ban/{scores}/diem/{found['VPTU-LD']}", content_type="multipart/form-data",
                       data={"csrf_token": csrf_token(page), "tep": (io.BytesIO(own.data), "x.xlsx")})
    assert other.status_code == 404
    plan = _record(demo, found[PARTY], "ke_hoach")
    assert signed_in(demo).get(f"/van-ban/{plan}/diem/{found['BNCTU-LD']}.xlsx").status_code == 404  # not a bảng điểm
    outsider = found["P-LV"]  # not a member of the khối
    assert signed_in(demo, "qt2").get(f"/van-ban/{scores}/diem/{outsider}.xlsx").status_code == 404


def _record(application, khoi_id: int, kind: str) -> int:
    with application.extensions["doctpl.store"].session() as session:
        return session.scalar(select(VanBan.id).where(VanBan.khoi_id == khoi_id, VanBan.kind == kind,
                                                      VanBan.don_vi_id.is_(None)))


def test_a_unit_s_self_score_goes_round_through_the_api(demo):
    with demo.extensions["doctpl.store"].session() as session:
        found = code_ids(session)
        scores = session.scalar(select(VanBan.id).where(VanBan.khoi_id == found[PARTY], VanBan.kind == "bang_diem"))
    api = signed_in(demo)
    path = f"/api/v1/van-ban/{scores}/diem/{found['TCT-LD']}"
    sheet = api.get(path + ".xlsx")
    assert sheet.status_code == 200 and sheet.mimetype.endswith("spreadsheetml.sheet")
    wrong = api.post(path, data={"file": (io.BytesIO(fill(sheet.data, 99)), "tct.xlsx")})
    assert wrong.status_code == 422 and re.fullmatch(r"dòng \d+, cột F", wrong.get_json()["errors"][0]["field"])
    missing = api.post(path, data={})
    assert missing.status_code == 400 and "«file»" in missing.get_json()["errors"][0]["message"]
    good = api.post(path, data={"file": (io.BytesIO(fill(sheet.data, lambda m: m)), "tct.xlsx")})
    body = good.get_json()
    assert good.status_code == 200 and (body["ban_luu"], body["phien_ban"]) == (scores, 2)
    assert body["don_vi"] == "Trường Chính trị tỉnh Lâm Đồng" and isinstance(body["canh_bao"], list)
    stranger = signed_in(demo, "vanthu-x", "van_thu", "Văn thư phường", don_vi_id=found["P-LV"])
    assert stranger.get(path + ".xlsx").status_code == 404
    assert stranger.post(path, data={"file": (io.BytesIO(sheet.data), "x.xlsx")}).status_code == 404
    assert demo.test_client().get(path + ".xlsx").status_code == 401


def test_the_demo_overview_shows_every_state(demo_client, demo_app):
    with demo_app.extensions["doctpl.store"].session() as session:
        found = code_ids(session)
    shown = page_of(demo_client, found[PARTY]) + page_of(demo_client, found[CUM])
    for state in overview.STATES:
        assert f'<td class="state-{state}' in shown, state
