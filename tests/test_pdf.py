"""PDF through warm LibreOffice, page previews, and what happens without LibreOffice."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import zipfile

import pytest
from click.testing import CliRunner

from doctpl import pdf, preview
from doctpl.cli import main
from doctpl.kind import EXAMPLES_DIR, kinds
from doctpl.render import render
from tests.conftest import csrf_token, example, signed_in
from tests.test_batch import finished_job

HAVE_PDF = pdf.available() and preview.images_available()
if os.environ.get("CI") and not HAVE_PDF:
    raise RuntimeError("CI must run the PDF tests: .ci/run installs LibreOffice, python3-uno and poppler-utils")
needs_pdf = pytest.mark.skipif(not HAVE_PDF, reason="LibreOffice (python3-uno) or pdftoppm is not installed")


def poppler(tool: str, content: bytes, *args: str) -> str:
    """Run a poppler tool on PDF bytes and return its output."""
    return subprocess.run([tool, *args, "-", *(["-"] if tool == "pdftotext" else [])], input=content,
                          capture_output=True, check=True).stdout.decode()


def pdf_text(content: bytes) -> str:
    return poppler("pdftotext", content, "-layout")


def pdf_info(content: bytes) -> str:
    return poppler("pdfinfo", content)


@needs_pdf
@pytest.mark.parametrize("kind_id", [kind.id for kind in kinds()])
def test_every_kind_converts_to_an_a4_pdf_in_liberation_serif(kind_id):
    document = render(kind_id, example(kind_id))
    content = pdf.to_pdf(document.content)
    assert content.startswith(b"%PDF")
    assert "A4" in pdf_info(content)
    text = pdf_text(content)
    national = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert national or "ĐẢNG CỘNG SẢN VIỆT NAM" in text  # the first examples are the Party khối's
    fonts = poppler("pdffonts", content)
    assert "LiberationSerif" in fonts  # metric-compatible with Times New Roman


@needs_pdf
@pytest.mark.parametrize("name", ["giao_uoc.json", "giao_uoc_cum_phuong.json"])
def test_a_giao_uoc_s_noi_nhan_never_stands_alone_on_its_last_page(name):
    """Laid out by LibreOffice, both examples would leave Nơi nhận alone on the last page after the grid's tables."""
    data = example("giao_uoc", name)
    content = pdf.to_pdf(render("giao_uoc", data).content)
    pages = pdf_text(content).split("\f")
    last = next(page for page in reversed(pages) if page.strip())
    assert "Nơi nhận:" in last
    assert any(unit["ho_ten"] in last for unit in data["don_vi_ky"])  # with the last row of signatures


@needs_pdf
def test_pdf_from_every_face(client, tmp_path):
    response = client.post("/api/v1/render/ke_hoach?format=pdf", json=example("ke_hoach"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert 'filename="Ke-hoach-thi-dua-nam-2021.pdf"' in response.headers["Content-Disposition"]
    assert "Kế hoạch thi đua năm 2021.pdf" not in response.headers["Content-Disposition"]  # UTF-8 name is encoded
    out = tmp_path / "kh.pdf"
    result = CliRunner().invoke(main, ["render", "ke_hoach", str(EXAMPLES_DIR / "ke_hoach.json"), "--pdf",
                                       "-o", str(out)])
    assert result.exit_code == 0 and out.read_bytes().startswith(b"%PDF")
    assert "Nguyễn Quang Hải" in pdf_text(out.read_bytes())
    started = client.post("/api/v1/batch", json={"kind": "dang_ky", "rows": [example("dang_ky")], "pdf": True})
    names = zipfile.ZipFile(io.BytesIO(client.get(finished_job(client, started)["result_url"]).data)).namelist()
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["docx", "pdf"]


@needs_pdf
def test_record_downloads_as_pdf(demo_app):
    client = signed_in(demo_app)
    response = client.get("/van-ban/1/tai-ve?format=pdf")
    assert response.mimetype == "application/pdf" and "T/M KHỐI THI ĐUA SỐ 1" in pdf_text(response.data)


@needs_pdf
def test_a_hung_converter_is_killed_and_started_again():
    pool = pdf.Pool(size=1, timeout=8)
    docx = render("ke_hoach", example("ke_hoach")).content
    try:
        assert pool.convert(docx).startswith(b"%PDF")
        converter = pool.converters[0]
        os.kill(converter.process.pid, signal.SIGSTOP)  # the converter hangs
        hung = converter.process.pid
        assert pool.convert(docx).startswith(b"%PDF")
        assert converter.process.pid != hung
    finally:
        pool.close()


@needs_pdf
def test_preview_shows_page_images(client):
    page = client.get("/ke_hoach").get_data(as_text=True)
    import lxml.html

    values = dict(lxml.html.fromstring(page).get_element_by_id("doc-form").form_values())
    response = client.post("/ke_hoach/xem-truoc", data=values)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and fragment.count('<img class="page"') == 7
    assert csrf_token(page)


def test_without_libreoffice_pdf_explains_and_docx_still_works(client, monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    with pytest.raises(pdf.PdfUnavailable) as caught:
        pdf.to_pdf(b"")
    assert "apt-get install -y libreoffice-writer-nogui fonts-liberation python3-uno" in str(caught.value)
    response = client.post("/api/v1/render/ke_hoach?format=pdf", json=example("ke_hoach"))
    assert response.status_code == 503 and "chưa cài LibreOffice" in response.get_json()["errors"][0]["message"]
    assert client.post("/api/v1/render/ke_hoach", json=example("ke_hoach")).status_code == 200
    result = CliRunner().invoke(main, ["render", "ke_hoach", str(EXAMPLES_DIR / "ke_hoach.json"), "--pdf", "-o",
                                       "/tmp/doctpl-nopdf.pdf"])
    assert result.exit_code == 2 and "chưa cài LibreOffice" in result.output


def test_preview_falls_back_to_html_without_libreoffice(client, monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    page = client.get("/ke_hoach").get_data(as_text=True)
    import lxml.html

    values = dict(lxml.html.fromstring(page).get_element_by_id("doc-form").form_values())
    fragment = client.post("/ke_hoach/xem-truoc", data=values).get_data(as_text=True)
    assert 'class="page-html"' in fragment and "KẾ HOẠCH" in fragment and "Bản xem trước dạng HTML" in fragment
    assert "xt-b" in fragment and "xt-justify" in fragment and "style=" not in fragment  # the CSP forbids inline
    values["co_quan.ten"] = ""
    invalid = client.post("/ke_hoach/xem-truoc", data=values)
    assert invalid.status_code == 422 and "Vui lòng nhập «Tên cơ quan" in invalid.get_data(as_text=True)


def test_the_html_preview_spreads_a_merged_row_over_its_table():
    fragment = preview.html_preview(render("giao_uoc", example("giao_uoc", "giao_uoc_cum_phuong.json")).content)
    merged = re.search(r'<tr><td colspan="(\d)">(.*?)</td></tr>', fragment)
    assert merged and int(merged.group(1)) == 3 and "Nơi nhận:" in merged.group(2)  # under a centred last unit
