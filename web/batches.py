"""Batch pages and the batch API: zips from the registry or a spreadsheet, with progress for long runs."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from doctpl import batch, spreadsheet
from doctpl.errors import BadInput, DoctplError, FieldError, ValidationError
from doctpl.kind import get_kind, kinds
from doctpl.store import records, registry
from web.context import db, who

bp = Blueprint("batches", __name__)
api_bp = Blueprint("batch_api", __name__, url_prefix="/api/v1")
ZIP_MIME = "application/zip"


@dataclass
class Progress:
    """A batch running in the background of the web process."""

    total: int
    done: int = 0
    path: Path | None = None
    error: str = ""
    problems: list[str] = field(default_factory=list)


_running: dict[str, Progress] = {}


def _folder() -> Path:
    folder = Path(current_app.config.get("BATCH_FOLDER") or Path(current_app.instance_path) / "lo")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _zip_response(path: Path, name: str, *, delete: bool) -> Response:
    """Stream a zip from disk in chunks; the file is closed (and deleted) when the body is done."""

    def chunks():  # type: ignore[no-untyped-def]
        with open(path, "rb") as handle:
            while block := handle.read(1 << 16):
                yield block
        if delete:
            path.unlink(missing_ok=True)

    return Response(chunks(), mimetype=ZIP_MIME, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Content-Length": str(path.stat().st_size)})


KEEP_SECONDS = 24 * 3600


def _sweep(folder: Path) -> None:
    """Delete batch zips older than a day, so the instance folder does not fill up."""
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.glob("*.zip"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
            _running.pop(old.stem, None)


def _start(jobs: list[batch.Job], problems: list[batch.Problem], pdfs: bool = False) -> str:
    """Write the zip in a background thread; the page polls its progress."""
    _sweep(_folder())
    job_id = uuid.uuid4().hex
    state = _running[job_id] = Progress(total=len(jobs), problems=[str(p) for p in problems])
    target = _folder() / f"{job_id}.zip"

    def work() -> None:
        try:
            with open(target, "wb") as out:
                batch.write_zip(out, batch.render_all(jobs), problems, progress=lambda n: setattr(state, "done", n),
                                pdfs=pdfs)
            state.path = target
        except DoctplError as error:
            state.error = str(error)

    threading.Thread(target=work, daemon=True).start()
    return job_id


def _rows(kind_id: str) -> tuple[list[batch.Job], list[batch.Problem]]:
    upload = request.files.get("tep")
    if upload is None or not upload.filename:
        raise BadInput("Vui lòng chọn tệp bảng tính (.xlsx hoặc .csv).")
    kind = get_kind(kind_id)
    return batch.from_rows(kind, spreadsheet.read(kind, upload.read(), upload.filename))


@bp.route("/lo/", methods=["GET", "POST"])
def index() -> Response | tuple[str, int] | str:
    """Batch page: from the registry (khối, year, kinds) or from an uploaded spreadsheet."""
    with db() as session:
        khoi_list = registry.khoi_list(session)
        if request.method == "GET":
            return render_template("batch.html", kinds=kinds(), khoi_list=khoi_list, year=records.current_year())
        try:
            if request.form.get("nguon") == "bang_tinh":
                jobs, problems = _rows(request.form.get("loai", ""))
                if problems and not request.form.get("bo_qua_loi"):
                    return render_template("batch.html", kinds=kinds(), khoi_list=khoi_list,
                                           year=records.current_year(), problems=problems), 422
            else:
                chosen = request.form.getlist("loai")
                if not chosen:
                    raise BadInput("Chọn ít nhất một loại văn bản.")
                jobs, problems = batch.from_registry(
                    session, int(request.form["khoi"]), int(request.form["nam"]), chosen, who=who(),
                    save=bool(request.form.get("luu")), lay_so=bool(request.form.get("lay_so")))
        except DoctplError as error:
            return render_template("batch.html", kinds=kinds(), khoi_list=khoi_list, year=records.current_year(),
                                   problems=[batch.Problem("", e.message) for e in error.errors()]), error.status
    job_id = _start(jobs, problems, pdfs=bool(request.form.get("pdf")))
    return Response(status=303, headers={"Location": url_for("batches.show", job_id=job_id)})


@bp.get("/lo/<job_id>")
def show(job_id: str) -> str:
    """Progress page; it polls the status and offers the zip when ready."""
    return render_template("batch_progress.html", job_id=job_id, state=_running.get(job_id))


@bp.get("/lo/<job_id>/trang-thai")
def status(job_id: str) -> Response:
    """Return {done, total, ready, error} of a background batch."""
    state = _running.get(job_id)
    if state is None:
        return jsonify({"errors": [{"field": "", "message": "Không có lô này (máy chủ đã khởi động lại?)."}]}), 404
    return jsonify({"done": state.done, "total": state.total, "ready": state.path is not None, "error": state.error,
                    "problems": state.problems})


@bp.get("/lo/<job_id>/tai-ve")
def download(job_id: str) -> Response:
    """Download the finished zip."""
    state = _running.get(job_id)
    if state is None or state.path is None:
        raise BadInput("Lô văn bản chưa xong hoặc không còn.")
    return _zip_response(state.path, f"lo-van-ban-{job_id[:8]}.zip", delete=False)


@bp.get("/lo/mau/<kind_id>.xlsx")
def blank(kind_id: str) -> Response:
    """Download the blank spreadsheet of a kind."""
    content = spreadsheet.blank(get_kind(kind_id))
    return Response(content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="mau-{kind_id}.xlsx"'})


def _stream(jobs: list[batch.Job], problems: list[batch.Problem], pdfs: bool) -> Response:
    target = _folder() / f"{uuid.uuid4().hex}.zip"
    try:
        with open(target, "wb") as out:
            batch.write_zip(out, batch.render_all(jobs), problems, pdfs=pdfs)
    except DoctplError:
        target.unlink(missing_ok=True)
        raise
    return _zip_response(target, "lo-van-ban.zip", delete=True)


@api_bp.post("/batch")
def api_batch() -> Response:
    """Produce a zip from JSON {"kind", "rows": […], "skip_bad_rows", "pdf"} or a spreadsheet upload (multipart).

    Invalid rows: 422 with {"errors": [{"field": "dòng 3, cột C (co_quan.ten)", "message": …}]}.
    """
    if request.files:
        jobs, problems = _rows(request.form.get("kind", ""))
        skip = request.form.get("skip_bad_rows") in ("1", "true", "on")
        pdfs = request.form.get("pdf") in ("1", "true", "on")
    else:
        body: Any = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("rows"), list):
            raise BadInput('Cần JSON {"kind": "…", "rows": [{…}, …]} hoặc tải lên một bảng tính.')
        kind = get_kind(str(body.get("kind", "")))
        table = [spreadsheet.Row([index + 1], row if isinstance(row, dict) else {}, {})
                 for index, row in enumerate(body["rows"])]
        jobs, problems = batch.from_rows(kind, table)
        problems = [batch.Problem(p.where.replace("dòng", "mục"), p.message) for p in problems]
        skip, pdfs = bool(body.get("skip_bad_rows")), bool(body.get("pdf"))
    if problems and not skip:
        raise ValidationError([FieldError(p.where, p.message) for p in problems])
    return _stream(jobs, problems, pdfs)
