"""JSON API, /api/v1: kinds, their schemas, rendering, roll-over, checking, importing a Word file, the legal bases.

Errors: {"errors": [{"field", "message"}]}.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from flask import Blueprint, Response, jsonify, request, url_for

from doctpl import facts
from doctpl.check import report
from doctpl.errors import BadInput
from doctpl.importer import import_docx
from doctpl.kind import get_kind, kinds
from doctpl.render import render
from doctpl.rollover import roll
from doctpl.schema import json_schema
from doctpl.store import registry, self_score
from doctpl.vn.dates import parse_date
from web.context import db, scope, who, whole
from web.download import send_document
from web.overview import xlsx_response

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/kinds")
def list_kinds() -> Response:
    """List the document kinds."""
    return jsonify({"kinds": [
        {"id": kind.id, "title": kind.title, "description": kind.description,
         "schema": url_for("api.schema", kind_id=kind.id), "render": url_for("api.render_kind", kind_id=kind.id)}
        for kind in kinds()
    ]})


@bp.get("/kinds/<kind_id>/schema")
def schema(kind_id: str) -> Response:
    """Return the JSON Schema of a kind's data."""
    return jsonify(json_schema(get_kind(kind_id)))


@bp.get("/kinds/<kind_id>/example")
def example(kind_id: str) -> Response:
    """Return the kind's example data, a starting point for API clients."""
    return jsonify(get_kind(kind_id).example())


def json_body() -> dict:
    """Return the request's JSON object or raise BadInput."""
    data = request.get_json(silent=True)
    if data is None:
        raise BadInput("Nội dung yêu cầu không phải JSON hợp lệ (cần Content-Type: application/json).")
    if not isinstance(data, dict):
        raise BadInput("Dữ liệu JSON phải là một đối tượng { … }.")
    return data


@bp.post("/render/<kind_id>")
def render_kind(kind_id: str) -> Response:
    """Render a JSON body into a .docx; warnings travel in the X-Doctpl-Warnings header."""
    get_kind(kind_id)  # an unknown kind is a 404 before the body is looked at
    return send_document(render(kind_id, json_body()))


@bp.post("/validate/<kind_id>")
def validate(kind_id: str) -> Response:
    """Check a JSON body without rendering: 200 with the warnings, or 422 with the errors."""
    kind = get_kind(kind_id)
    data = kind.validate(json_body())
    return jsonify({"ok": True, "warnings": [{"field": w.field, "message": w.message} for w in kind.warnings(data)]})


@bp.post("/rollover/<kind_id>")
def rollover(kind_id: str) -> Response:
    """Roll a JSON body into ?to_year=: the new data, what to re-enter, and everything to review, in words."""
    kind = get_kind(kind_id)
    year = whole(request.args.get("to_year"))
    if year is None or not 1945 <= year <= 2200:
        raise BadInput("Tham số to_year phải là năm từ 1945 đến 2200.")
    data = json_body()
    kind.validate(data)
    with db() as session:  # bodies of the registry that no longer exist in the new year are flagged too
        names = registry.stale_names(session, dt.date(year, 1, 1))
    rolled = roll(kind, data, year, names=names)
    return jsonify({
        "data": rolled.data, "from_year": rolled.from_year, "to_year": rolled.to_year,
        "flags": [{"field": f.field, "message": f.message} for f in rolled.flags],
        "review": [asdict(item) for item in rolled.review()],
    })


@bp.get("/can-cu")
def legal_bases() -> Response:
    """List the legal bases in force on ?ngay= (today when absent), to cite as căn cứ."""
    try:
        on = parse_date(request.args["ngay"]) if request.args.get("ngay") else dt.date.today()
    except ValueError as exc:
        raise BadInput("Tham số ngay phải là ngày, ví dụ 2026-01-15 hoặc 15/01/2026.") from exc
    return jsonify({"ngay": on.isoformat(), "can_cu": [
        {"ma": b.ma, "so_hieu": b.so_hieu, "trich_dan": b.trich_dan, "hieu_luc_tu": b.hieu_luc_tu.isoformat(),
         "het_hieu_luc": b.het_hieu_luc.isoformat() if b.het_hieu_luc else None, "da_xac_minh": b.verified}
        for b in facts.legal_bases(on)]})


@bp.post("/check")
def check() -> Response:
    """Check an uploaded .docx (multipart field "file"; "the_thuc": nha_nuoc, dang or blank to recognise it).

    Answers {"the_thuc": {...}, "findings": [...], "error_count": n}. A file over the limits answers 413, one
    that cannot be read 400, an unknown thể thức 422, each with the reason in Vietnamese.
    """
    upload = request.files.get("file")
    if upload is None:
        raise BadInput("Cần tải lên một tệp .docx ở trường «file».")
    checked = report.check(upload.read(), upload.filename or "tệp tải lên", request.form.get("the_thuc"))
    return jsonify(checked.as_json())


@bp.post("/import/<kind_id>")
def import_kind(kind_id: str) -> Response:
    """Read an uploaded .docx typed by hand (multipart field "file") into the kind's data.

    Answers {"data": {...}, "chua_xep": [{"doan", "noi", "van_ban"}], "errors": [{"field", "message"}]}: the data,
    every paragraph not placed and what the data still lacks. An unknown kind answers 404, a file over the limits
    413, one that cannot be read 400, each with the reason in Vietnamese.
    """
    get_kind(kind_id)  # an unknown kind is a 404 before the upload is read
    upload = request.files.get("file")
    if upload is None:
        raise BadInput("Cần tải lên một tệp .docx ở trường «file».")
    return jsonify(import_docx(kind_id, upload.read(), upload.filename or "tệp tải lên").as_json())


@bp.get("/van-ban/<int:record_id>/diem/<int:don_vi_id>.xlsx")
def score_template(record_id: int, don_vi_id: int) -> Response:
    """Return a unit's self-score sheet of a bảng điểm record, its scores so far filled in (the unit is a registry id).

    The khối's secretariat and an admin reach every member unit's sheet, a unit's văn thư its own; else 404.
    """
    with db() as session:
        chosen = self_score.sheet(session, scope(), record_id, don_vi_id)
        content = self_score.template(session, chosen, who=who())
    return xlsx_response(content, chosen.filename)


@bp.post("/van-ban/<int:record_id>/diem/<int:don_vi_id>")
def score_upload(record_id: int, don_vi_id: int) -> Response:
    """Read a filled self-score sheet (multipart field "file") into a new version of the bảng điểm record.

    Answers {"ban_luu", "phien_ban", "don_vi", "canh_bao": [{"field", "message"}]}; scores that are wrong 422 with
    {"errors": [{"field": "dòng 9, cột F", "message": …}]}, a file it cannot read 400, one over the limits 413.
    """
    upload = request.files.get("file")
    if upload is None:
        raise BadInput("Cần tải lên bảng tự chấm (.xlsx) đã điền ở trường «file».")
    with db() as session:
        chosen = self_score.sheet(session, scope(), record_id, don_vi_id)
        saved, warnings = self_score.upload(session, chosen, upload.read(), upload.filename or "tu-cham.xlsx",
                                            who=who())
        return jsonify({"ban_luu": saved.id, "phien_ban": saved.phien_ban, "don_vi": chosen.ten,
                        "canh_bao": [{"field": w.field, "message": w.message} for w in warnings]})
