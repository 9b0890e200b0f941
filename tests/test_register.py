"""The sổ văn bản đi as offices keep it, on SQLite and PostgreSQL: first number, khóa sổ, hủy số, Phụ lục IV, gắn số."""

from __future__ import annotations

import io
import re
import threading

import openpyxl
import pytest
from sqlalchemy import inspect, select, text

from doctpl.errors import ValidationError
from doctpl.store import numbering, records
from doctpl.store.db import Store
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


def _plan(so: int | None = None, year: int = 2021) -> dict:
    data = example("ke_hoach")
    data["so"], data["nam"] = so, year
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
        book = session.get(BoDem, ("KTĐ1", 2026), populate_existing=True)
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
            book = session.get(BoDem, ("KTĐ1", 2021))
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
