"""Regenerate the README pictures: python tools/screenshots.py (needs chromium, soffice, pdftoppm).

docs/form.png is the Kế hoạch form in Chromium; docs/ke-hoach-trang-1.png is page 1 of the
document rendered from examples/ke_hoach.json, converted by LibreOffice; docs/nam-sau.png is the
roll-over review of the demo khối's 2026 plan into 2027, in December, before a trưởng khối is named.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from sqlalchemy import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from doctpl.kind import get_kind  # noqa: E402
from doctpl.render import render  # noqa: E402
from doctpl.store import records, users  # noqa: E402
from doctpl.store.models import Khoi  # noqa: E402

DOCS = ROOT / "docs"
PASSWORD = "anh-chup-man-hinh-2026"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def _signed_in_page(playwright, app, path: str, height: int = 860):  # type: ignore[no-untyped-def]
    """Serve `app`, sign in as a clerk and open `path`; return the browser, the page and the server."""
    with app.extensions["doctpl.store"].session() as session:
        khoi = session.scalar(select(Khoi).where(Khoi.ma == "KTD-CQD-LD"))  # the demo khối's secretariat
        users.create(session, {"ten_dang_nhap": "vanthu", "ho_ten": "Thư ký Khối", "mat_khau": PASSWORD},
                     role="thu_ky", khoi_id=khoi.id)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": height}, locale="vi-VN")
    page.goto(f"http://127.0.0.1:{httpd.server_port}/dang-nhap")
    page.fill("#f-login", "vanthu")
    page.fill("#f-password", PASSWORD)
    page.click("form.narrow button[type=submit]")
    page.goto(f"http://127.0.0.1:{httpd.server_port}{path}")
    return browser, page, httpd


def form_shot() -> None:
    """Screenshot the top of the prefilled form, signed in as a clerk of a throw-away database."""
    app = create_app({"DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/anh.sqlite3", "SECRET_KEY": "screenshots"})
    with sync_playwright() as playwright:
        browser, page, httpd = _signed_in_page(playwright, app, "/ke_hoach")
        page.screenshot(path=str(DOCS / "form.png"))
        browser.close()
    httpd.shutdown()


def rollover_shot() -> None:
    """Screenshot the review of rolling the demo khối's 2026 plan into 2027."""
    app = create_app({"DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/anh.sqlite3", "SECRET_KEY": "screenshots"})
    with app.extensions["doctpl.store"].session() as session:
        khoi = session.scalar(select(Khoi).where(Khoi.ma == "KTD-CQD-LD"))
        plan = records.find(session, khoi_id=khoi.id, kind="ke_hoach", nam=2026)[0]
    with sync_playwright() as playwright:
        browser, page, httpd = _signed_in_page(playwright, app, f"/van-ban/{plan.id}/nam-sau?nam=2027", 1100)
        page.screenshot(path=str(DOCS / "nam-sau.png"))
        browser.close()
    httpd.shutdown()


def page_shot() -> None:
    """Render the seed plan, convert it to PDF and keep page 1 as PNG."""
    document = render("ke_hoach", get_kind("ke_hoach").example())
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "ke_hoach.docx"
        source.write_bytes(document.content)
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(source)],
                       check=True, capture_output=True, timeout=180)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(Path(tmp) / "ke_hoach.pdf"), str(DOCS / "ke-hoach-trang-1")], check=True)


if __name__ == "__main__":
    DOCS.mkdir(exist_ok=True)
    form_shot()
    rollover_shot()
    page_shot()
