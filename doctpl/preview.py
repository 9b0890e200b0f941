"""Preview of a document as it stands: page images through PDF, or an HTML rendering without LibreOffice."""

from __future__ import annotations

import base64
import html
import shutil
import subprocess
import tempfile
from pathlib import Path

from doctpl import pdf
from doctpl.check.reader import Para, Reader

MAX_PAGES = 12


def images_available() -> bool:
    """Tell whether page images can be made (LibreOffice for the PDF, pdftoppm for the pictures)."""
    return pdf.available() and shutil.which("pdftoppm") is not None


def page_images(docx: bytes, dpi: int = 60) -> list[bytes]:
    """Return PNG images of the document's pages (at most MAX_PAGES)."""
    document = pdf.to_pdf(docx)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "van-ban.pdf"
        source.write_bytes(document)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-l", str(MAX_PAGES), str(source),
                        str(Path(folder) / "trang")], check=True, capture_output=True, timeout=120)
        return [path.read_bytes() for path in sorted(Path(folder).glob("trang-*.png"))]


def _paragraph(para: Para) -> str:
    """Return one paragraph as HTML with classes only (the pages' CSP forbids inline styles): xt-* in app.css."""
    align = {"both": "justify", "center": "center", "right": "right"}.get(para.align or "", "left")
    runs = []
    for run in para.runs:
        if not run.text:
            continue
        size = min(max(round(run.size or 14), 8), 20)
        classes = " ".join([f"xt-{size}", *(["xt-b"] if run.bold else []), *(["xt-i"] if run.italic else [])])
        runs.append(f'<span class="{classes}">{html.escape(run.text)}</span>')
    classes = [f"xt-{align}", *(["xt-indent"] if para.first_line else []),
               *(["xt-rule"] if para.bottom_border and not runs else [])]
    return f'<p class="xt {" ".join(classes)}">{"".join(runs) or "&nbsp;"}</p>'


def html_preview(docx: bytes) -> str:
    """Return an HTML approximation of the document: paragraphs with alignment and emphasis, tables as grids."""
    out: list[str] = []
    table: dict[tuple[int, int], list[str]] = {}
    current = None
    for para in Reader(docx).paragraphs():
        where = para.where.split()
        name = " ".join(where[:2]) if where[0] == "table" else None
        if current and name != current:
            out.append(_table(table))
            table = {}
        current = name
        if name:
            table.setdefault((int(where[3]), int(where[5])), []).append(_paragraph(para))
        else:
            out.append(_paragraph(para))
    if table:
        out.append(_table(table))
    return '<div class="page-html">' + "".join(out) + "</div>"


def _table(cells: dict[tuple[int, int], list[str]]) -> str:
    rows = sorted({row for row, _ in cells})
    columns = sorted({column for _, column in cells})

    def row_html(r: int) -> str:
        own = [c for c in columns if (r, c) in cells]
        if own == [columns[0]] and len(columns) > 1:  # one cell over the row (merged): a giao ước's Nơi nhận
            return f'<tr><td colspan="{len(columns)}">{"".join(cells[(r, columns[0])])}</td></tr>'
        return "<tr>" + "".join(f'<td>{"".join(cells.get((r, c), []))}</td>' for c in columns) + "</tr>"

    return f'<table class="preview-table">{"".join(row_html(r) for r in rows)}</table>'


def images_html(images: list[bytes]) -> str:
    """Return the page images as inline <img> tags."""
    return "".join(f'<img class="page" alt="Trang {i}" src="data:image/png;base64,{base64.b64encode(img).decode()}">'
                   for i, img in enumerate(images, 1))
