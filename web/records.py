"""Saved documents: list, versions, download again, and «Dùng lại cho năm sau» with a diff first."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, redirect, render_template, request, url_for
from markupsafe import escape

from doctpl.check import report
from doctpl.check.reader import Reader
from doctpl.errors import BadInput, DoctplError, NotFound
from doctpl.kind import get_kind, kinds
from doctpl.render import render_data
from doctpl.review import stale_facts
from doctpl.rollover import Rolled
from doctpl.store import audit, carry, issued, records, registry
from doctpl.store import scope as scopes
from doctpl.store.models import VanBan
from doctpl.vn.text import ascii_slug
from web import overview
from web.context import db, int_arg, page_url, scope, who, whole
from web.download import send_document

bp = Blueprint("records", __name__, url_prefix="/van-ban")


@bp.get("/")
def index() -> str:
    """List saved documents, 50 a page, newest first: filtered by khối, unit, year and kind and searched (?q=) in
    the database, within the account's reach; the filters and the page (?trang=) stay in the URL."""
    filters = {"khoi_id": int_arg("khoi"), "don_vi_id": int_arg("don_vi"), "nam": int_arg("nam"),
               "kind": request.args.get("loai") or None}
    deleted = bool(request.args.get("da_xoa"))
    query = " ".join((request.args.get("q") or "").split())[:200]
    account = scope()
    with db() as session:
        reach = scopes.units(session, account)
        found = records.page(session, **filters, deleted=deleted, q=query, units=reach,
                             own_khoi=account.khoi_id if account.role == "thu_ky" else None, number=int_arg("trang"))
        khoi_list = [k for k in registry.khoi_list(session) if scopes.allows_khoi(account, k.id)]
        units = records.body_names(session, dt.date.today(), reach)
        return render_template("records.html", page=found, records=found.rows, filters=filters, q=query,
                               khoi_list=khoi_list, units=units, khoi_names={k.id: k.ten for k in khoi_list},
                               deleted=deleted, just_deleted=_just_deleted(session), page_url=page_url,
                               years=records.years(session), kinds=kinds(), kind_of=get_kind)


def _just_deleted(session: Any) -> bool:
    """Tell whether ?xoa= names a record of the account's reach that is in the bin (the notice after «Xóa»)."""
    record_id = int_arg("xoa")
    if record_id is None:
        return False
    try:
        return scopes.record(session, scope(), record_id, deleted=True).xoa_luc is not None
    except NotFound:
        return False


@bp.get("/<int:record_id>")
def show(record_id: int) -> tuple[str, int]:
    """Show a record, its versions, its NĐ 30 check, the facts to review, its issued files, what can be done (a bảng
    điểm: each unit's self-score sheet); ?moi=1 downloads, ?ban_hanh=1 says the issued file was stored."""
    with db() as session:
        return _record_page(session, record_id, uploaded=bool(request.args.get("ban_hanh")),
                            removed=request.args.get("go", "")[:200])


def _record_page(session: Any, record_id: int, status: int = 200, **extra: Any) -> tuple[str, int]:
    """Render the record page (with `extra`: the upload's outcome) for a record in reach."""
    record = scopes.record(session, scope(), record_id)
    unit = registry.body_on(session, record.don_vi_id, record.ngay or dt.date(record.nam, 1, 1)) \
        if record.don_vi_id else None
    kind = get_kind(record.kind)
    to_fill = records.to_fill(session, record_id)
    findings = [] if to_fill else report.check(render_data(kind, kind.validate(records.data(session, record_id)))
                                             .content)
    on = record.ngay or dt.date(record.nam, 1, 1)
    review = stale_facts(kind, records.data(session, record_id), on, registry.stale_names(session, on))
    return render_template("record.html", record=record, kind=kind, unit=unit, findings=findings, review=review,
                           rolled_review=carry.review_of(record), issued_files=issued.files(session, record_id),
                           may_remove=lambda row: issued.may_remove(row, who=who(), scope=scope()),
                           score_units=overview.score_units(session, record_id), **extra,
                           to_fill=to_fill, just_saved=bool(request.args.get("moi")) and not to_fill), status


@bp.post("/<int:record_id>/ban-hanh")
def upload_issued(record_id: int) -> Response | tuple[str, int]:
    """Store the issued file of a record (field «tep»: the signed scan or the digitally signed PDF, or a .docx)."""
    upload = request.files.get("tep")
    try:
        with db() as session:
            record = scopes.record(session, scope(), record_id)
            if upload is None or not upload.filename:
                raise BadInput("Vui lòng chọn tệp bản đã ban hành (.pdf hoặc .docx).")
            issued.add(session, record, upload.read(), upload.filename, who=who())
    except NotFound:
        raise
    except DoctplError as error:  # not a PDF or .docx (400), over a limit (413), a draft (400)
        with db() as session:
            return _record_page(session, record_id, error.status, upload_error=str(error))
    return redirect(url_for("records.show", record_id=record_id, ban_hanh=1, _anchor="ban-hanh"), 303)


@bp.post("/<int:record_id>/ban-hanh/<int:file_id>/go")
def remove_issued(record_id: int, file_id: int) -> Response | tuple[str, int]:
    """Take off an issued file uploaded by mistake (field «ly_do»: why), by its uploader or an admin."""
    try:
        with db() as session:
            record = scopes.record(session, scope(), record_id)
            removed = issued.remove(session, record, file_id, who=who(), scope=scope(),
                                    reason=request.form.get("ly_do", ""))
            name = removed.ten_tep
    except NotFound:
        raise
    except DoctplError as error:  # no reason, or not the uploader: the page again, the reason typed kept
        with db() as session:
            return _record_page(session, record_id, error.status, remove_error=str(error), remove_file=file_id,
                                remove_reason=request.form.get("ly_do", ""))
    return redirect(url_for("records.show", record_id=record_id, go=name, _anchor="ban-hanh"), 303)


@bp.get("/<int:record_id>/ban-hanh/<int:file_id>")
def download_issued(record_id: int, file_id: int) -> Response:
    """Download an issued file of a record, as it was uploaded."""
    with db() as session:
        record = scopes.record(session, scope(), record_id)
        row = issued.get(session, record_id, file_id)
        audit.log(session, who(), "tai_ve", kind=record.kind, van_ban_id=record_id,
                  chi_tiet=f"Bản ban hành {row.ten_tep} (sha256 {row.ma_bam[:16]})")
        response = Response(row.noi_dung, mimetype=issued.MIME[row.loai])
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{ascii_slug(row.ten_tep.rsplit(".", 1)[0]) or "ban-hanh"}.{row.loai}"; '
            f"filename*=UTF-8''{quote(row.ten_tep, safe='')}")
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:record_id>/tai-ve")
def download(record_id: int) -> Response:
    """Download a version again (the latest unless ?phien_ban=)."""
    with db() as session:
        scopes.record(session, scope(), record_id)
        document = records.render_record(session, record_id, int_arg("phien_ban"), who=who())
    return send_document(document)


def document_lines(kind_id: str, data: dict) -> list[str]:
    """Return the rendered document's paragraphs, for the side-by-side comparison.

    A rolled document may still lack what the clerk must enter (the year's theme): it is shown as far as it goes.
    """
    kind = get_kind(kind_id)
    return [p.text for p in Reader(render_data(kind, kind.draft(data)[0]).content).paragraphs() if p.text.strip()]


def comparison(record: VanBan, old: dict, rolled: Rolled) -> str:
    """Return an HTML side-by-side comparison of the old document and the rolled one.

    Only the changed paragraphs and one paragraph around them are shown; within a changed
    paragraph the changed words are marked. Cells wrap between words, never inside one.
    """
    before, after = document_lines(record.kind, old), document_lines(record.kind, rolled.data)
    rows = []
    for group in difflib.SequenceMatcher(None, before, after, autojunk=False).get_grouped_opcodes(1):
        if rows:
            rows.append('<tr><td class="diff_next" colspan="4">…</td></tr>')
        for tag, i1, i2, j1, j2 in group:
            for k in range(max(i2 - i1, j2 - j1)):
                left = (i1 + k + 1, before[i1 + k]) if i1 + k < i2 else None
                right = (j1 + k + 1, after[j1 + k]) if j1 + k < j2 else None
                rows.append(_row(tag, left, right))
    return ('<table class="diff"><colgroup><col class="num"><col class="side"><col class="num"><col class="side">'
            '</colgroup>'
            f'<thead><tr><th colspan="2">Năm {rolled.from_year}</th><th colspan="2">Năm {rolled.to_year}</th></tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table>')


def _row(tag: str, left: tuple[int, str] | None, right: tuple[int, str] | None) -> str:
    """Return one table row: a paragraph (its number and text) of each side, either may be missing."""
    if tag == "replace" and left and right:
        texts = _changed_words(left[1], right[1])
    else:
        texts = tuple(_cell(side[1] if side else "", css if tag != "equal" else "")
                      for side, css in ((left, "diff_sub"), (right, "diff_add")))
    return "<tr>" + "".join(f'<td class="diff_header">{side[0] if side else ""}</td><td>{text}</td>'
                            for side, text in zip((left, right), texts, strict=True)) + "</tr>"


def _cell(text: str, css: str) -> str:
    """Return a paragraph as cell content, wholly marked with `css` when given."""
    return f'<span class="{css}">{escape(text)}</span>' if css and text else str(escape(text))


def _changed_words(before: str, after: str) -> tuple[str, str]:
    """Return two changed paragraphs as cell contents, the words that differ marked, whole words only."""
    old, new = re.findall(r"\S+|\s+", before), re.findall(r"\S+|\s+", after)
    left, right = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        for side, words in ((left, old[i1:i2]), (right, new[j1:j2])):
            text = escape("".join(words))
            side.append(str(text) if tag == "equal" or not words else f'<span class="diff_chg">{text}</span>')
    return "".join(left), "".join(right)


def _year(value: str | None, from_year: int) -> int:
    """Return the year to roll into: the one asked for, else the next; a year not after the record's is refused."""
    if not (value or "").strip():
        return from_year + 1
    year = whole(value)
    if year is None or not from_year < year <= 2200:
        raise BadInput(f"Năm dùng lại phải sau năm {from_year} và không quá 2200.")
    return year


@bp.get("/<int:record_id>/nam-sau")
def rollover_preview(record_id: int) -> str:
    """Show what «Dùng lại cho năm sau» will change, before anything is saved."""
    with db() as session:
        record = scopes.record(session, scope(), record_id)
        to_year = _year(request.args.get("nam"), record.nam)
        step = carry.plan(session, record_id, to_year)
        diff = comparison(record, records.data(session, record_id), step.rolled) if step.rolled and not \
            step.existing else ""
        return render_template("rollover.html", record=record, step=step, rolled=step.rolled, diff=diff,
                               to_year=to_year, kind=get_kind(record.kind))


@bp.post("/<int:record_id>/nam-sau")
def rollover_apply(record_id: int) -> Response:
    """Save the rolled document as a new record (once: a second post opens the one made) and open it in the form."""
    with db() as session:
        record = scopes.record(session, scope(), record_id)
        to_year = _year(request.form.get("nam"), record.nam)
        step = carry.apply(session, carry.plan(session, record_id, to_year), to_year, who=who())
        if step.problem:
            raise BadInput(step.problem)
        new = step.created or step.existing
        target = url_for("pages.form", kind_id=new.kind, ban=new.id)
    return redirect(target, 303)


@bp.post("/<int:record_id>/xoa")
def delete(record_id: int) -> Response:
    """Move a record to «Văn bản đã xóa»; it can be restored from there."""
    with db() as session:
        scopes.record(session, scope(), record_id)
        record = records.delete(session, record_id, who=who())
        target = url_for("records.index", khoi=record.khoi_id, nam=record.nam, xoa=record.id)
    return redirect(target, 303)


@bp.post("/<int:record_id>/khoi-phuc")
def restore(record_id: int) -> Response:
    """Bring a deleted record back."""
    with db() as session:
        scopes.record(session, scope(), record_id, deleted=True)
        records.restore(session, record_id, who=who())
    return redirect(url_for("records.show", record_id=record_id), 303)
