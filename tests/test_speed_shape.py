"""The shape of fast paths (issue 14), never their timings: what is read, validated and queried, and how often.

- spreadsheets are read in a stream, cell for cell as openpyxl reads them;
- every document is validated once, where its data comes in, and rendered from the validated data;
- the registry batch and the roll-over of a set read the records in one query, whatever the history;
- «Văn bản đã lưu» and «Nhật ký» page, filter and search in the database, their filters kept in the URL.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

import openpyxl
import pytest
from sqlalchemy import event, insert, select

from doctpl import batch, bench, jobs, spreadsheet
from doctpl.kind import Kind, get_kind
from doctpl.store import audit, carry, records, registry_file
from doctpl.store.models import DonVi, Khoi, NhatKy, PhienBan, VanBan
from doctpl.xlsx import SheetReader
from tests.conftest import example, signed_in
from tests.stores import store  # noqa: F401  (fixture)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# -- reading spreadsheets -------------------------------------------------------------------------------------


def openpyxl_rows(content: bytes, width: int) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    rows = [list(row) for row in sheet.iter_rows(max_col=width, values_only=True)]
    book.close()
    return rows


def fast_rows(content: bytes, width: int) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    out: list[list] = []
    for number, values in SheetReader(book.worksheets[0]).rows(width, spreadsheet.EXCEL_ROWS):
        out += [[None] * width for _ in range(number - len(out) - 1)]  # openpyxl gives the rows a file leaves out
        out.append(values)
    book.close()
    return out


def with_sheet(content: bytes, sheet: str, strings: list[str] = ()) -> bytes:
    """Return an .xlsx with its first sheet's XML replaced, and a shared strings table when given."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in archive.infolist():
            data = archive.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode("utf-8")
            elif strings and item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif strings and item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats'
                                    b'.org/officeDocument/2006/relationships/sharedStrings" '
                                    b'Target="sharedStrings.xml"/></Relationships>')
            target.writestr(item.filename, data)
        if strings:
            items = "".join(f"<si><t xml:space=\"preserve\">{s}</t></si>" for s in strings)
            target.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{items}</sst>')
    return out.getvalue()


def styled_book() -> bytes:
    """An openpyxl workbook whose styles hold a date (s="1") and a date-time (s="2") format."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["a [a]", "b [b]", "c [c]", "d [d]"])
    sheet.append([dt.date(2021, 4, 8), 3.5, True, "x & <y>\nhai dòng"])
    sheet.append([dt.datetime(2021, 4, 8, 10, 30), "=1+1", None, "  cách  "])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HAND_MADE = (f'<worksheet xmlns="{MAIN}"><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
             '<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>'
             '<row r="2" spans="1:5"><c r="A2" s="1"><v>44294</v></c><c t="s" r="B2"><v>5</v></c>'
             '<c r="C2" t="str"><f>A1</f><v>a &amp; b</v></c><c r="D2" t="b"><v>0</v></c><c r="E2" t="e"><v>#N/A</v>'
             '</c></row><row r="4"/><row r="5"><c r="A5" s="2"><v>44294.5</v></c><c r="B5"/>'
             '<c r="C5"><f>1+1</f><v>2</v></c><c r="D5" t="inlineStr"><is><r><t>rich </t></r><r><rPr><b/></rPr>'
             '<t>text</t></r></is></c><c r="E5" t="n"><v>1E3</v></c><c r="F5"><v>7</v></c></row>'
             '<row><c><v>12</v></c><c t="s"><v>6</v></c></row></sheetData></worksheet>')
HAND_STRINGS = ["a [a]", "b [b]", "c [c]", "d [d]", "e [e]", "Văn bản", ""]


@pytest.mark.parametrize("case", ["openpyxl", "excel", "hand-made", "prefixed"])
def test_the_sheet_reader_gives_what_openpyxl_gives(case):
    if case == "openpyxl":  # inline strings, dates by style, a formula with no cached value
        content = styled_book()
    elif case == "excel":  # shared strings, as Excel saves a filled blank
        content = bench.spreadsheet_xlsx("dang_ky", 30)
    elif case == "hand-made":  # attributes in another order, cells and rows without r, errors, formulas, rich text
        content = with_sheet(styled_book(), HAND_MADE, HAND_STRINGS)
    else:  # elements with a namespace prefix: read by lxml
        prefixed = re.sub(r"<(/?)(?!\?)(\w+)", r"<\1x:\2", HAND_MADE).replace(f'<x:worksheet xmlns="{MAIN}"',
                                                                             f'<x:worksheet xmlns:x="{MAIN}"')
        content = with_sheet(styled_book(), prefixed, HAND_STRINGS)
    width = 60
    expected = openpyxl_rows(content, width)
    assert fast_rows(content, width) == expected
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    for key in (None, 0, 3):  # the count of a batch: the rows with a value, and one column of them
        assert list(SheetReader(book.worksheets[0]).scan(width, spreadsheet.EXCEL_ROWS, key)) == [
            (number, None if key is None else values[key]) for number, values in enumerate(expected, 1)
            if any(v not in (None, "") for v in values)]
    book.close()


def test_rows_are_built_as_they_are_read(monkeypatch):
    kind = get_kind("dang_ky")
    table = spreadsheet.read(kind, bench.spreadsheet_xlsx("dang_ky", 200), "lo.xlsx")
    assert isinstance(table, spreadsheet.Rows) and len(table) == 200
    read = []
    lines = spreadsheet._Xlsx.lines

    def counted(self):
        for item in lines(self):
            read.append(item[0])
            yield item

    monkeypatch.setattr(spreadsheet._Xlsx, "lines", counted)
    first = next(iter(table))
    assert read == [2] and first.numbers == [2]  # one document given after one line read, not the whole sheet
    assert [row.numbers for row in table][-1] == [201] and table[-1].raw == table[199].raw


def test_groups_keep_the_order_of_their_first_line_and_are_given_when_whole():
    base = {k: v for k, v in spreadsheet.flatten(example("dang_ky")).items() if not k.startswith("ca_nhan.")}
    headers = ["_nhom", *base, "ca_nhan.*.ho_ten"]
    lines = [("A", "Nguyễn A"), ("", "Một mình"), ("B", "Trần B"), ("A", "Lê C"), ("B", "Phạm D")]
    text = ",".join(headers) + "\n" + "".join(
        ",".join(json.dumps(str(v), ensure_ascii=False) for v in [g, *base.values(), n]) + "\n" for g, n in lines)
    rows = list(spreadsheet.read(get_kind("dang_ky"), text.encode("utf-8"), "nhom.csv"))
    assert [row.numbers for row in rows] == [[2, 5], [3], [4, 6]]
    assert [[p["ho_ten"] for p in row.raw["ca_nhan"]] for row in rows] == [["Nguyễn A", "Lê C"], ["Một mình"],
                                                                           ["Trần B", "Phạm D"]]


# -- one validation per document ------------------------------------------------------------------------------


def counting(monkeypatch) -> list[str]:
    calls: list[str] = []
    draft = Kind.draft

    def counted(self, raw):
        calls.append(self.id)
        return draft(self, raw)

    monkeypatch.setattr(Kind, "draft", counted)
    return calls


def test_a_row_is_validated_once_from_the_spreadsheet_to_the_zip(monkeypatch):
    kind = get_kind("dang_ky")
    table = spreadsheet.read(kind, bench.spreadsheet_xlsx("dang_ky", 12), "lo.xlsx")
    calls = counting(monkeypatch)
    work, problems = batch.from_rows(kind, table, workers=1)
    assert not problems and all(job.data is not None for job in work)
    with io.BytesIO() as target:
        assert batch.write_zip(target, batch.render_all(work, workers=1)) == 12
    assert calls == ["dang_ky"] * 12


def test_many_rows_are_validated_in_workers_spooled_and_rendered_without_validating_again(monkeypatch):
    kind = get_kind("dang_ky")
    rows = [spreadsheet.Row([n], {**example("dang_ky"), "so": n % 90 + 1}, {}) for n in range(2, 62)]
    rows[5] = spreadsheet.Row([7], {**example("dang_ky"), "nam": "năm nay"}, {"nam": "H"})
    work, problems = batch.from_rows(kind, rows, workers=2)
    assert isinstance(work, batch.Spooled) and len(work) == 59
    assert [str(p).split(" từ ")[0] for p in problems] == ["dòng 7, cột H (nam): «Năm» phải là số nguyên"]
    assert all(job.data is not None for job in work) and work[0].data["so"] == 3 and work[-1].data["so"] == 61 % 90 + 1

    def refuse(self, raw):
        raise AssertionError("validated again")

    monkeypatch.setattr(Kind, "draft", refuse)  # forked render workers inherit it
    results = list(batch.render_all(work, workers=2))
    assert len(results) == 59 and [job.data["so"] for job, _, _ in results] == [job.data["so"] for job in work]


def test_validated_data_travels_to_a_worker_as_it_was():
    data = get_kind("bang_diem").validate(example("bang_diem"))
    args = jobs.batch_args([batch.Job("bang_diem", example("bang_diem"), "Khối", data=data)], [])
    again = jobs.Serializer.loads(jobs.Serializer.dumps(args))
    assert again["jobs"][0] == {"kind_id": "bang_diem", "raw": {}, "folder": "Khối", "note": "", "data": data}
    assert batch.Job(**again["jobs"][0]).payload() == ("bang_diem", data, True)  # the worker renders it as it is


# -- history: the registry batch, the roll-over, the lists ----------------------------------------------------


@contextmanager
def statements(engine) -> Iterator[list[str]]:
    """Collect every SQL statement the engine runs within the block."""
    seen: list[str] = []

    def listen(_connection, _cursor, statement, *_):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def small_registry(session, units: int = 4) -> int:
    registry_file.import_file(session, bench._registry(units))
    return session.scalar(select(Khoi.id))


KINDS = ["dang_ky", "bao_cao_so_ket"]


def test_the_registry_batch_reads_the_records_once_whatever_the_history(store):  # noqa: F811
    with store.session() as session:
        khoi_id = small_registry(session)
    shapes = []
    for year in range(2020, 2026):
        with store.session() as session:
            batch.from_registry(session, khoi_id, year, KINDS, who="t", save=True)  # one more year of records
        if year in (2020, 2025):
            with statements(store.engine) as seen, store.session() as session:
                work, problems = batch.from_registry(session, khoi_id, 2026, KINDS, who="t")
            assert len(work) == 8 and not problems
            assert all("dựng từ bản lưu #" in job.note for job in work)  # from the year before
            shapes.append(seen)
    one_year, six_years = shapes
    assert len(one_year) == len(six_years)  # six years of records cost what one does
    reading = [sql for sql in six_years if "van_ban" in sql]
    assert len(reading) == 1 and "row_number" in reading[0].lower()


def test_the_roll_over_of_a_set_does_not_read_the_history(store):  # noqa: F811
    with store.session() as session:
        khoi_id = small_registry(session)
    counts = []
    for year in range(2020, 2026):
        with store.session() as session:
            batch.from_registry(session, khoi_id, year, KINDS, who="t", save=True)
        if year in (2020, 2025):
            with statements(store.engine) as seen, store.session() as session:
                steps = carry.plan_set(session, khoi_id, year, year + 1)
            assert len(steps) == 8 and all(step.action == "tao" for step in steps)
            counts.append(len(seen))
    assert counts[0] == counts[1]


def fill(session, count: int) -> tuple[int, list[int]]:
    """Give the database a registry and `count` records (in bulk) with an audit line each; return ids."""
    khoi_id = small_registry(session, 3)
    units = list(session.scalars(select(DonVi.id).order_by(DonVi.id)))
    now = dt.datetime(2026, 1, 5, 9, 0)
    rows = [{"kind": "dang_ky" if n % 2 else "bao_cao_so_ket", "nam": 2000 + n % 20, "khoi_id": khoi_id,
             "don_vi_id": units[n % 3], "tieu_de": f"Đăng ký thi đua năm {2000 + n % 20} – Ban số {n % 3 + 1}",
             "so": n, "phien_ban": 1, "nhap": False, "xem_lai": "", "xoa_boi": "", "nguoi_tao": "t", "tao_luc": now,
             "sua_luc": now} for n in range(1, count + 1)]
    ids = list(session.scalars(insert(VanBan).returning(VanBan.id), rows))
    session.execute(insert(PhienBan), [{"van_ban_id": i, "phien_ban": 1, "du_lieu": "{}", "ma_mau": "m",
                                        "ma_du_lieu": "d", "nguoi_luu": "t", "luu_luc": now} for i in ids])
    session.execute(insert(NhatKy), [{"luc": now + dt.timedelta(days=n % 10), "nguoi": f"Văn thư {n % 4}",
                                      "hanh_dong": "luu" if n % 3 else "tai_ve", "kind": "dang_ky", "van_ban_id": i,
                                      "phien_ban": 1, "ma_mau": "abcdef", "ma_du_lieu": "d",
                                      "chi_tiet": f"Đăng ký số {n}"} for n, i in enumerate(ids, 1)])
    return khoi_id, units


def listed(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/van-ban/(\d+)"', page)]


def test_saved_documents_are_paged_filtered_and_searched_in_the_database(web):
    with web.extensions["doctpl.store"].session() as session:
        khoi_id, units = fill(session, 120)
    admin = signed_in(web)
    first = admin.get("/van-ban/").get_data(as_text=True)
    assert len(listed(first)) == 50 and "Trang 1/3" in first and "Văn bản 1–50 trong 120" in first
    assert 'href="/van-ban/?trang=2"' in first
    last = admin.get("/van-ban/?trang=3").get_data(as_text=True)
    assert len(listed(last)) == 20 and "Văn bản 101–120 trong 120" in last
    assert listed(admin.get("/van-ban/?trang=99").get_data(as_text=True)) == listed(last)  # kept within the pages
    filtered = admin.get(f"/van-ban/?khoi={khoi_id}&nam=2005&loai=dang_ky").get_data(as_text=True)
    assert "trong 6" in filtered and "Trang" not in filtered
    with web.extensions["doctpl.store"].session() as session:
        found = session.scalars(select(VanBan).where(VanBan.id.in_(listed(filtered)))).all()
        assert {(r.nam, r.kind) for r in found} == {(2005, "dang_ky")}
    searched = admin.get(f"/van-ban/?don_vi={units[1]}&q=ban+s%E1%BB%91+2").get_data(as_text=True)
    assert "trong 40" in searched and "Trang" not in searched  # 40 rows: one page
    assert "trong 40" in admin.get("/van-ban/?q=%C4%90%C4%82NG+K%C3%9D+THI+%C4%90UA+N%C4%82M&don_vi="
                                   f"{units[1]}").get_data(as_text=True)  # typed in capitals
    with_filters = admin.get(f"/van-ban/?loai=dang_ky&q=ban&khoi={khoi_id}").get_data(as_text=True)
    assert f'href="/van-ban/?loai=dang_ky&amp;q=ban&amp;khoi={khoi_id}&amp;trang=2"' in with_filters
    numbered = admin.get("/van-ban/?q=117").get_data(as_text=True)
    assert "trong 1" in numbered and "khớp «117»" in numbered
    record = listed(first)[7]
    assert listed(admin.get(f"/van-ban/?q=%23{record}").get_data(as_text=True)) == [record]
    keeps = admin.get("/van-ban/?nam=2001&trang=1").get_data(as_text=True)
    assert "trong 6" in keeps


def test_a_clerk_s_pages_hold_only_the_unit_s_records(web):
    with web.extensions["doctpl.store"].session() as session:
        _, units = fill(session, 90)
    clerk = signed_in(web, "vanthu", "van_thu", don_vi_id=units[0])
    page = clerk.get("/van-ban/").get_data(as_text=True)
    assert "trong 30" in page and len(listed(page)) == 30
    with web.extensions["doctpl.store"].session() as session:
        assert {r.don_vi_id for r in session.scalars(select(VanBan).where(VanBan.id.in_(listed(page))))} == {units[0]}


def test_a_page_costs_the_same_queries_with_ten_times_the_records(web):
    admin = signed_in(web)
    counts = []
    for count in (60, 600):
        with web.extensions["doctpl.store"].session() as session:
            fill(session, count) if count == 60 else session.execute(insert(VanBan), [
                {"kind": "dang_ky", "nam": 1990, "tieu_de": "Cũ", "phien_ban": 1, "nhap": False, "xem_lai": "",
                 "xoa_boi": "", "nguoi_tao": "t"} for _ in range(count - 60)])
        with statements(web.extensions["doctpl.store"].engine) as seen:
            assert admin.get("/van-ban/?trang=2").status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1]


def test_the_audit_log_is_paged_filtered_and_searched_in_the_database(web):
    with web.extensions["doctpl.store"].session() as session:
        fill(session, 130)
    admin = signed_in(web)
    page = admin.get("/nhat-ky").get_data(as_text=True)
    assert page.count("<tr><td>") == 50 and "Trang 1/" in page and 'href="/nhat-ky?trang=2"' in page
    saved = admin.get("/nhat-ky?viec=luu&nguoi=V%C4%83n+th%C6%B0+1").get_data(as_text=True)
    with web.extensions["doctpl.store"].session() as session:
        wanted = audit.page(session, hanh_dong="luu", nguoi="Văn thư 1").total
    assert wanted and f"trong {wanted}" in saved and "tai_ve</span>" not in saved
    day = admin.get("/nhat-ky?tu=2026-01-07&den=08%2F01%2F2026&viec=tai_ve").get_data(as_text=True)
    assert all(d in ("07/01/2026", "08/01/2026") for d in re.findall(r"<td>(\d\d/\d\d/\d{4}) ", day))
    assert 'value="2026-01-07"' in day and 'value="2026-01-08"' in day  # the filters stay in the form and the URL
    found = admin.get("/nhat-ky?q=%C4%91%C4%83ng+k%C3%BD+s%E1%BB%91+77").get_data(as_text=True)
    assert "Đăng ký số 77" in found and "trong 1" in found
    assert "Không có dòng nào" in admin.get("/nhat-ky?tu=ngay-sai&q=kh%C3%B4ng-c%C3%B3").get_data(as_text=True)


def test_a_record_s_data_is_read_without_its_other_versions(store):  # noqa: F811
    with store.session() as session:
        khoi_id = small_registry(session, 1)
        (job,) = batch.from_registry(session, khoi_id, 2026, ["dang_ky"], who="t")[0]
        record = records.save(session, "dang_ky", job.raw, who="t", khoi_id=khoi_id)
        for _ in range(5):
            records.save(session, "dang_ky", records.data(session, record.id), who="t", record_id=record.id)
    with statements(store.engine) as seen, store.session() as session:
        assert records.data(session, record.id)["nam"] == 2026
        assert records.version(session, record.id, 2).phien_ban == 2
    versions = [sql for sql in seen if "FROM phien_ban" in sql]
    assert len(versions) == 2 and all("phien_ban.phien_ban = " in sql for sql in versions)  # one version each
