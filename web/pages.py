"""HTML pages: the list of kinds, each kind's form (GET prefilled, POST downloads the .docx)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from doctpl import facts, fields
from doctpl.errors import FieldError, ValidationError
from doctpl.kind import Kind, get_kind, kinds
from doctpl.render import render
from doctpl.vn.canchi import can_chi
from web.download import send_document

bp = Blueprint("pages", __name__)
BLANK = "trong"  # ?mau=trong opens an empty form
CONFIRM = "_xac_nhan"  # posted by "Vẫn tạo văn bản" after the clerk has read the warnings


@bp.get("/")
def index() -> str:
    """List the document kinds."""
    return render_template("index.html", kinds=kinds())


def posted_data() -> dict[str, Any]:
    """Return the posted form as nested data; field names are dotted paths."""
    flat = {key: value for key, value in request.form.items() if key != "csrf_token" and not key.startswith("_")}
    return fields.unflatten(flat)


def show_form(kind: Kind, raw: dict[str, Any], errors: list[FieldError], status: int = 200,
              notice: str = "", warnings: tuple[FieldError, ...] = ()) -> tuple[str, int]:
    """Render the form with the clerk's values and each error beside its field."""
    by_path: dict[str, list[str]] = {}
    for error in errors:
        by_path.setdefault(error.field, []).append(error.message)
    year = raw.get("nam") if isinstance(raw.get("nam"), int) else None
    if year is None and str(raw.get("nam", "")).isdigit():
        year = int(raw["nam"])
    return render_template(
        "form.html", kind=kind, raw=raw, errors=errors, by_path=by_path, notice=notice, warnings=warnings,
        templates=[(path, f) for path, f in fields.walk(kind.fields) if isinstance(f, fields.Repeat)],
        events=facts.anniversaries().values(), year=year, can_chi=can_chi(year) if year else "",
    ), status


@bp.get("/<kind_id>")
def form(kind_id: str) -> tuple[str, int]:
    """Show the form, prefilled from an example (the first unless ?mau= names another or "trong")."""
    kind = get_kind(kind_id)
    example = request.args.get("mau")
    if example == BLANK:
        return show_form(kind, {}, [])
    if example and example not in kind.examples:
        abort(404)
    return show_form(kind, kind.example(example), [])


@bp.post("/<kind_id>")
def submit(kind_id: str) -> Response | tuple[str, int]:
    """Validate and download the .docx, or show the form again with the errors and the input kept."""
    kind = get_kind(kind_id)
    raw = posted_data()
    try:
        document = render(kind.id, raw)
    except ValidationError as error:
        return show_form(kind, raw, error.errors(), 422)
    if document.warnings and not request.form.get(CONFIRM):
        return show_form(kind, raw, [], warnings=document.warnings)
    return send_document(document)


def resubmit_after_csrf() -> tuple[str, int]:
    """Show the posted form again with a fresh token when the old one was missing or stale."""
    kind_id = (request.view_args or {}).get("kind_id", "")
    if request.method != "POST" or request.blueprint != "pages" or not kind_id:
        return render_template("error.html", status=400, errors=[FieldError(
            "", "Phiên làm việc đã hết hạn. Vui lòng tải lại trang.")]), 400
    return show_form(get_kind(kind_id), posted_data(), [], 400, notice=(
        "Phiên làm việc đã hết hạn nên văn bản chưa được tạo. Dữ liệu bạn nhập vẫn còn nguyên; "
        "hãy bấm «Tạo văn bản» một lần nữa."))


@bp.app_template_global()
def ftype(f: fields.Field) -> str:
    """Return the widget family of a field: text, date, integer, choice, group or repeat."""
    return type(f).__name__.lower()


@bp.app_template_global()
def fid(path: str) -> str:
    """Return the HTML id of the field at a dotted path (the target of error links)."""
    return "f-" + path.replace(".", "-") if path else "doc-form"


@bp.app_template_global()
def tid(schema_path: str) -> str:
    """Return the id of the <template> that adds an item to the repeat at a schema path."""
    return "tpl-" + schema_path.replace(".", "-").replace("*", "x")


bp.add_app_template_global(fields.join, "join")
