"""The issued file of a record: the signed scan or digitally signed PDF (or a .docx) uploaded, checked, listed,
downloaded, audited, carried by the backup, and within the account's scope (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from sqlalchemy import select

from app import create_app
from doctpl import limits
from doctpl.store import backup, issued, overview, seed
from doctpl.store.db import Store
from doctpl.store.models import BanHanh, DonVi, Khoi, NhatKy, VanBan
from tests.conftest import csrf_token, signed_in
from tests.stores import database, store  # noqa: F401  (fixture: each test database)
from tests.test_limits import multipart

PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


@pytest.fixture(autouse=True)
def restore_limits(monkeypatch):
    """A test that sets limits leaves the next one the defaults."""
    monkeypatch.setattr(limits, "_current", None)


@pytest.fixture
def demo(web):  # noqa: F811
    """The app on each test database, with the demo seeded."""
    with web.extensions["doctpl.store"].session() as session:
        seed.seed_demo(session)
    return web


def ids(application, *codes: str) -> dict[str, int]:
    """Return the ids of demo bodies and khối by their codes."""
    with application.extensions["doctpl.store"].session() as session:
        found = {code: session.scalar(select(DonVi.id).where(DonVi.ma == code)) for code in codes}
        return {code: found[code] or session.scalar(select(Khoi.id).where(Khoi.ma == code)) for code in codes}


def record_id(application, kind: str, khoi: str, don_vi: str | None = None) -> int:
    """Return the id of the demo record of a kind of a khối (and unit), year 2026."""
    with application.extensions["doctpl.store"].session() as session:
        query = select(VanBan.id).join(Khoi, Khoi.id == VanBan.khoi_id).where(
            VanBan.kind == kind, VanBan.nam == 2026, Khoi.ma == khoi)
        if don_vi:
            query = query.join(DonVi, DonVi.id == VanBan.don_vi_id).where(DonVi.ma == don_vi)
        else:
            query = query.where(VanBan.don_vi_id.is_(None))
        return session.scalar(query)


def upload(client, rid: int, content: bytes, name: str, *, token: bool = True):
    """Post a file to a record's «Tải lên bản đã ban hành», with the page's CSRF token."""
    data = {"tep": (io.BytesIO(content), name)}
    if token:
        data["csrf_token"] = csrf_token(client.get(f"/van-ban/{rid}").get_data(as_text=True))
    return client.post(f"/van-ban/{rid}/ban-hanh", data=data, content_type="multipart/form-data")


def files_of(application, rid: int) -> list:
    """Return the issued files stored on a record."""
    with application.extensions["doctpl.store"].session() as session:
        return issued.files(session, rid)


def test_a_signed_pdf_and_a_docx_are_stored_listed_downloadable_and_audited(demo):
    admin = signed_in(demo)
    covenant = record_id(demo, "giao_uoc", "KTD-CQD-LD")
    answer = upload(admin, covenant, PDF, "Giao ước 2026 (đã ký).pdf")
    assert answer.status_code == 303 and answer.headers["Location"] == f"/van-ban/{covenant}?ban_hanh=1#ban-hanh"
    page = admin.get(answer.headers["Location"]).get_data(as_text=True)
    today = dt.date.today().strftime("%d/%m/%Y")
    assert "Đã lưu bản đã ban hành" in page and "Giao ước 2026 (đã ký).pdf" in page
    assert f"đã ban hành, tải lên ngày {today}" in page
    stored = files_of(demo, covenant)
    assert [(f.loai, f.kich_thuoc) for f in stored] == [("pdf", len(PDF))]
    download = admin.get(f"/van-ban/{covenant}/ban-hanh/{stored[0].id}")
    assert download.status_code == 200 and download.data == PDF and download.mimetype == "application/pdf"
    assert "filename*=UTF-8''Giao%20%C6%B0%E1%BB%9Bc" in download.headers["Content-Disposition"]
    assert f'href="/van-ban/{covenant}/ban-hanh/{stored[0].id}"' in page
    # The record's own .docx, signed digitally in Word, is an issued file too.
    docx = admin.get(f"/van-ban/{covenant}/tai-ve").data
    assert upload(admin, covenant, docx, "giao-uoc-ky-so.docx").status_code == 303
    stored = files_of(demo, covenant)
    assert [f.loai for f in stored] == ["pdf", "docx"]
    got = admin.get(f"/van-ban/{covenant}/ban-hanh/{stored[1].id}")
    assert got.data == docx and got.mimetype.endswith("wordprocessingml.document")
    with demo.extensions["doctpl.store"].session() as session:
        log = [(e.hanh_dong, e.chi_tiet) for e in session.scalars(select(NhatKy).where(NhatKy.van_ban_id == covenant))]
        year = overview.year(session, ids(demo, "KTD-CQD-LD")["KTD-CQD-LD"], 2026, today=dt.date.today())
    assert sum(action == "ban_hanh" for action, _ in log) == 2
    assert any(action == "tai_ve" and detail.startswith("Bản ban hành Giao ước") for action, detail in log)
    cell = next(c for c in year.khoi_row.cells if c.column == "giao_uoc")
    assert (cell.state, cell.entries[0].on) == ("ban_hanh", dt.date.today())


@pytest.mark.parametrize(("content", "name", "fragment"), [
    (b"Day khong phai PDF", "ban-ky.pdf", "không phải tệp PDF trọn vẹn"),
    (PDF[:-7], "bi-cat.pdf", "không phải tệp PDF trọn vẹn"),
    (PDF, "ban-ky.txt", "chỉ nhận bản ban hành dạng .pdf"),
    (b"khong phai zip", "ban-ky.docx", "không phải tệp .docx"),
    (None, "rong.docx", "word/document.xml"),
])
def test_a_file_that_is_not_what_it_claims_is_refused_in_vietnamese(demo, content, name, fragment):
    if content is None:  # a zip, but no Word document inside
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/khac.xml", "<x/>")
        content = buffer.getvalue()
    admin = signed_in(demo)
    plan = record_id(demo, "ke_hoach", "CTDP2-LD")
    answer = upload(admin, plan, content, name)
    assert answer.status_code == 400 and fragment in answer.get_data(as_text=True)
    assert "Chưa lưu được bản đã ban hành" in answer.get_data(as_text=True)
    assert files_of(demo, plan) == []
    missing = admin.post(f"/van-ban/{plan}/ban-hanh", data={"csrf_token": csrf_token(
        admin.get(f"/van-ban/{plan}").get_data(as_text=True))}, content_type="multipart/form-data")
    assert missing.status_code == 400 and "Vui lòng chọn tệp" in missing.get_data(as_text=True)
    assert upload(admin, plan, PDF, "ban-ky.pdf", token=False).status_code == 400  # CSRF, as every form
    assert files_of(demo, plan) == []


def test_an_oversize_file_and_one_file_too_many_are_refused_naming_the_setting(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "BATCH_FOLDER": str(tmp_path), "MAX_UPLOAD_MB": 1,
                      "MAX_ISSUED_FILES": 2, "DATABASE_URL": f"sqlite:///{tmp_path / 'gioi-han.sqlite3'}"})
    admin = signed_in(app)
    plan = record_id(app, "ke_hoach", "CTDP2-LD")
    large = PDF[:-6] + b"0" * (1024 * 1024 + 10) + b"%%EOF\n"
    token = csrf_token(admin.get(f"/van-ban/{plan}").get_data(as_text=True))
    answer = admin.post(f"/van-ban/{plan}/ban-hanh", **multipart({"csrf_token": token}, "tep", "quet.pdf", large))
    assert answer.status_code == 413 and "MAX_UPLOAD_MB" in answer.get_data(as_text=True)
    assert upload(admin, plan, PDF, "1.pdf").status_code == 303 and upload(admin, plan, PDF, "2.pdf").status_code == 303
    third = upload(admin, plan, PDF, "3.pdf")
    assert third.status_code == 413 and "MAX_ISSUED_FILES" in third.get_data(as_text=True)
    assert [f.ten_tep for f in files_of(app, plan)] == ["1.pdf", "2.pdf"]


def test_files_outside_the_account_s_scope_answer_404(demo):
    units = ids(demo, "BTGDVTU-LD", "VPTU-LD")
    own = record_id(demo, "dang_ky", "KTD-CQD-LD", "BTGDVTU-LD")  # issued in the demo
    own_file = files_of(demo, own)[0].id
    other = signed_in(demo, "vanthu-vp", "van_thu", "Văn thư Văn phòng", don_vi_id=units["VPTU-LD"])
    page = other.get("/van-ban/").get_data(as_text=True)  # any page of its own gives a token
    posted = other.post(f"/van-ban/{own}/ban-hanh", content_type="multipart/form-data",
                        data={"csrf_token": csrf_token(page), "tep": (io.BytesIO(PDF), "x.pdf")})
    assert posted.status_code == 404
    assert other.get(f"/van-ban/{own}/ban-hanh/{own_file}").status_code == 404
    clerk = signed_in(demo, "vanthu-tg", "van_thu", "Văn thư Ban Tuyên giáo", don_vi_id=units["BTGDVTU-LD"])
    assert clerk.get(f"/van-ban/{own}/ban-hanh/{own_file}").data.startswith(b"%PDF-")
    assert upload(clerk, own, PDF, "ban-ky-lai.pdf").status_code == 303
    admin = signed_in(demo)
    plan = record_id(demo, "ke_hoach", "KTD-CQD-LD")
    assert admin.get(f"/van-ban/{plan}/ban-hanh/{own_file}").status_code == 404  # another record's file
    assert admin.get(f"/van-ban/{plan}/ban-hanh/99999999999").status_code == 404
    assert admin.get("/van-ban/99999/ban-hanh/1").status_code == 404


def remove(client, rid: int, file_id: int, reason: str):
    """Post «Gỡ tệp» for one issued file of a record, with the page's CSRF token."""
    token = csrf_token(client.get(f"/van-ban/{rid}").get_data(as_text=True))
    return client.post(f"/van-ban/{rid}/ban-hanh/{file_id}/go", data={"csrf_token": token, "ly_do": reason})


def test_a_file_uploaded_by_mistake_is_taken_off_by_its_uploader_or_an_admin_with_a_reason(demo):
    units = ids(demo, "BTGDVTU-LD", "VPTU-LD", "KTD-CQD-LD")
    own = record_id(demo, "dang_ky", "KTD-CQD-LD", "BTGDVTU-LD")
    clerk = signed_in(demo, "vanthu-tg", "van_thu", "Văn thư Ban Tuyên giáo", don_vi_id=units["BTGDVTU-LD"])
    posted = upload(clerk, own, PDF, "nham <van ban> & 'khac'.pdf")  # the test client cuts a name at «"»
    assert posted.status_code == 303, posted.get_data(as_text=True)[-3000:]
    mistaken = files_of(demo, own)[-1]
    page = clerk.get(f"/van-ban/{own}").get_data(as_text=True)
    assert f"/van-ban/{own}/ban-hanh/{mistaken.id}/go" in page
    assert f"/van-ban/{own}/ban-hanh/{files_of(demo, own)[0].id}/go" not in page  # the demo's file: not the clerk's
    # No reason: refused, the field named, the file kept and what was typed shown again.
    short = remove(clerk, own, mistaken.id, " nh ")
    text = short.get_data(as_text=True)
    assert short.status_code == 422 and "«Lý do gỡ»" in text and 'value=" nh "' in text
    assert mistaken.id in [f.id for f in files_of(demo, own)]
    # Another clerk of the same unit did not upload it; an account outside the unit does not see it at all.
    colleague = signed_in(demo, "vanthu-tg2", "van_thu", "Văn thư khác", don_vi_id=units["BTGDVTU-LD"])
    refused = remove(colleague, own, mistaken.id, "tải nhầm tệp")
    assert refused.status_code == 422 and "Chỉ người đã tải lên (Văn thư Ban Tuyên giáo)" in refused.get_data(
        as_text=True)
    outsider = signed_in(demo, "vanthu-vp", "van_thu", "Văn thư Văn phòng", don_vi_id=units["VPTU-LD"])
    token = csrf_token(outsider.get("/van-ban/").get_data(as_text=True))
    assert outsider.post(f"/van-ban/{own}/ban-hanh/{mistaken.id}/go",
                         data={"csrf_token": token, "ly_do": "tải nhầm tệp"}).status_code == 404
    # The uploader takes it off: gone, said on the page, logged with its name, hash and the reason.
    done = remove(clerk, own, mistaken.id, "Tải nhầm tệp của văn bản khác")
    assert done.status_code == 303
    shown = clerk.get(done.headers["Location"]).get_data(as_text=True)
    assert "Đã gỡ tệp «nham &lt;van ban&gt; &amp; &#39;khac&#39;.pdf»" in shown
    assert mistaken.id not in [f.id for f in files_of(demo, own)]
    assert clerk.get(f"/van-ban/{own}/ban-hanh/{mistaken.id}").status_code == 404
    with demo.extensions["doctpl.store"].session() as session:
        line = session.scalars(select(NhatKy).where(NhatKy.hanh_dong == "go_ban_hanh")).one()
    assert (line.nguoi, line.van_ban_id) == ("Văn thư Ban Tuyên giáo", own)
    assert mistaken.ma_bam[:16] in line.chi_tiet and line.chi_tiet.endswith("Tải nhầm tệp của văn bản khác")
    # An admin takes off anyone's; with none left the record is no longer «đã ban hành».
    admin = signed_in(demo)
    for left in files_of(demo, own):
        assert remove(admin, own, left.id, "Bản quét chưa đóng dấu").status_code == 303
    assert "chưa tải lên bản đã ban hành" in admin.get(f"/van-ban/{own}").get_data(as_text=True)
    with demo.extensions["doctpl.store"].session() as session:
        year = overview.year(session, units["KTD-CQD-LD"], 2026, today=dt.date.today())
    (cell,) = [cell for row in year.rows for cell in row.cells if any(e.record_id == own for e in cell.entries)]
    assert cell.state != "ban_hanh"


def test_a_draft_cannot_be_issued(demo):
    admin = signed_in(demo)
    draft = record_id(demo, "bao_cao_so_ket", "KTD-CQD-LD", "VPTU-LD")
    page = admin.get(f"/van-ban/{draft}").get_data(as_text=True)
    assert "Bản nháp chưa ban hành được" in page and f"/van-ban/{draft}/ban-hanh" not in page
    answer = admin.post(f"/van-ban/{draft}/ban-hanh", content_type="multipart/form-data",
                        data={"csrf_token": csrf_token(page), "tep": (io.BytesIO(PDF), "x.pdf")})
    assert answer.status_code == 400 and "Bản nháp chưa ban hành được" in answer.get_data(as_text=True)


def test_the_backup_carries_the_issued_files(store, tmp_path):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        kept = _files(session)
    assert len(kept) == 3 and all(content.startswith(b"%PDF-") for *_, content in kept)
    archive = io.BytesIO()
    counts = backup.backup(store, archive)
    assert counts["ban_hanh"] == 3
    backend = "postgresql" if store.url.startswith("postgresql") else "sqlite"
    with database(backend, tmp_path) as url:
        copy = Store(url)
        archive.seek(0)
        assert backup.restore(copy, archive)["ban_hanh"] == 3
        with copy.session() as session:
            assert _files(session) == kept
        copy.dispose()


def _files(session) -> set[tuple]:
    """Return every issued file stored: its record, name, upload time and bytes."""
    return {(f.van_ban_id, f.ten_tep, f.tai_luc, f.noi_dung) for f in session.scalars(select(BanHanh))}


def test_a_backup_made_before_issued_files_existed_still_restores(store, tmp_path):  # noqa: F811
    """A backup of revision 0009 has no ban_hanh table; the restore loads what it has and upgrades."""
    with store.session() as session:
        seed.seed_demo(session)
        session.execute(BanHanh.__table__.delete())
    archive = io.BytesIO()
    backup.backup(store, archive)
    old = _without_table(archive.getvalue(), "ban_hanh", "0009")
    backend = "postgresql" if store.url.startswith("postgresql") else "sqlite"
    with database(backend, tmp_path) as url:
        copy = Store(url)
        counts = backup.restore(copy, io.BytesIO(old))
        assert "ban_hanh" not in counts and counts["van_ban"] == 24
        with copy.session() as session:
            assert _files(session) == set()  # the table is there after the upgrade, empty
        copy.dispose()


def _without_table(content: bytes, table: str, revision: str) -> bytes:
    """Return a backup archive as an older revision wrote it: without `table`, the manifest at `revision`."""
    import json
    import tarfile

    source = tarfile.open(fileobj=io.BytesIO(content), mode="r:gz")
    out = io.BytesIO()
    with source, tarfile.open(fileobj=out, mode="w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == f"bang/{table}.jsonl":
                continue
            if member.name == backup.MANIFEST:
                manifest = json.loads(data)
                manifest["phien_ban_csdl"] = revision
                manifest["so_dong"].pop(table, None)
                data = json.dumps(manifest).encode()
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    return out.getvalue()


def test_clean_name_keeps_the_file_s_own_name():
    assert issued.clean_name("C:\\Users\\vt\\Giao ước.pdf") == "Giao ước.pdf"
    assert issued.clean_name("../../x\x00y.pdf") == "xy.pdf"
    assert issued.clean_name("") == "tep-ban-hanh"
    assert re.fullmatch(r"a{196}\.pdf", issued.clean_name("a" * 300 + ".pdf"))
