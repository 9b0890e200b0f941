"""Bounded work: every declared limit refuses with a Vietnamese message naming its setting, before the cost."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from app import create_app
from doctpl import batch, engine, limits, spreadsheet
from doctpl.check import report
from doctpl.check.reader import Reader, UnreadableDocx
from doctpl.errors import DoctplError, ValidationError
from doctpl.kind import get_kind
from doctpl.parts.header import rules_of
from doctpl.render import render
from doctpl.store.records import to_json
from tests.conftest import csrf_token, example, signed_in

ROOT = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(autouse=True)
def restore_limits(monkeypatch):
    """Whatever a test configures, the next one starts from the defaults and the environment."""
    monkeypatch.setattr(limits, "_current", None)


def limited_app(tmp_path: Path, **settings):
    """An app (no demo) with some limits set through its config, as instance/config.py would."""
    return create_app({"TESTING": True, "SECRET_KEY": "test", "SEED_DEMO": False, "BATCH_FOLDER": str(tmp_path),
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'limits.sqlite3'}", **settings})


def multipart(fields: dict[str, str], name: str, filename: str, content: bytes) -> dict:
    """Return post() arguments for a multipart body built in memory (the test client spools large ones to files)."""
    boundary = "doctpl-ranh-gioi"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
             for key, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    return {"data": b"".join(parts) + f"--{boundary}--\r\n".encode(),
            "content_type": f"multipart/form-data; boundary={boundary}"}


def example_docx() -> bytes:
    return render("ke_hoach", example("ke_hoach")).content


def replaced(parts: dict[str, bytes | None], base: bytes | None = None) -> bytes:
    """Return a .docx with some parts replaced, added, or (None) removed."""
    source = zipfile.ZipFile(io.BytesIO(base or example_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name not in parts:
                target.writestr(name, source.read(name))
        for name, content in parts.items():
            if content is not None:
                target.writestr(name, content)
    return out.getvalue()


def document_xml() -> str:
    return zipfile.ZipFile(io.BytesIO(example_docx())).read("word/document.xml").decode("utf-8")


def varied_paragraphs(count: int) -> bytes:
    """Return the example .docx with `count` more body paragraphs of varied words (compressing like real text)."""
    xml = document_xml()
    para = max(re.findall(r"<w:p>.*?</w:p>|<w:p .*?</w:p>", xml, re.S), key=len)
    text = re.search(r"<w:t[^>]*>([^<]{20,})</w:t>", para).group(1)
    rng, words = random.Random(1), text.split()
    body = "".join(para.replace(text, " ".join(rng.choice(words) for _ in range(40))) for _ in range(count))
    return replaced({"word/document.xml": xml.replace(para, para + body, 1).encode("utf-8")})


# -- the settings ---------------------------------------------------------------------------------------------


def test_every_limit_is_a_setting_of_the_app_with_its_default(tmp_path):
    app = limited_app(tmp_path)
    for name, default in limits.DEFAULTS.settings().items():
        assert app.config[name] == default, name
    assert app.config["MAX_CONTENT_LENGTH"] == limits.DEFAULTS.max_request_mb * 1024 * 1024
    limited = limited_app(tmp_path, MAX_REQUEST_MB=2, MAX_BATCH_ROWS=7)
    assert limited.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024 and limits.current().max_batch_rows == 7


def test_the_environment_sets_a_limit_and_a_bad_value_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("DOCTPL_MAX_UPLOAD_MB", "3")
    monkeypatch.setenv("DOCTPL_PDF_TIMEOUT", "90")
    assert limits.current().max_upload_mb == 3 and limits.current().pdf_timeout == 90.0
    for bad in ("nhiều", "0", "-5"):
        with pytest.raises(ValueError, match="MAX_DOC_BLOCKS"):
            limits.configure({"MAX_DOC_BLOCKS": bad})


# -- the size of a request and of an upload --------------------------------------------------------------------


def test_a_body_over_max_request_mb_is_a_413_naming_the_limit(tmp_path):
    client = signed_in(limited_app(tmp_path, MAX_REQUEST_MB=1))
    big = json.dumps({"x": "a" * (1024 * 1024 + 10)})
    response = client.post("/api/v1/render/ke_hoach", data=big, content_type="application/json")
    assert response.status_code == 413
    message = response.get_json()["errors"][0]["message"]
    assert "1 MB" in message and "MAX_REQUEST_MB" in message
    page = client.get("/kiem-tra").get_data(as_text=True)
    upload = client.post("/kiem-tra", **multipart({"csrf_token": csrf_token(page)}, "tep", "to.docx",
                                                  b"x" * (1024 * 1024 + 10)))
    assert upload.status_code == 413 and "MAX_REQUEST_MB" in upload.get_data(as_text=True)
    field = client.post("/api/v1/check", **multipart({"ghi_chu": "x" * 600_000}, "file", "a.docx", example_docx()))
    assert field.status_code == 413 and "MAX_FORM_MEMORY_SIZE" in field.get_json()["errors"][0]["message"]


def test_an_upload_over_max_upload_mb_is_refused_by_the_checker_and_the_batch(tmp_path):
    client = signed_in(limited_app(tmp_path, MAX_UPLOAD_MB=1))
    image = random.Random(2).randbytes(1024 * 1024 + 10)  # does not compress
    heavy = replaced({"word/media/anh.png": image})
    response = client.post("/api/v1/check", **multipart({}, "file", "nang.docx", heavy))
    assert response.status_code == 413
    assert "«nang.docx»" in response.get_json()["errors"][0]["message"]
    assert "MAX_UPLOAD_MB" in response.get_json()["errors"][0]["message"]
    with pytest.raises(limits.TooLarge, match="MAX_UPLOAD_MB"):
        spreadsheet.read(get_kind("dang_ky"), b"a,b\n" * 300_000, "lon.csv")


# -- rows of a batch ------------------------------------------------------------------------------------------


def csv_rows(count: int) -> bytes:
    kind = get_kind("dang_ky")
    flat = spreadsheet.flatten(kind.example())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(flat)
    for _ in range(count):
        writer.writerow(flat.values())
    return out.getvalue().encode("utf-8")


def test_a_batch_over_max_batch_rows_is_refused_while_reading():
    limits.configure({"MAX_BATCH_ROWS": 5})
    kind = get_kind("dang_ky")
    assert len(spreadsheet.read(kind, csv_rows(5), "du.csv")) == 5
    with pytest.raises(limits.TooLarge, match=r"hơn 5 dòng .*MAX_BATCH_ROWS") as error:
        spreadsheet.read(kind, csv_rows(5) + b"\n\n" + csv_rows(1).split(b"\n", 1)[1], "thua.csv")
    assert error.value.status == 413


def test_an_xlsx_is_read_only_as_far_as_its_cells_and_the_limits_go():
    kind = get_kind("dang_ky")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = spreadsheet.SHEET
    flat = spreadsheet.flatten(kind.example())
    sheet.append(list(flat))
    sheet.append(list(flat.values()))
    sheet.cell(spreadsheet.EXCEL_ROWS, 1, "dòng cuối cùng của Excel")
    out = io.BytesIO()
    book.save(out)
    started = time.monotonic()
    limits.configure({"MAX_BATCH_ROWS": 1})
    with pytest.raises(limits.TooLarge, match="MAX_BATCH_ROWS"):
        spreadsheet.read(kind, out.getvalue(), "xa.xlsx")
    # A file may claim rows past Excel's last: they are not walked through.
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    forged = archive.read("xl/worksheets/sheet1.xml").replace(
        f'r="{spreadsheet.EXCEL_ROWS}"'.encode(), b'r="999999999"').replace(
        f'A{spreadsheet.EXCEL_ROWS}'.encode(), b"A999999999")
    claimed = io.BytesIO()
    with zipfile.ZipFile(claimed, "w", zipfile.ZIP_DEFLATED) as target:
        for name in archive.namelist():
            target.writestr(name, forged if name == "xl/worksheets/sheet1.xml" else archive.read(name))
    assert len(spreadsheet.read(kind, claimed.getvalue(), "xa.xlsx")) == 1
    assert time.monotonic() - started < 30
    wide = ",".join(f"c{i}" for i in range(600)).encode()
    with pytest.raises(limits.TooLarge, match="600 cột.*MAX_BATCH_COLUMNS"):
        spreadsheet.read(kind, wide + b"\n1\n", "rong.csv")


@pytest.mark.parametrize(("content", "fragment"), [
    ("Tên đơn vị,Năm\nBan Dân vận,2026\n".encode("cp1258", errors="replace"), "UTF-8 (có hoặc không có BOM)"),
    ("Tên,Năm\nBan Tuyên giáo,2026\n".encode("utf-16"), "CSV UTF-8"),
    (b"a,b\n" + b'"' + b"x" * 200_000 + b'"\n', "Không đọc được tệp «x.csv»"),
    (b"", "Bảng tính không có dữ liệu"),
])
def test_a_csv_it_cannot_read_is_a_vietnamese_400(content, fragment):
    with pytest.raises(DoctplError, match=re.escape(fragment)) as error:
        spreadsheet.read(get_kind("dang_ky"), content, "x.csv")
    assert error.value.status == 400


def test_a_csv_with_a_bom_and_one_without_read_alike():
    kind = get_kind("dang_ky")
    plain = spreadsheet.read(kind, csv_rows(1), "a.csv")
    assert spreadsheet.read(kind, b"\xef\xbb\xbf" + csv_rows(1), "a.csv")[0].raw == plain[0].raw


# -- one document ---------------------------------------------------------------------------------------------


def plan(sections: int, blocks: int, text: str) -> dict:
    data = example("ke_hoach")
    data["noi_dung"] = [{"tieu_de": f"Mục {s + 1}", "thanh_phan": [{"loai": "doan", "van_ban": text}
                                                            for _ in range(blocks)]} for s in range(sections)]
    return data


def test_a_document_over_its_blocks_or_characters_is_a_422_naming_the_limit(tmp_path):
    kind = get_kind("ke_hoach")
    with pytest.raises(limits.DocumentTooLarge, match=r"hơn 3\.000 đoạn, mục và dòng.*MAX_DOC_BLOCKS"):
        kind.validate(plan(30, 101, "Nội dung."))
    with pytest.raises(limits.DocumentTooLarge, match="MAX_DOC_BLOCKS"):
        kind.validate(plan(1, 1, "dòng\n" * 3001))  # each line is a paragraph of its own
    with pytest.raises(limits.DocumentTooLarge, match=r"hơn 300\.000 ký tự.*MAX_DOC_CHARS"):
        kind.validate(plan(30, 40, "x" * 260))
    response = signed_in(limited_app(tmp_path)).post("/api/v1/render/ke_hoach", json=plan(30, 101, "Nội dung."))
    assert response.status_code == 422 and "MAX_DOC_BLOCKS" in response.get_json()["errors"][0]["message"]


def test_a_row_over_the_document_limits_is_a_row_problem_of_its_batch():
    limits.configure({"MAX_DOC_BLOCKS": 100})
    kind = get_kind("ke_hoach")
    rows = [spreadsheet.Row([2], example("ke_hoach"), {}), spreadsheet.Row([3], plan(2, 60, "Nội dung."), {})]
    jobs, problems = batch.from_rows(kind, rows)
    assert len(jobs) == 1 and len(problems) == 1 and "MAX_DOC_BLOCKS" in problems[0].message


def test_a_document_at_the_limits_stays_within_them_once_converted_and_renders_in_bounded_time():
    kind = get_kind("ke_hoach")
    raw = plan(30, 95, "Tổ chức **phong trào** thi đua [[nam]] sâu rộng trong cán bộ, đảng viên. ")  # near both
    started = time.monotonic()
    data = kind.validate(raw)
    kind.validate(json.loads(json.dumps(to_json(data))))  # saved, then read back: the defaults do not count
    document = render("ke_hoach", raw)
    assert time.monotonic() - started < limits.DEFAULTS.max_render_seconds / 3
    assert len(document.content) > 50_000


def test_a_render_past_max_render_seconds_is_stopped_from_inside_the_template():
    kind = get_kind("ke_hoach")
    data = kind.validate(example("ke_hoach"))
    context, template = kind.context(data), kind.template_path(rules_of(data))
    deadline = limits.Deadline(3600)
    watched = deadline.watch(context)
    assert watched == context and engine.prepared(template).render(watched) == \
        engine.prepared(template).render(context)
    deadline.ends = time.monotonic() - 1  # the time is up in the middle of the body's loop
    with pytest.raises(limits.RenderTooSlow, match="MAX_RENDER_SECONDS") as error:
        engine.prepared(template).render(watched)
    assert error.value.status == 422
    limits.configure({"MAX_RENDER_SECONDS": 1e-9})
    with pytest.raises(limits.RenderTooSlow):
        render("ke_hoach", example("ke_hoach"))


# -- the checker's input --------------------------------------------------------------------------------------


def test_the_checker_refuses_paragraphs_and_runs_beyond_its_limits_before_reading_them():
    limits.configure({"MAX_CHECK_PARAGRAPHS": 50})
    with pytest.raises(limits.TooLarge, match=r"«kh\.docx» có \d+ đoạn văn.*MAX_CHECK_PARAGRAPHS"):
        report.check(example_docx(), "kh.docx")
    limits.configure({"MAX_CHECK_RUNS": 50})
    with pytest.raises(limits.TooLarge, match="MAX_CHECK_RUNS"):
        report.check(example_docx(), "kh.docx")


def test_two_million_paragraphs_in_53_kb_are_refused_in_a_moment():
    bomb = replaced({"word/document.xml": f'<w:document xmlns:w="{W}"><w:body>'.encode() + b"<w:p/>" * 2_000_000
                     + b"</w:body></w:document>"})
    started = time.monotonic()
    with pytest.raises(limits.TooLarge, match="MAX_ZIP_RATIO"):
        report.check(bomb, "bom.docx")
    limits.configure({"MAX_ZIP_RATIO": 10_000})
    with pytest.raises(limits.TooLarge, match=r"2\.000\.\d{3} đoạn văn"):  # and past the ratio, the paragraphs
        report.check(bomb, "bom.docx")
    assert time.monotonic() - started < 10


def test_a_paragraph_made_to_backtrack_is_checked_in_one_pass():
    xml = document_xml().replace("<w:body>", "<w:body><w:p><w:r><w:t>" + ", ngày x" * 20_000 + "</w:t></w:r></w:p>", 1)
    started = time.monotonic()
    report.check(replaced({"word/document.xml": xml.encode()}))
    assert time.monotonic() - started < 5  # «, ngày.*năm» as a regex took 81 s on this paragraph


def test_the_unpacked_size_and_the_parts_of_an_upload_are_bounded():
    limits.configure({"MAX_ZIP_MB": 1})
    with pytest.raises(limits.TooLarge, match="MAX_ZIP_MB"):
        report.check(replaced({"word/media/anh.png": bytes(2 * 1024 * 1024)}), "to.docx")
    with pytest.raises(limits.TooLarge, match="MAX_ZIP_MB"):
        spreadsheet.read(get_kind("dang_ky"), replaced({"xl/anh.bin": bytes(2 * 1024 * 1024)},
                                                       spreadsheet.blank(get_kind("dang_ky"))), "to.xlsx")
    limits.configure({"MAX_ZIP_PARTS": 20})
    with pytest.raises(limits.TooLarge, match="MAX_ZIP_PARTS"):
        report.check(replaced({f"word/media/{i}.png": b"x" for i in range(5)}), "nhieu.docx")


def test_every_document_and_template_doctpl_makes_is_within_the_upload_limits():
    for kind_id in ("ke_hoach", "giao_uoc", "dang_ky", "bao_cao_so_ket", "bao_cao_tong_ket"):
        limits.open_zip(render(kind_id, example(kind_id)).content, "x.docx", ".docx")
        limits.open_zip(spreadsheet.blank(get_kind(kind_id)), "x.xlsx", ".xlsx")


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "hahahahahahahahahaha">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
          + f']><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>')
XXE = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')


@pytest.mark.parametrize(("make", "fragment"), [
    (lambda: b"PK\x03\x04 not really", "không phải tệp .docx đọc được"),
    (lambda: replaced({"word/document.xml": None}), "thiếu phần nội dung word/document.xml"),
    (lambda: replaced({"word/document.xml": b"<w:document"}), "không phải XML hợp lệ"),
    (lambda: replaced({"word/styles.xml": b"<?xml version='1.0'?><a><b></a>"}), "word/styles.xml không phải XML"),
    (lambda: replaced({"word/document.xml": LAUGHS.encode()}), "word/document.xml"),  # DTD or amplification
    (lambda: replaced({"word/document.xml": XXE.encode()}), "DTD"),
    (lambda: replaced({"word/document.xml": f'<w:document xmlns:w="{W}"/>'.encode()}), "không có phần thân"),
    (lambda: replaced({"word/document.xml": document_xml().replace('w:val="28"', 'w:val="to"', 1).encode()}), "«to»"),
    (lambda: replaced({"word/document.xml": document_xml().replace('w:val="28"', 'w:val="1e999"', 1).encode()}),
     "«1e999»"),
    (lambda: replaced({"word/_rels/document.xml.rels": None}), "đầu trang"),
])
def test_a_malformed_docx_is_a_vietnamese_400_everywhere(make, fragment, tmp_path):
    content = make()
    started = time.monotonic()
    with pytest.raises(DoctplError, match=re.escape(fragment)) as error:
        report.check(content, "hong.docx")
    assert error.value.status == 400 and time.monotonic() - started < 5
    client = signed_in(limited_app(tmp_path))
    api = client.post("/api/v1/check", data={"file": (io.BytesIO(content), "hong.docx")})
    assert api.status_code == 400 and fragment in api.get_json()["errors"][0]["message"]
    page = client.get("/kiem-tra").get_data(as_text=True)
    web = client.post("/kiem-tra", data={"csrf_token": csrf_token(page), "tep": (io.BytesIO(content), "hong.docx")})
    assert web.status_code == 400 and fragment in web.get_data(as_text=True)


def test_a_docx_without_a_section_or_with_comments_in_runs_is_checked_not_refused():
    xml = re.sub(r"<w:sectPr.*?</w:sectPr>", "", document_xml(), flags=re.S).replace("<w:t", "<!-- ghi chú --><w:t", 3)
    findings = report.check(replaced({"word/document.xml": xml.encode()}))
    assert "PAGE_A4" in {f.rule for f in findings}


def test_random_damage_to_a_docx_gives_findings_or_a_4xx_never_a_crash():
    rng = random.Random(30)
    base = example_docx()
    source = zipfile.ZipFile(io.BytesIO(base))
    junk = ["", "x", "-1", "1e999", "nan", "99999999999999999999", "%", "auto", "0"]
    for _ in range(40):
        part = rng.choice(["word/document.xml", "word/styles.xml", "word/header1.xml"])
        root = etree.fromstring(source.read(part))
        elements = list(root.iter())
        for _ in range(rng.randint(1, 4)):
            element = rng.choice(elements)
            if rng.random() < 0.4 and element.getparent() is not None:
                element.getparent().remove(element)
            elif element.attrib:
                element.set(rng.choice(list(element.attrib)), rng.choice(junk))
        xml = etree.tostring(root)
        if rng.random() < 0.15:
            xml = xml[:rng.randrange(len(xml))]
        try:
            assert isinstance(report.check(replaced({part: xml}, base)), list)
        except DoctplError as error:
            assert 400 <= error.status < 500 and str(error)


def test_unreadable_docx_is_still_a_bad_zip_for_callers_that_catch_that():
    with pytest.raises(zipfile.BadZipFile):
        Reader(b"not a zip")
    assert issubclass(UnreadableDocx, zipfile.BadZipFile) and issubclass(limits.DocumentTooLarge, ValidationError)


# -- memory ---------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_process_returns_to_its_working_size_after_a_large_check():
    script = textwrap.dedent("""
        import os, resource, sys
        sys.path.insert(0, sys.argv[1])
        from doctpl.check import report
        from tests.test_limits import example_docx, varied_paragraphs

        def rss():
            return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20

        report.check(example_docx())
        large = varied_paragraphs(9000)
        before = rss()
        report.check(large)
        print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, rss())
    """)
    if not Path("/proc/self/statm").exists():
        pytest.skip("needs Linux's /proc to read the process size")
    result = subprocess.run([sys.executable, "-c", script, str(ROOT)], capture_output=True, text=True, timeout=300,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    before, peak, after = map(int, result.stdout.split())
    assert peak - before > 60, (before, peak, after)  # the check was large: it took memory
    assert after - before < 30, (before, peak, after)  # and gave it back (without malloc_trim: ~90 MB kept)
