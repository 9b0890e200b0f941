"""«Kiểm tra thể thức»: upload any .docx and see its findings, grouped by element, for the thể thức chosen
(or the one its header shows: «ĐẢNG CỘNG SẢN VIỆT NAM» for a Party document, NĐ 30 otherwise)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from doctpl.check import report
from doctpl.check.findings import grouped
from doctpl.errors import DoctplError

bp = Blueprint("checking", __name__)
MAX_UPLOAD_MESSAGE = "Vui lòng chọn một tệp .docx."


@bp.route("/kiem-tra", methods=["GET", "POST"])
def page() -> tuple[str, int] | str:
    """Show the upload form; POST checks the file against the thể thức chosen (field the_thuc, blank: recognise)."""
    chosen = request.form.get("the_thuc", report.AUTO)
    form = {"choices": report.CHOICES, "chosen": chosen if chosen in report.CHOICES else report.AUTO}
    if request.method == "GET":
        return render_template("check.html", **form)
    upload = request.files.get("tep")
    if upload is None or not upload.filename:
        return render_template("check.html", error=MAX_UPLOAD_MESSAGE, **form), 400
    try:
        checked = report.check(upload.read(), upload.filename, chosen)
    except DoctplError as error:  # over a limit (413), not a .docx it can read (400), no such thể thức (422)
        return render_template("check.html", error=str(error), **form), error.status
    return render_template("check.html", name=upload.filename, report=checked, groups=list(grouped(checked)), **form)
