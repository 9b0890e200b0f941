"""The .docx download response shared by the pages and the API."""

from __future__ import annotations

import json
from urllib.parse import quote

from flask import Response, request

from doctpl import pdf
from doctpl.render import DOCX_MIME, Rendered
from doctpl.vn.text import ascii_slug
from web import batches


def send_document(document: Rendered, as_pdf: bool | None = None) -> Response:
    """Return the document as an attachment, .docx or (with ?format=pdf) PDF.

    The name is ASCII in filename and UTF-8 in filename* (RFC 6266).
    """
    if as_pdf is None:
        as_pdf = request.args.get("format") == "pdf"
    suffix = ".pdf" if as_pdf else ".docx"
    response = Response(batches.pdf_of(document.content) if as_pdf else document.content,
                        mimetype=pdf.PDF_MIME if as_pdf else DOCX_MIME)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{ascii_slug(document.title)}{suffix}"; '
        f"filename*=UTF-8''{quote(document.title + suffix, safe='')}"
    )
    response.headers["Cache-Control"] = "no-store"
    if document.warnings:
        # ASCII JSON (\uXXXX escapes) keeps the header valid; clients decode it as JSON.
        response.headers["X-Doctpl-Warnings"] = json.dumps(
            [{"field": w.field, "message": w.message} for w in document.warnings])
    return response
