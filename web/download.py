"""The .docx download response shared by the pages and the API."""

from __future__ import annotations

import json
from urllib.parse import quote

from flask import Response

from doctpl.render import DOCX_MIME, Rendered


def send_document(document: Rendered) -> Response:
    """Return the document as an attachment: ASCII name plus the UTF-8 name in filename* (RFC 6266)."""
    response = Response(document.content, mimetype=DOCX_MIME)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{document.ascii_filename}"; '
        f"filename*=UTF-8''{quote(document.filename, safe='')}"
    )
    response.headers["Cache-Control"] = "no-store"
    if document.warnings:
        # ASCII JSON (\uXXXX escapes) keeps the header valid; clients decode it as JSON.
        response.headers["X-Doctpl-Warnings"] = json.dumps(
            [{"field": w.field, "message": w.message} for w in document.warnings])
    return response
