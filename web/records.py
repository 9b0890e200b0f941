"""Saved documents: list, versions, download again, and «Dùng lại cho năm sau» with a diff first."""

from __future__ import annotations

import datetime as dt
import difflib

from flask import Blueprint, Response, redirect, render_template, request, url_for

from doctpl.check import nd30
from doctpl.check.reader import Reader
from doctpl.errors import BadInput
from doctpl.kind import get_kind, kinds
from doctpl.render import render_data
from doctpl.review import stale_facts
from doctpl.rollover import Rolled
from doctpl.store import carry, records, registry
from doctpl.store.models import VanBan
from web.context import db, int_arg, who
from web.download import send_document

bp = Blueprint("records", __name__, url_prefix="/van-ban")


@bp.get("/")
def index() -> str:
    """List saved documents by khối, unit, year and kind."""
    filters = {"khoi_id": int_arg("khoi"), "don_vi_id": int_arg("don_vi"), "nam": int_arg("nam"),
               "kind": request.args.get("loai") or None}
    deleted = bool(request.args.get("da_xoa"))
    with db() as session:
        found = records.find(session, **filters, deleted=deleted)
        khoi_list = registry.khoi_list(session)
        units = {u.id: u for u in registry.bodies(session)}
        return render_template("records.html", records=found, filters=filters, khoi_list=khoi_list, units=units,
                               khoi_names={k.id: k.ten for k in khoi_list}, deleted=deleted,
                               years=records.years(session), kinds=kinds(), kind_of=get_kind)


@bp.get("/<int:record_id>")
def show(record_id: int) -> str:
    """Show a record, its versions, its NĐ 30 check, the facts to review, what can be done; ?moi=1 downloads."""
    with db() as session:
        record = records.get(session, record_id)
        unit = registry.body_on(session, record.don_vi_id, record.ngay or dt.date(record.nam, 1, 1)) \
            if record.don_vi_id else None
        kind = get_kind(record.kind)
        to_fill = records.to_fill(session, record_id)
        findings = [] if to_fill else nd30.check(render_data(kind, kind.validate(records.data(session, record_id)))
                                                 .content)
        review = stale_facts(kind, records.data(session, record_id), record.ngay or dt.date(record.nam, 1, 1))
        return render_template("record.html", record=record, kind=kind, unit=unit, findings=findings, review=review,
                               to_fill=to_fill, just_saved=bool(request.args.get("moi")) and not to_fill)


@bp.get("/<int:record_id>/tai-ve")
def download(record_id: int) -> Response:
    """Download a version again (the latest unless ?phien_ban=)."""
    with db() as session:
        document = records.render_record(session, record_id, int_arg("phien_ban"), who=who())
    return send_document(document)


def document_lines(kind_id: str, data: dict) -> list[str]:
    """Return the rendered document's paragraphs, for the side-by-side comparison."""
    kind = get_kind(kind_id)
    return [p.text for p in Reader(render_data(kind, kind.validate(data)).content).paragraphs() if p.text.strip()]


def comparison(record: VanBan, old: dict, rolled: Rolled) -> str:
    """Return an HTML side-by-side diff of the old document and the rolled one."""
    table = difflib.HtmlDiff(wrapcolumn=60).make_table(
        document_lines(record.kind, old), document_lines(record.kind, rolled.data),
        f"Năm {rolled.from_year}", f"Năm {rolled.to_year}", context=True, numlines=1)
    return table


@bp.get("/<int:record_id>/nam-sau")
def rollover_preview(record_id: int) -> str:
    """Show what «Dùng lại cho năm sau» will change, before anything is saved."""
    with db() as session:
        record = records.get(session, record_id)
        to_year = int_arg("nam") or record.nam + 1
        step = carry.plan(session, record_id, to_year)
        diff = comparison(record, records.data(session, record_id), step.rolled) if step.rolled else ""
        return render_template("rollover.html", record=record, step=step, rolled=step.rolled, diff=diff,
                               to_year=to_year, kind=get_kind(record.kind))


@bp.post("/<int:record_id>/nam-sau")
def rollover_apply(record_id: int) -> Response:
    """Save the rolled document as a new record (once: a second post opens the one made) and open it in the form."""
    with db() as session:
        record = records.get(session, record_id)
        to_year = int(request.form.get("nam") or record.nam + 1)
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
        record = records.delete(session, record_id, who=who())
        target = url_for("records.index", khoi=record.khoi_id, nam=record.nam, xoa=record.id)
    return redirect(target, 303)


@bp.post("/<int:record_id>/khoi-phuc")
def restore(record_id: int) -> Response:
    """Bring a deleted record back."""
    with db() as session:
        records.restore(session, record_id, who=who())
    return redirect(url_for("records.show", record_id=record_id), 303)
