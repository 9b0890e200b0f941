"""Batch pages and the batch API: zips from the registry or a spreadsheet, made by jobs (doctpl.jobs).

The page and the API start a job and read its progress from the job store, so a restart of the web
process loses nothing when jobs run on Redis. /api/v1/jobs/<id> reports every kind of job.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, render_template, request, url_for

from doctpl import batch, jobs, limits, pdf, spreadsheet
from doctpl.errors import BadInput, DoctplError, FieldError, NotFound, ValidationError
from doctpl.kind import get_kind, kinds
from doctpl.store import records, registry
from doctpl.store import scope as scopes
from web.context import db, scope, store, who, whole

bp = Blueprint("batches", __name__)
api_bp = Blueprint("batch_api", __name__, url_prefix="/api/v1")
_lock = threading.Lock()


def runner() -> jobs.Runner:
    """Return the application's job runner (RQ when REDIS_URL answers, else in-process), made on first use."""
    app = current_app
    with _lock:
        if "doctpl.jobs" not in app.extensions:
            config = app.config
            app.extensions["doctpl.jobs"] = jobs.connect(jobs.Settings(
                folder=Path(config["JOB_FOLDER"]), redis_url=config["REDIS_URL"], queue=config["JOB_QUEUE"],
                ttl=int(config["JOB_TTL"]), quota=int(config["JOB_QUOTA"]), database_url=store().url))
        return app.extensions["doctpl.jobs"]


def _file_response(path: Path, name: str, mimetype: str) -> Response:
    """Stream a result from disk in chunks; it stays there until its job expires."""

    def chunks():  # type: ignore[no-untyped-def]
        with open(path, "rb") as handle:
            while block := handle.read(1 << 16):
                yield block

    return Response(chunks(), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Content-Length": str(path.stat().st_size)})


def _start(work: list[batch.Job], problems: list[batch.Problem], pdfs: bool = False) -> jobs.State:
    """Start the batch as a job of the signed-in account."""
    return runner().enqueue("batch", jobs.batch_args(work, problems, pdfs), owner=g.user["id"], total=len(work),
                            problems=[str(p) for p in problems])


def _rows(kind_id: str) -> tuple[list[batch.Job], list[batch.Problem]]:
    upload = request.files.get("tep")
    if upload is None or not upload.filename:
        raise BadInput("Vui lòng chọn tệp bảng tính (.xlsx hoặc .csv).")
    kind = get_kind(kind_id)
    return batch.from_rows(kind, spreadsheet.read(kind, upload.read(), upload.filename))


def pdf_of(docx: bytes) -> bytes:
    """Convert a .docx to PDF as a job (on the workers with Redis, else in this process) and wait for it.

    The web process only waits: LibreOffice runs where the jobs run, bounded by the PDF time limit.
    """
    jobs_runner = runner()
    state = jobs_runner.enqueue("pdf", jobs.pdf_args(docx), owner=g.user["id"], total=1, name="PDF")
    deadline = time.monotonic() + float(current_app.config.get("PDF_TIMEOUT") or 60) + 30
    while time.monotonic() < deadline:
        state = jobs_runner.state(state.id, g.user["id"])
        if state.ready:
            return jobs_runner.result(state.id, g.user["id"])[1].read_bytes()
        if state.status == "failed":
            raise pdf.PdfUnavailable(state.error or "Không tạo được bản PDF.")
        time.sleep(0.05)
    raise pdf.PdfUnavailable("Chưa tạo xong bản PDF trong thời gian cho phép; vui lòng thử lại sau.")


def _number(name: str, label: str) -> int:
    """Return a posted whole number, or raise a field error naming it (never a 500)."""
    if (number := whole(request.form.get(name))) is None:
        raise ValidationError([FieldError(name, f"Vui lòng chọn «{label}».")])
    return number


@bp.route("/lo/", methods=["GET", "POST"])
def index() -> Response | tuple[str, int] | str:
    """Batch page: from the registry (khối, year, kinds) or from an uploaded spreadsheet."""
    with db() as session:
        khoi_list = [k for k in registry.khoi_list(session) if scopes.allows_khoi(scope(), k.id)]
        if request.method == "GET":
            return render_template("batch.html", kinds=kinds(), khoi_list=khoi_list, year=records.current_year())
        try:
            runner().admit(g.user["id"])  # before anything is saved
            if request.form.get("nguon") == "bang_tinh":
                work, problems = _rows(request.form.get("loai", ""))
                if problems and not request.form.get("bo_qua_loi"):
                    return render_template("batch.html", kinds=kinds(), khoi_list=khoi_list,
                                           year=records.current_year(), problems=problems), 422
            else:
                chosen = request.form.getlist("loai")
                if not chosen:
                    raise BadInput("Chọn ít nhất một loại văn bản.")
                khoi_id, nam = _number("khoi", "Khối"), _number("nam", "Năm")
                scopes.khoi(session, scope(), khoi_id)  # a whole khối's batch is its secretariat's
                work, problems = batch.from_registry(
                    session, khoi_id, nam, chosen, who=who(),
                    save=bool(request.form.get("luu")), lay_so=bool(request.form.get("lay_so")))
            state = _start(work, problems, pdfs=bool(request.form.get("pdf")))
        except DoctplError as error:
            return render_template("batch.html", kinds=kinds(), khoi_list=khoi_list, year=records.current_year(),
                                   problems=[batch.Problem("", e.message) for e in error.errors()]), error.status
    return Response(status=303, headers={"Location": url_for("batches.show", job_id=state.id)})


@bp.get("/lo/<job_id>")
def show(job_id: str) -> str | tuple[str, int]:
    """Progress page; it polls the status and offers the zip when ready."""
    try:
        return render_template("batch_progress.html", job_id=job_id, state=runner().state(job_id, g.user["id"]))
    except NotFound:
        return render_template("batch_progress.html", job_id=job_id, state=None), 404


@bp.get("/lo/<job_id>/trang-thai")
def status(job_id: str) -> Response | tuple[Response, int]:
    """Return {done, total, ready, error, problems} of a batch job."""
    try:
        state = runner().state(job_id, g.user["id"])
    except NotFound as error:
        return jsonify(error.body()), 404
    return jsonify({"done": state.done, "total": state.total, "ready": state.ready, "error": state.error,
                    "problems": state.problems})


@bp.get("/lo/<job_id>/tai-ve")
def download(job_id: str) -> Response:
    """Download the finished zip."""
    state, path = runner().result(job_id, g.user["id"])
    return _file_response(path, state.filename, state.mimetype)


@bp.get("/lo/mau/<kind_id>.xlsx")
def blank(kind_id: str) -> Response:
    """Download the blank spreadsheet of a kind."""
    content = spreadsheet.blank(get_kind(kind_id))
    return Response(content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="mau-{kind_id}.xlsx"'})


@api_bp.post("/batch")
def api_batch() -> tuple[Response, int]:
    """Start a zip from JSON {"kind", "rows": […], "skip_bad_rows", "pdf"} or a spreadsheet upload (multipart).

    Answers 202 with the job (see `job`) and its URL in Location; invalid rows: 422 with
    {"errors": [{"field": "dòng 3, cột C (co_quan.ten)", "message": …}]}; over the account's quota: 429.
    """
    if request.files:
        work, problems = _rows(request.form.get("kind", ""))
        skip = request.form.get("skip_bad_rows") in ("1", "true", "on")
        pdfs = request.form.get("pdf") in ("1", "true", "on")
    else:
        body: Any = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("rows"), list):
            raise BadInput('Cần JSON {"kind": "…", "rows": [{…}, …]} hoặc tải lên một bảng tính.')
        limits.check_rows(len(body["rows"]))
        kind = get_kind(str(body.get("kind", "")))
        table = [spreadsheet.Row([index + 1], row if isinstance(row, dict) else {}, {})
                 for index, row in enumerate(body["rows"])]
        work, problems = batch.from_rows(kind, table)
        problems = [batch.Problem(p.where.replace("dòng", "mục"), p.message) for p in problems]
        skip, pdfs = bool(body.get("skip_bad_rows")), bool(body.get("pdf"))
    if problems and not skip:
        raise ValidationError([FieldError(p.where, p.message) for p in problems])
    state = _start(work, problems, pdfs)
    response = jsonify(_job_body(state))
    response.headers["Location"] = url_for("batch_api.job", job_id=state.id)
    return response, 202


def _job_body(state: jobs.State) -> dict[str, Any]:
    """Return a job as the API shows it."""
    return {"id": state.id, "kind": state.kind, "state": state.status, "done": state.done, "total": state.total,
            "error": state.error, "problems": state.problems, "url": url_for("batch_api.job", job_id=state.id),
            "result_url": url_for("batch_api.job_result", job_id=state.id) if state.ready else None}


@api_bp.get("/jobs/<job_id>")
def job(job_id: str) -> Response:
    """Return {"id", "kind", "state" (queued, running, finished, failed), "done", "total", "error", "problems",
    "url", "result_url"} of one of the account's jobs; another account's, or an expired one, is 404."""
    return jsonify(_job_body(runner().state(job_id, g.user["id"])))


@api_bp.get("/jobs/<job_id>/ket-qua")
def job_result(job_id: str) -> Response:
    """Download a finished job's result (the zip of a batch); 409 while it runs or when it failed."""
    state, path = runner().result(job_id, g.user["id"])
    return _file_response(path, state.filename, state.mimetype)
