"""«Kiểm tra thể thức»: upload any .docx and see its NĐ 30 findings, grouped by element."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from doctpl.check import nd30
from doctpl.errors import DoctplError

bp = Blueprint("checking", __name__)
MAX_UPLOAD_MESSAGE = "Vui lòng chọn một tệp .docx."


@bp.route("/kiem-tra", methods=["GET", "POST"])
def page() -> tuple[str, int] | str:
    """Show the upload form; POST checks the file."""
    if request.method == "GET":
        return render_template("check.html")
    upload = request.files.get("tep")
    if upload is None or not upload.filename:
        return render_template("check.html", error=MAX_UPLOAD_MESSAGE), 400
    try:
        findings = nd30.check(upload.read(), upload.filename)
    except DoctplError as error:  # over a limit (413) or not a .docx it can read (400): the reason, in the form
        return render_template("check.html", error=str(error)), error.status
    return render_template("check.html", name=upload.filename, findings=findings, groups=list(nd30.grouped(findings)),
                           errors=sum(f.severity == "error" for f in findings))
