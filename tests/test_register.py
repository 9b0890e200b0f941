"""The sổ văn bản đi as offices keep it, on SQLite and PostgreSQL: first number, khóa sổ, hủy số, Phụ lục IV, gắn số."""

from __future__ import annotations

import datetime as dt
import io
import re
import threading

import openpyxl
import pytest
from alembic import command
from sqlalchemy import inspect, select, text

from doctpl.errors import ValidationError
from doctpl.store import db, numbering, records, registry_edit
from doctpl.store.db import Store, alembic_config, make_engine
from doctpl.store.models import BoDem, NhatKy, SoDi
from tests.conftest import csrf_token, docx_text, example, signed_in
from tests.stores import BACKENDS, database, store  # noqa: F401  (fixture)

PHU_LUC_IV = ("Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung văn bản", "Người ký",
              "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận", "Ghi chú")


def _take(session, co_quan="KTĐ1", nam=2026, kind="ke_hoach", ten_loai="Kế hoạch", **options):
    return numbering.take(session, co_quan, nam, ten_loai, kind=kind, who="Văn thư A", **options)


def _refused(call, field: str) -> str:
    """Run `call`, expect a ValidationError on `field`, and return its message."""
    with pytest.raises(ValidationError) as caught:
        call()
    errors = caught.value.errors()
    assert [e.field for e in errors] == [field], errors
    return errors[0].message


def _audit(session) -> list[tuple[str, str, str]]:
    return [(e.hanh_dong, e.nguoi, e.chi_tiet) for e in session.scalars(select(NhatKy).order_by(NhatKy.id))]


def _plan(so: int | None = None, year: int = 2021, the_thuc: str = "nha_nuoc") -> dict:
    """The 2021 plan of KTĐ1, in NĐ 30 form unless `the_thuc` says otherwise."""
    data = example("ke_hoach")
    data["so"], data["nam"], data["the_thuc"] = so, year, the_thuc
    return data


def test_first_number_of_a_year(store):  # noqa: F811
    with store.session() as session:
        numbering.set_first(session, "ktđ1", 2026, 15, who="Văn thư A")
        assert _take(session).ky_hieu == "15/KH-KTĐ1"
        message = _refused(lambda: numbering.set_first(session, "KTĐ1", 2026, 10, who="Văn thư A"), "so_bat_dau")
        assert "«Số bắt đầu năm 2026»" in message and "15" in message
        _refused(lambda: numbering.set_first(session, "KTĐ1", 2026, 15, who="Văn thư A"), "so_bat_dau")
        numbering.set_first(session, "KTĐ1", 2026, 20, who="Văn thư A")
        assert [_take(session).so for _ in range(2)] == [20, 21]
        assert _take(session, nam=2027).so == 1  # another year starts at 01
        assert _refused(lambda: numbering.set_first(session, "KTĐ1", 2028, 0, who="t"), "so_bat_dau")
        book = session.get(BoDem, ("KTĐ1", "", "2026"), populate_existing=True)
        assert (book.so_bat_dau, book.so_cuoi) == (20, 21)
        assert [line for line in _audit(session) if line[0] == "so_bat_dau"] == [
            ("so_bat_dau", "Văn thư A", "KTĐ1 năm 2026: số bắt đầu 15"),
            ("so_bat_dau", "Văn thư A", "KTĐ1 năm 2026: số bắt đầu 20")]


def test_a_first_number_set_before_any_is_given_can_be_lowered(store):  # noqa: F811
    with store.session() as session:
        numbering.set_first(session, "KTĐ1", 2026, 30, who="t")
        numbering.set_first(session, "KTĐ1", 2026, 12, who="t")
        assert _take(session).so == 12


def test_a_closed_year_refuses_a_clerk_and_an_admin_overrides_it_with_a_reason(store):  # noqa: F811
    with store.session() as session:
        _take(session)
        numbering.close(session, "KTĐ1", 2026, who="Văn thư A")
        message = _refused(lambda: _take(session, role="van_thu"), "nam")
        assert "Sổ văn bản đi năm 2026 của KTĐ1 đã khóa" in message and "Đề nghị quản trị" in message
        assert "Chỉ quản trị" in _refused(lambda: _take(session, role="van_thu", override=True, reason="x"),
                                          "cap_khi_khoa")
        assert "«Lý do»" in _refused(lambda: _take(session, role="quan_tri", override=True), "ly_do")
        assert "Đánh dấu «Cấp số khi sổ đã khóa»" in _refused(lambda: _take(session, role="quan_tri"), "nam")
        assert "đã khóa" in _refused(lambda: numbering.close(session, "KTĐ1", 2026, who="t"), "khoa")
        assert "đã khóa" in _refused(lambda: numbering.set_first(session, "KTĐ1", 2026, 9, who="t"), "so_bat_dau")
        given = numbering.take(session, "KTĐ1", 2026, "Kế hoạch", kind="ke_hoach", who="Quản trị B",
                               role="quan_tri", override=True, reason="Văn bản ký ngày 31/12 vào sổ muộn")
        assert given.ky_hieu == "02/KH-KTĐ1"
        assert "Chỉ quản trị" in _refused(
            lambda: numbering.reopen(session, "KTĐ1", 2026, who="Văn thư A", role="van_thu"), "khoa")
        numbering.reopen(session, "KTĐ1", 2026, who="Quản trị B", role="quan_tri")
        assert "chưa khóa" in _refused(
            lambda: numbering.reopen(session, "KTĐ1", 2026, who="Quản trị B", role="quan_tri"), "khoa")
        assert _take(session).so == 3
        assert _audit(session) == [
            ("khoa_so", "Văn thư A", "KTĐ1 năm 2026, số cuối 01"),
            ("cap_so_khi_khoa", "Quản trị B", "02/KH-KTĐ1 (sổ đã khóa): Văn bản ký ngày 31/12 vào sổ muộn"),
            ("mo_so", "Quản trị B", "KTĐ1 năm 2026")]


def test_a_closed_year_refuses_the_number_a_form_takes_when_it_saves(store):  # noqa: F811
    with store.session() as session:
        numbering.close(session, "KTĐ1", 2021, who="t")
    with store.session() as session:
        assert "đã khóa" in _refused(lambda: records.save(session, "ke_hoach", _plan(), who="t", lay_so=True), "nam")


def test_a_number_taken_when_a_form_saves_shows_the_documents_date_signer_and_recipients(store):  # noqa: F811
    with store.session() as session:
        record = records.save(session, "ke_hoach", _plan(), who="t", lay_so=True)
        line_id = session.scalars(select(SoDi.id).where(SoDi.van_ban_id == record.id)).one()
    with store.session() as session:
        line = numbering.get(session, line_id)
        assert (line.ky_hieu, line.nguoi_ky, line.ban_luu) == ("01/KH-KTĐ1", "Nguyễn Quang Hải", "VT, HSQT")
        assert numbering.cells(line)[1] == "08/4/2021" and "Phòng Nội vụ Thành phố" in line.noi_nhan


def test_a_cancelled_number_stays_in_the_register_and_is_never_given_again(store):  # noqa: F811
    with store.session() as session:
        _take(session), _take(session)
        second = session.scalars(select(SoDi).where(SoDi.so == 2)).one()
        assert "«Lý do hủy số»" in _refused(lambda: numbering.cancel(session, second.id, who="t", reason=" "),
                                            "ly_do_huy")
        numbering.cancel(session, second.id, who="Văn thư A", reason="Văn bản không ban hành")
        assert "đã hủy" in _refused(lambda: numbering.cancel(session, second.id, who="t", reason="x"), "ly_do_huy")
        assert _take(session).so == 3
        _refused(lambda: numbering.set_first(session, "KTĐ1", 2026, 2, who="t"), "so_bat_dau")
        lines = numbering.register(session, "KTĐ1", 2026)
        assert [line.so for line in lines] == [1, 2, 3]
        cancelled = lines[1]
        assert (cancelled.huy_boi, cancelled.ly_do_huy) == ("Văn thư A", "Văn bản không ban hành")
        assert cancelled.huy_luc is not None
        assert numbering.cells(cancelled)[9].startswith("Đã hủy số ngày ")
        assert numbering.cells(cancelled)[9].endswith("(Văn thư A): Văn bản không ban hành")
        assert ("huy_so", "Văn thư A", "02/KH-KTĐ1: Văn bản không ban hành") in _audit(session)


def test_concurrent_takes_skip_pre_taken_and_cancelled_numbers(store):  # noqa: F811
    with store.session() as session:
        numbering.set_first(session, "KTĐ1", 2026, 15, who="t")
        numbering.cancel(session, _take(session).id, who="t", reason="Hủy")
    taken: list[int] = []

    def work() -> None:
        for _ in range(15):
            with store.session() as session:
                taken.append(_take(session).so)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == list(range(16, 76))


def test_the_type_column_names_the_type_in_vietnamese(store):  # noqa: F811
    with store.session() as session:
        for kind, ten_loai, summary in (("ke_hoach", "Kế hoạch", "Tổ chức phong trào thi đua năm 2026"),
                                        ("giao_uoc", "Giao ước thi đua", "Giao ước thi đua năm 2026"),
                                        ("dang_ky", "Bản đăng ký thi đua", "")):
            _take(session, kind=kind, ten_loai=ten_loai, trich_yeu=summary)
        titles = [numbering.cells(line)[2] for line in numbering.register(session)]
    assert titles == ["Kế hoạch\nTổ chức phong trào thi đua năm 2026", "Giao ước thi đua năm 2026",
                      "Bản đăng ký thi đua"]


def test_the_xlsx_has_the_columns_of_phu_luc_iv(store):  # noqa: F811
    with store.session() as session:
        record = records.save(session, "ke_hoach", _plan(1), who="t")
        numbering.record(session, "KTĐ1", 2021, 1, "Kế hoạch", kind="ke_hoach", who="t", trich_yeu=record.tieu_de,
                         van_ban_id=record.id)
        _take(session, nam=2021, kind="bao_cao_so_ket", ten_loai="Báo cáo", trich_yeu="Báo cáo nhanh")
        _take(session, co_quan="BTGTU", nam=2021, kind="dang_ky", ten_loai="Bản đăng ký thi đua")
        line = numbering.register(session, "KTĐ1", 2021)[1]
        numbering.update(session, line.id, {"so_luong_ban": "8", "ngay_chuyen": "20/6/2021", "ky_nhan": "Lan",
                                            "noi_nhan": "Các đơn vị trong Khối\nHĐTĐ-KT Thành phố"}, who="t")
        content = numbering.to_xlsx(numbering.register(session, nam=2021))
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["BTGTU 2021", "KTĐ1 2021"]
    rows = list(book["KTĐ1 2021"].iter_rows(values_only=True))
    assert rows[0] == PHU_LUC_IV == numbering.COLUMNS
    assert rows[1] == tuple(f"({n})" for n in range(1, 11))
    assert rows[2][:6] == ("01/KH-KTĐ1", "08/4/2021", "Kế hoạch thi đua năm 2021", "Nguyễn Quang Hải",
                           "Hội đồng TĐ-KT Thành phố (thay b/c)\nPhòng Nội vụ Thành phố\nThủ trưởng Cơ quan Thành uỷ\n"
                           "Đảng Uỷ cơ quan\nCác Ban xây dựng Đảng Thành uỷ\nBCH Công đoàn, Chi Đoàn cơ quan",
                           "VT, HSQT")
    assert rows[3] == ("02/BC-KTĐ1", None, "Báo cáo nhanh", None, "Các đơn vị trong Khối\nHĐTĐ-KT Thành phố", None,
                       8, "20/6/2021", "Lan", None)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI – KTĐ1 – NĂM 2021" in book["KTĐ1 2021"].oddHeader.center.text


def test_a_hand_taken_number_is_attached_to_a_record(store):  # noqa: F811
    with store.session() as session:
        numbering.set_first(session, "KTĐ1", 2021, 7, who="t")
        line = _take(session, nam=2021, trich_yeu="Tổ chức phong trào thi đua năm 2021")
        other_kind = _take(session, nam=2021, kind="giao_uoc", ten_loai="Giao ước thi đua")
        other_body = _take(session, co_quan="BTGTU", nam=2021)
        other_year = _take(session, nam=2022)
        cancelled = _take(session, nam=2021)
        numbering.cancel(session, cancelled.id, who="t", reason="Nhầm")
        record = records.save(session, "ke_hoach", _plan(), who="t")
        numbered = records.save(session, "ke_hoach", _plan(3), who="t")
        assert [d.id for d in numbering.candidates(session, line)] == [record.id]
        for wrong, fragment in ((other_kind, "được lấy cho «Giao ước thi đua», còn bản lưu #"),
                                (other_body, "là số của BTGTU, còn bản lưu #"),
                                (other_year, "là số năm 2022, còn bản lưu #"),
                                (cancelled, "đã hủy")):
            assert fragment in _refused(lambda w=wrong: numbering.attach(session, w.id, record.id, who="t"),
                                        "van_ban_id")
        assert "đã có Số 03" in _refused(lambda: numbering.attach(session, line.id, numbered.id, who="t"),
                                         "van_ban_id")
        assert "Không có bản lưu #999" in _refused(lambda: numbering.attach(session, line.id, 999, who="t"),
                                                     "van_ban_id")
        numbering.attach(session, line.id, record.id, who="Văn thư A")
        assert "đã gắn với bản lưu #" in _refused(lambda: numbering.attach(session, line.id, record.id, who="t"),
                                                   "van_ban_id")
        assert record.phien_ban == 2 and records.data(session, record.id)["so"] == 7 and record.so == 7
        assert records.data(session, record.id, 1)["so"] is None
        assert (line.van_ban_id, line.nguoi_ky, line.ban_luu, str(line.ngay)) == (
            record.id, "Nguyễn Quang Hải", "VT, HSQT", "2021-04-08")
        assert "Số: 07/KH-KTĐ1" in docx_text(records.render_record(session, record.id, who="t").content)
        assert ("gan_so", "Văn thư A", "07/KH-KTĐ1") in _audit(session)


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_keeps_the_register_rows(backend, tmp_path):
    with database(backend, tmp_path) as url:
        old = Store(url)
        old.upgrade("0003")
        assert "so_bat_dau" not in {c["name"] for c in inspect(old.engine).get_columns("bo_dem")}
        with old.engine.begin() as connection:
            connection.execute(text("INSERT INTO bo_dem (co_quan, nam, so_cuoi) VALUES ('KTĐ1', 2021, 7)"))
            connection.execute(text("INSERT INTO so_di (co_quan, nam, so, ky_hieu, kind, trich_yeu, nguoi_lay) "
                                    "VALUES ('KTĐ1', 2021, 7, '07/BC-KTĐ1', 'bao_cao_so_ket', 'Sơ kết', 't')"))
        old.dispose()
        new = Store(url)
        new.upgrade()
        with new.session() as session:
            line = numbering.register(session)[0]
            assert (line.ky_hieu, line.trich_yeu, line.huy_luc, line.ghi_chu, line.ngay) == (
                "07/BC-KTĐ1", "Sơ kết", None, "", None)
            book = session.get(BoDem, ("KTĐ1", "", "2021"))
            assert (book.so_cuoi, book.so_bat_dau, book.khoa_luc) == (7, 1, None)
            assert _take(session, nam=2021).so == 8
            assert "lớn hơn 08" in _refused(lambda: numbering.set_first(session, "KTĐ1", 2021, 5, who="t"),
                                            "so_bat_dau")
        new.dispose()



def _post(client, url: str, **form):
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **form})


def _tbody(page: str) -> str:
    return page.split('<table class="list register">')[1].split("</table>")[0]


def _secretariat(web):
    """A khối's secretariat: its registers are the khối's (KTĐ1) and its members'."""
    from doctpl.store import registry_edit

    with web.extensions["doctpl.store"].session() as session:
        khoi = registry_edit.create_khoi(session, {"ten": "Khối thi đua số 1", "ky_hieu": "KTĐ1"})
        khoi_id = khoi.id
    return signed_in(web, "vanthu", "thu_ky", "Trần Thị Văn Thư", khoi_id=khoi_id)


def test_the_register_page_for_a_clerk_and_an_admin(web):
    clerk = _secretariat(web)
    admin = signed_in(web, "quantri", "quan_tri", "Lê Quản Trị")
    url = "/so-van-ban?nam=2026"
    bad = _post(clerk, url, _muc="so_bat_dau", co_quan="KTĐ1", nam="2026", so_bat_dau="0")
    assert bad.status_code == 422 and "«Số bắt đầu năm 2026» phải là số nguyên" in bad.get_data(as_text=True)
    assert _post(clerk, url, _muc="so_bat_dau", co_quan="KTĐ1", nam="2026", so_bat_dau="15").status_code == 303
    taken = _post(clerk, url, co_quan="KTĐ1", nam="2026", loai="giao_uoc", trich_yeu="Giao ước thi đua năm 2026")
    page = taken.get_data(as_text=True)
    assert "Đã cấp số <strong>15/GƯTĐ-KTĐ1</strong>" in page
    assert "Giao ước thi đua năm 2026" in _tbody(page) and "giao_uoc" not in _tbody(page)
    assert all(f"<th>{column}</th>" in page for column in PHU_LUC_IV)
    lower = _post(clerk, url, _muc="so_bat_dau", co_quan="KTĐ1", nam="2026", so_bat_dau="10")
    page = lower.get_data(as_text=True)
    assert lower.status_code == 422 and "«Số bắt đầu năm 2026» của KTĐ1 phải lớn hơn 15" in page
    assert 'name="so_bat_dau" min="1" value="10"' in page  # the clerk's input is kept
    assert "Cấp số khi sổ đã khóa" not in page  # the override is offered to admins only

    assert _post(clerk, url, _muc="khoa", co_quan="KTĐ1", nam="2026").status_code == 303
    closed = _post(clerk, url, co_quan="KTĐ1", nam="2026", loai="ke_hoach", trich_yeu="Kế hoạch muộn")
    page = closed.get_data(as_text=True)
    assert closed.status_code == 422 and "Sổ văn bản đi năm 2026 của KTĐ1 đã khóa" in page
    assert 'value="Kế hoạch muộn"' in page and "Đã khóa sổ ngày" in page
    assert "Chỉ quản trị" in _post(clerk, url, co_quan="KTĐ1", nam="2026", cap_khi_khoa="1",
                                   ly_do="x").get_data(as_text=True)
    assert "Chỉ quản trị được mở lại sổ" in _post(clerk, url, _muc="mo_khoa", co_quan="KTĐ1",
                                                  nam="2026").get_data(as_text=True)
    no_reason = _post(admin, url, co_quan="KTĐ1", nam="2026", loai="ke_hoach", cap_khi_khoa="1")
    assert no_reason.status_code == 422 and "Vui lòng nhập «Lý do»" in no_reason.get_data(as_text=True)
    forced = _post(admin, url, co_quan="KTĐ1", nam="2026", loai="ke_hoach", cap_khi_khoa="1", ly_do="Ký 31/12")
    assert "Đã cấp số <strong>16/KH-KTĐ1</strong>" in forced.get_data(as_text=True)
    log = admin.get("/nhat-ky").get_data(as_text=True)
    assert "cap_so_khi_khoa" in log and "16/KH-KTĐ1 (sổ đã khóa): Ký 31/12" in log and "khoa_so" in log
    assert _post(admin, url, _muc="mo_khoa", co_quan="KTĐ1", nam="2026").status_code == 303
    assert "Đã cấp số <strong>17/KH-KTĐ1</strong>" in _post(clerk, url, co_quan="KTĐ1", nam="2026",
                                                            loai="ke_hoach").get_data(as_text=True)


def test_a_line_page_edits_cancels_and_attaches(web):
    clerk = _secretariat(web)
    url = "/so-van-ban?nam=2021"
    _post(clerk, url, _muc="so_bat_dau", co_quan="KTĐ1", nam="2021", so_bat_dau="7")
    _post(clerk, url, co_quan="KTĐ1", nam="2021", loai="ke_hoach", trich_yeu="Tổ chức phong trào thi đua")
    _post(clerk, url, co_quan="KTĐ1", nam="2021", loai="ke_hoach", trich_yeu="Nhầm")
    with web.extensions["doctpl.store"].session() as session:
        record = records.save(session, "ke_hoach", _plan(), who="t")
        first, second = (line.id for line in numbering.register(session))
    page = clerk.get(f"/so-van-ban/{first}").get_data(as_text=True)
    assert f'<option value="{record.id}"' in page and "Kế hoạch thi đua năm 2021" in page

    bad = _post(clerk, f"/so-van-ban/{first}", _muc="sua", ngay_chuyen="32/13/2021", ky_nhan="Lan")
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "«Ngày chuyển» không phải ngày hợp lệ" in page and 'value="Lan"' in page
    assert _post(clerk, f"/so-van-ban/{first}", _muc="sua", ngay_chuyen="2021-04-09", so_luong_ban="9",
                 trich_yeu="Tổ chức phong trào thi đua").status_code == 303

    no_reason = _post(clerk, f"/so-van-ban/{second}", _muc="huy", ly_do_huy="")
    assert no_reason.status_code == 422 and "Vui lòng nhập «Lý do hủy số»" in no_reason.get_data(as_text=True)
    assert _post(clerk, f"/so-van-ban/{second}", _muc="huy", ly_do_huy="Lấy nhầm").status_code == 303
    register = _tbody(clerk.get(url).get_data(as_text=True))
    assert "<s>08/KH-KTĐ1</s>" in register and "Đã hủy" in register and "(Trần Thị Văn Thư): Lấy nhầm" in register
    assert "Đã hủy số" not in clerk.get(f"/so-van-ban/{first}").get_data(as_text=True)

    wrong = _post(clerk, f"/so-van-ban/{second}", _muc="gan", van_ban_id=str(record.id))
    assert wrong.status_code == 422 and "đã hủy; không gắn được" in wrong.get_data(as_text=True)
    attached = _post(clerk, f"/so-van-ban/{first}", _muc="gan", van_ban_id=str(record.id))
    assert attached.status_code == 303 and attached.headers["Location"].endswith(f"#so-{first}")
    assert "Số: 07/KH-KTĐ1" in docx_text(clerk.get(f"/van-ban/{record.id}/tai-ve").data)
    register = _tbody(clerk.get(url).get_data(as_text=True))
    assert re.search(rf'href="/van-ban/{record.id}">bản lưu #{record.id}</a>', register)
    assert "Nguyễn Quang Hải" in register and "09/4/2021" in register

    book = openpyxl.load_workbook(io.BytesIO(clerk.get(url + "&co_quan=KTĐ1&xlsx=1").data))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == PHU_LUC_IV
    assert rows[2][:4] == ("07/KH-KTĐ1", "08/4/2021", "Kế hoạch\nTổ chức phong trào thi đua", "Nguyễn Quang Hải")
    assert rows[2][6:8] == (9, "09/4/2021")
    assert rows[3][0] == "08/KH-KTĐ1" and rows[3][9].endswith("(Trần Thị Văn Thư): Lấy nhầm")


def test_a_unit_clerk_keeps_only_the_unit_s_register(web):
    clerk = signed_in(web, "vanthu", "van_thu", "Trần Thị Văn Thư")  # serves a new unit, ký hiệu DVTN
    assert _post(clerk, "/so-van-ban?nam=2026", co_quan="DVTN", nam="2026", loai="ke_hoach").status_code == 200
    refused = _post(clerk, "/so-van-ban?nam=2026", co_quan="KTĐ1", nam="2026", loai="ke_hoach")
    assert refused.status_code == 404
    assert clerk.get("/so-van-ban?nam=2026&co_quan=KTĐ1").status_code == 404
    page = clerk.get("/so-van-ban?nam=2026").get_data(as_text=True)
    assert "01/KH-DVTN" in page and "KTĐ1" not in _tbody(page)


# Party issuers (HD 05 I.3.1.1.b): each type numbered on its own, from 01 within the cấp ủy's nhiệm kỳ.

D = dt.date


def _party_khoi(session, term: dict | None = None):
    """KTĐ1 as a khối in Party form, numbering within the term recorded on it (when `term` is given)."""
    khoi = registry_edit.create_khoi(session, {"ten": "Khối thi đua số 1", "ky_hieu": "KTĐ1", "the_thuc": "dang",
                                               "tu_ngay": "2019-01-01"})
    if term:
        registry_edit.set_term(session, khoi, term)
    return khoi


def _plan_2026(the_thuc: str, **co_quan) -> dict:
    """A 2026 plan of KTĐ1 (the Lâm Đồng khối's example, its issuer renamed)."""
    data = example("ke_hoach", "ke_hoach_2026_khoi_dang.json") | {"so": None, "the_thuc": the_thuc}
    data["co_quan"] = {"chu_quan": "Tỉnh ủy Lâm Đồng", "ten": "Khối thi đua số 1", "ky_hieu": "KTĐ1", **co_quan}
    return data


def _party(session, on: dt.date, kind="ke_hoach", ten_loai="Kế hoạch", co_quan="KTĐ1", **options):
    return numbering.take(session, co_quan, on.year, ten_loai, kind=kind, who="Văn thư A", on=on, **options)


def test_a_party_issuer_numbers_each_type_within_its_term(store):  # noqa: F811
    with store.session() as session:
        khoi = _party_khoi(session, {"nhiem_ky": "2025–2030", "tu_ngay": "2025-10-11"})
        plans = [_party(session, D(2025, 11, 3)), _party(session, D(2026, 2, 10))]  # 1 January does not reset
        report = _party(session, D(2026, 6, 20), kind="bao_cao_so_ket", ten_loai="Báo cáo")
        assert [line.ky_hieu for line in (*plans, report)] == ["01-KH/KTĐ1", "02-KH/KTĐ1", "01-BC/KTĐ1"]
        assert [(line.nam, line.loai, line.ky) for line in plans] == [(2025, "Kế hoạch", "2025–2030"),
                                                                       (2026, "Kế hoạch", "2025–2030")]
        names = [numbering.of_book(book).name for book in numbering.books(session, 2026, "KTĐ1")]
        assert names == ["Sổ văn bản đi nhiệm kỳ 2025–2030 của KTĐ1, loại Báo cáo",
                         "Sổ văn bản đi nhiệm kỳ 2025–2030 của KTĐ1, loại Kế hoạch"]
        assert numbering.books(session, 2025) and not numbering.books(session, 2024)
        # The document's own thể thức comes first: a state document of KTĐ1 keeps NĐ 30's one series a year.
        state = _party(session, D(2026, 7, 1), the_thuc="nha_nuoc")
        assert (state.ky_hieu, state.loai, state.ky) == ("01/KH-KTĐ1", "", "2026")
        # The next congress closes: the term before ends the day before, and every type starts again at 01.
        registry_edit.set_term(session, khoi, {"nhiem_ky": "2030–2035", "tu_ngay": "2030-10-05"})
        assert _party(session, D(2030, 9, 30)).ky_hieu == "03-KH/KTĐ1"
        new_term = _party(session, D(2030, 10, 5))
        assert (new_term.ky_hieu, new_term.ky) == ("01-KH/KTĐ1", "2030–2035")
        assert _party(session, D(2031, 3, 1), kind="bao_cao_tong_ket", ten_loai="Báo cáo").ky_hieu == "01-BC/KTĐ1"


def test_a_party_document_after_its_terms_end_starts_a_new_series_by_year(store):  # noqa: F811
    with store.session() as session:
        _party_khoi(session, {"nhiem_ky": "2020–2025", "tu_ngay": "2020-07-31", "den_ngay": "2025-06-30"})
        assert [_party(session, D(2025, 5, 2)).ky_hieu for _ in range(2)] == ["01-KH/KTĐ1", "02-KH/KTĐ1"]
        after = _party(session, D(2025, 8, 1))
        assert (after.ky_hieu, after.ky) == ("01-KH/KTĐ1", "2025")
        book = numbering.of_book(session.get(BoDem, ("KTĐ1", "Kế hoạch", "2025")))
        assert book.name == "Sổ văn bản đi năm 2025 của KTĐ1, loại Kế hoạch (theo năm, vì danh mục chưa ghi nhiệm kỳ)"
        assert _party(session, D(2026, 1, 5)).ky_hieu == "01-KH/KTĐ1"  # by year: 01 again each 1 January


def test_a_state_issuer_keeps_one_series_for_every_type_each_year(store):  # noqa: F811
    with store.session() as session:
        cum = registry_edit.create_khoi(session, {"ten": "Cụm thi đua số 2", "ky_hieu": "CTĐP2", "loai": "cum",
                                                  "the_thuc": "nha_nuoc"})
        registry_edit.set_term(session, cum, {"nhiem_ky": "2025–2030", "tu_ngay": "2025-10-11"})  # not used by NĐ 30
        taken = [_party(session, D(2026, 3, 1), co_quan="CTĐP2"),
                 _party(session, D(2026, 6, 1), co_quan="CTĐP2", kind="bao_cao_so_ket", ten_loai="Báo cáo"),
                 _party(session, D(2026, 9, 1), co_quan="CTĐP2")]
        assert [line.ky_hieu for line in taken] == ["01/KH-CTĐP2", "02/BC-CTĐP2", "03/KH-CTĐP2"]
        assert _party(session, D(2027, 1, 4), co_quan="CTĐP2").ky_hieu == "01/KH-CTĐP2"
        assert [numbering.of_book(b).name for b in numbering.books(session, 2026)] == [
            "Sổ văn bản đi năm 2026 của CTĐP2"]


def test_a_ban_numbers_within_its_committees_term_and_its_records_say_so(store):  # noqa: F811
    with store.session() as session:
        committee = registry_edit.create_body(session, {"ten": "Tỉnh ủy Lâm Đồng", "ky_hieu": "TU",
                                                        "the_thuc": "dang"})
        registry_edit.set_term(session, committee, {"nhiem_ky": "2025–2030", "tu_ngay": "2025-10-11"})
        khoi = registry_edit.create_khoi(session, {"ten": "Khối thi đua số 1", "ky_hieu": "KTĐ1", "the_thuc": "dang"})
        registry_edit.create_body(session, {"ten": "Ban Dân vận Tỉnh ủy", "ky_hieu": "BDVTU", "the_thuc": "dang",
                                            "chu_quan": "Tỉnh ủy Lâm Đồng"}, khoi=khoi)
        # «Lấy số» with the ký hiệu alone: the registry says Party, and the term is the Tỉnh ủy's.
        line = _party(session, D(2026, 3, 2), co_quan="BDVTU")
        assert (line.ky_hieu, line.ky) == ("01-KH/BDVTU", "2025–2030")
        # A saved Party plan takes the next number of its type and term, and prints it in Party form.
        data = _plan_2026("dang", ten="Ban Dân vận Tỉnh ủy", ky_hieu="BDVTU") | {"ngay": "2026-04-08"}
        saved = records.save(session, "ke_hoach", data, who="t", lay_so=True)
        assert saved.so == 2
        assert "Số 02-KH/BDVTU" in docx_text(records.render_record(session, saved.id, who="t").content)
        # A number typed by hand enters the same series; the same number twice is refused.
        typed = records.save(session, "ke_hoach", data | {"so": 7}, who="t")
        assert session.scalars(select(SoDi.ky_hieu).where(SoDi.van_ban_id == typed.id)).one() == "07-KH/BDVTU"
        message = _refused(lambda: records.save(session, "ke_hoach", data | {"so": 7}, who="t"), "so")
        assert "Số 07 loại Kế hoạch nhiệm kỳ 2025–2030 của BDVTU đã cấp cho văn bản khác" in message
        # The khối's own documents, with no term recorded on the khối, are numbered by year.
        own = _party(session, D(2026, 3, 2))
        assert (own.ky_hieu, own.ky) == ("01-KH/KTĐ1", "2026")


def test_party_books_close_reopen_start_cancel_and_attach(store):  # noqa: F811
    with store.session() as session:
        _party_khoi(session, {"nhiem_ky": "2025–2030", "tu_ngay": "2025-10-11"})
        plans = numbering.series(session, "KTĐ1", 2026, "Kế hoạch", on=D(2026, 5, 1))
        assert plans.key == ("KTĐ1", "Kế hoạch", "2025–2030")
        numbering.set_first(session, "KTĐ1", 2026, 5, who="Văn thư A", book=plans)
        assert _party(session, D(2026, 5, 2)).ky_hieu == "05-KH/KTĐ1"
        numbering.close(session, "KTĐ1", 2026, who="Văn thư A", book=plans)
        message = _refused(lambda: _party(session, D(2026, 5, 3)), "nam")
        assert "Sổ văn bản đi nhiệm kỳ 2025–2030 của KTĐ1, loại Kế hoạch đã khóa" in message
        assert _party(session, D(2026, 5, 3), kind="bao_cao_so_ket", ten_loai="Báo cáo").so == 1  # another book
        numbering.reopen(session, "KTĐ1", 2026, who="Quản trị", role="quan_tri", book=plans)
        sixth = _party(session, D(2026, 5, 4), trich_yeu="Kế hoạch tổ chức hội nghị")
        numbering.cancel(session, sixth.id, who="Văn thư A", reason="Không ban hành")
        assert _party(session, D(2026, 5, 5)).so == 7
        assert [a for a in _audit(session) if a[0] in ("so_bat_dau", "khoa_so", "mo_so", "huy_so")] == [
            ("so_bat_dau", "Văn thư A", "KTĐ1 nhiệm kỳ 2025–2030, loại Kế hoạch: số bắt đầu 05"),
            ("khoa_so", "Văn thư A", "KTĐ1 nhiệm kỳ 2025–2030, loại Kế hoạch, số cuối 05"),
            ("mo_so", "Quản trị", "KTĐ1 nhiệm kỳ 2025–2030, loại Kế hoạch"),
            ("huy_so", "Văn thư A", "06-KH/KTĐ1: Không ban hành")]
        # A number taken by hand goes to a record of its own series only.
        hand = _party(session, D(2026, 5, 6))
        party_plan = records.save(session, "ke_hoach", _plan_2026("dang") | {"ngay": "2026-05-06"}, who="t")
        state_plan = records.save(session, "ke_hoach", _plan_2026("nha_nuoc") | {"ngay": "2026-05-06"}, who="t")
        assert [d.id for d in numbering.candidates(session, hand)] == [party_plan.id]
        refused = _refused(lambda: numbering.attach(session, hand.id, state_plan.id, who="t"), "van_ban_id")
        assert "thuộc «Sổ văn bản đi nhiệm kỳ 2025–2030 của KTĐ1, loại Kế hoạch»" in refused
        assert "«Sổ văn bản đi năm 2026 của KTĐ1»" in refused
        numbering.attach(session, hand.id, party_plan.id, who="t")
        assert "Số 08-KH/KTĐ1" in docx_text(records.render_record(session, party_plan.id, who="t").content)
        # The .xlsx has a sheet per book, headed with its type and term.
        book = openpyxl.load_workbook(io.BytesIO(numbering.to_xlsx(numbering.register(session, "KTĐ1", 2026))))
        assert book.sheetnames == ["KTĐ1 Báo cáo 2025–2030", "KTĐ1 Kế hoạch 2025–2030"]
        sheet = book["KTĐ1 Kế hoạch 2025–2030"]
        assert [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)] == [
            "05-KH/KTĐ1", "06-KH/KTĐ1", "07-KH/KTĐ1", "08-KH/KTĐ1"]
        assert sheet.oddHeader.center.text.startswith(
            "SỔ ĐĂNG KÝ VĂN BẢN ĐI – KTĐ1 – NHIỆM KỲ 2025–2030 – LOẠI KẾ HOẠCH\nTừ số 05 đến số 08")


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_from_0006_makes_the_existing_register_the_nd30_series(backend, tmp_path, monkeypatch):
    with database(backend, tmp_path) as url:
        old = Store(url)
        old.upgrade("0006")
        with old.engine.begin() as connection:
            connection.execute(text("INSERT INTO bo_dem (co_quan, nam, so_cuoi, so_bat_dau, khoa_luc, khoa_boi) "
                                    "VALUES ('KTĐ1', 2021, 7, 3, '2021-12-31 17:00:00', 'Văn thư A'), "
                                    "('KTĐ1', 2022, 2, 1, NULL, ''), ('VPTU', 2021, 4, 1, NULL, '')"))
            for number, year in ((7, 2021), (1, 2022), (2, 2022)):
                connection.execute(text(
                    "INSERT INTO so_di (co_quan, nam, so, ky_hieu, kind, trich_yeu, nguoi_lay, ghi_chu) VALUES "
                    f"('KTĐ1', {year}, {number}, '{number:02d}/KH-KTĐ1', 'ke_hoach', 'Kế hoạch', 't', 'giữ')"))
        old.dispose()
        new = Store(url)
        new.upgrade()
        with new.session() as session:
            assert [(line.nam, line.loai, line.ky, line.so, line.ky_hieu, line.ghi_chu)
                    for line in numbering.register(session, "KTĐ1")] == [
                (2021, "", "2021", 7, "07/KH-KTĐ1", "giữ"), (2022, "", "2022", 1, "01/KH-KTĐ1", "giữ"),
                (2022, "", "2022", 2, "02/KH-KTĐ1", "giữ")]
            closed = session.get(BoDem, ("KTĐ1", "", "2021"))
            assert (closed.nam, closed.so_cuoi, closed.so_bat_dau, closed.khoa_boi) == (2021, 7, 3, "Văn thư A")
            assert closed.khoa_luc is not None and session.get(BoDem, ("VPTU", "", "2021")).so_cuoi == 4
            assert _take(session, nam=2022).so == 3 and _take(session, co_quan="VPTU", nam=2021).so == 5
            assert "đã khóa" in _refused(lambda: _take(session, nam=2021), "nam")
            assert "đã cấp" in _refused(lambda: numbering.record(session, "KTĐ1", 2022, 2, "Kế hoạch",
                                                                  kind="ke_hoach", who="t"), "so")
        # Down again while only NĐ 30 series exist; refused once a Party series does.
        command.downgrade(alembic_config(new.url), "0006")
        assert {c["name"] for c in inspect(new.engine).get_columns("so_di")}.isdisjoint({"loai", "ky"})
        new.upgrade()
        with new.session() as session:
            _party_khoi(session)
            _party(session, D(2026, 3, 1))
        # migrations/env.py does not dispose of its engine when a migration raises: keep it, to dispose of it here.
        made = []
        monkeypatch.setattr(db, "make_engine", lambda address: made.append(make_engine(address)) or made[-1])
        with pytest.raises(NotImplementedError):
            command.downgrade(alembic_config(new.url), "0006")
        for engine in made:
            engine.dispose()
        new.dispose()


def test_the_register_page_for_a_party_issuer(web):
    with web.extensions["doctpl.store"].session() as session:
        khoi = _party_khoi(session, {"nhiem_ky": "2025–2030", "tu_ngay": "2025-10-11"})
        khoi_id = khoi.id
    clerk = signed_in(web, "vanthu", "thu_ky", "Trần Thị Văn Thư", khoi_id=khoi_id)
    url = "/so-van-ban?nam=2026"
    first = _post(clerk, url, co_quan="KTĐ1", nam="2026", loai="ke_hoach", ngay="2026-03-02", trich_yeu="Thi đua")
    assert "Đã cấp số <strong>01-KH/KTĐ1</strong>" in first.get_data(as_text=True)
    report = _post(clerk, url, co_quan="KTĐ1", nam="2026", loai="bao_cao_so_ket", ngay="2026-06-20")
    page = report.get_data(as_text=True)
    assert "Đã cấp số <strong>01-BC/KTĐ1</strong>" in page and "02-KH/KTĐ1" not in page
    assert "Sổ văn bản đi nhiệm kỳ 2025–2030 của KTĐ1, loại Kế hoạch" in page
    assert "02/KH-KTĐ1" not in page and "01-KH/KTĐ1" in _tbody(page)
    forced = _post(clerk, url, co_quan="KTĐ1", nam="2026", loai="ke_hoach", the_thuc="nha_nuoc")
    assert "Đã cấp số <strong>01/KH-KTĐ1</strong>" in forced.get_data(as_text=True)  # a state document
    bad_day = _post(clerk, url, co_quan="KTĐ1", nam="2026", loai="ke_hoach", ngay="31/02/2026")
    assert bad_day.status_code == 422 and "«Ngày văn bản» không phải ngày hợp lệ" in bad_day.get_data(as_text=True)
    # «Số bắt đầu» of a Party issuer names a type; khóa sổ closes that type's book of the term only.
    no_type = _post(clerk, url, _muc="so_bat_dau", co_quan="KTĐ1", nam="2026", so_bat_dau="9")
    assert no_type.status_code == 422 and "chọn «Loại» để đặt số bắt đầu" in no_type.get_data(as_text=True)
    assert _post(clerk, url, _muc="so_bat_dau", co_quan="KTĐ1", nam="2026", loai="ke_hoach", ngay="2026-07-01",
                 so_bat_dau="9").status_code == 303
    assert _post(clerk, url, _muc="khoa", co_quan="KTĐ1", nam="2026", loai_so="Kế hoạch",
                 ky="2025–2030").status_code == 303
    closed = _post(clerk, url, co_quan="KTĐ1", nam="2026", loai="ke_hoach", ngay="2026-08-01")
    assert closed.status_code == 422 and "loại Kế hoạch đã khóa" in closed.get_data(as_text=True)
    assert "Đã cấp số <strong>02-BC/KTĐ1</strong>" in _post(clerk, url, co_quan="KTĐ1", nam="2026",
                                                           loai="bao_cao_tong_ket").get_data(as_text=True)
    line_id = re.search(r'/so-van-ban/(\d+)">01-KH/KTĐ1<', _tbody(clerk.get(url).get_data(as_text=True))).group(1)
    line_page = clerk.get(f"/so-van-ban/{line_id}").get_data(as_text=True)
    assert "Sổ văn bản đi nhiệm kỳ 2025–2030 của KTĐ1, loại Kế hoạch" in line_page and "mang Số 01." in line_page
