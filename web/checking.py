"""«Kiểm tra thể thức»: upload any .docx and see its findings, grouped by element, for the thể thức chosen
(or the one its header shows: «ĐẢNG CỘNG SẢN VIỆT NAM» for a Party document, NĐ 30 otherwise).

A file checked is kept on the server for «Mở trong biểu mẫu» (Kiểm tra thể thức → Mở từ tệp Word → Tạo lại
đúng thể thức): for the account that checked it, until it is opened or KEEP_SECONDS have passed, in the
shared job folder (every web process sees it); each check sweeps the files past their time.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from flask import Blueprint, current_app, g, render_template, request

from doctpl.check import report
from doctpl.check.findings import grouped
from doctpl.errors import BadInput, DoctplError
from doctpl.importer import guess_kind
from doctpl.kind import kinds

bp = Blueprint("checking", __name__)
MAX_UPLOAD_MESSAGE = "Vui lòng chọn một tệp .docx."
KEEP_SECONDS = 30 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
GONE = ("Tệp đã kiểm tra không còn được giữ trên máy chủ (đã mở vào biểu mẫu hoặc quá 30 phút); hãy chọn lại tệp "
        "ở ô «Mở từ tệp Word».")


def _folder() -> Path:
    return Path(current_app.config["JOB_FOLDER"]) / "mo-tu-word"


def _path(token: str) -> Path:
    return _folder() / f"{g.user['id']}-{token}.docx"


def sweep() -> None:
    """Delete the kept files whose time is up."""
    for path in _folder().glob("*.docx"):
        try:
            if time.time() - path.stat().st_mtime > KEEP_SECONDS:
                path.unlink()
        except FileNotFoundError:  # another process swept it first
            pass


def keep(content: bytes) -> str:
    """Keep a checked file for the signed-in account; return the token that opens it."""
    _folder().mkdir(mode=0o700, parents=True, exist_ok=True)
    sweep()
    token = secrets.token_urlsafe(24)
    descriptor = os.open(_path(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    return token


def take(token: str) -> bytes:
    """Return a kept file and delete it; BadInput when it is gone (opened already, past its time, another's)."""
    if not _TOKEN.match(token or ""):
        raise BadInput(GONE)
    path = _path(token)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise BadInput(GONE) from None
    path.unlink(missing_ok=True)
    return content


@bp.route("/kiem-tra", methods=["GET", "POST"])
def page() -> tuple[str, int] | str:
    """Show the upload form; POST checks the file against the thể thức chosen (field the_thuc, blank: recognise)."""
    sweep()  # a file kept by an earlier check goes once its time is up, whoever comes next
    chosen = request.form.get("the_thuc", report.AUTO)
    form = {"choices": report.CHOICES, "chosen": chosen if chosen in report.CHOICES else report.AUTO}
    if request.method == "GET":
        return render_template("check.html", **form)
    upload = request.files.get("tep")
    if upload is None or not upload.filename:
        return render_template("check.html", error=MAX_UPLOAD_MESSAGE, **form), 400
    content = upload.read()
    try:
        checked = report.check(content, upload.filename, chosen)
    except DoctplError as error:  # over a limit (413), not a .docx it can read (400), no such thể thức (422)
        return render_template("check.html", error=str(error), **form), error.status
    return render_template("check.html", name=upload.filename, report=checked, groups=list(grouped(checked)),
                           kept=keep(content), kinds=kinds(), guessed=guess_kind(content, upload.filename), **form)
