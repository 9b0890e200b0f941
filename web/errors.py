"""One error handler for every face: JSON for the API, a Vietnamese page (or the form again) for pages."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from doctpl import limits
from doctpl.errors import DoctplError, FieldError

log = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    404: "Không tìm thấy trang hoặc tài nguyên.",
    405: "Phương thức không được hỗ trợ.",
    413: "Dữ liệu gửi lên vượt quá giới hạn {mb} MB của một lần gửi (thiết lập MAX_REQUEST_MB).",
    500: "Đã có lỗi trong hệ thống; dữ liệu của bạn chưa bị mất, vui lòng thử lại.",
}


def error_response(errors: list[FieldError], status: int) -> tuple[Response, int] | tuple[str, int]:
    """Return the errors as JSON for the API, as an HTML page otherwise."""
    if request.path.startswith("/api/"):
        return jsonify({"errors": [{"field": e.field, "message": e.message} for e in errors]}), status
    return render_template("error.html", errors=errors, status=status), status


def _message(status: int, error: HTTPException) -> str:
    """Return the Vietnamese message of an HTTP error; a 413 names the limit it broke."""
    length = request.content_length
    if status == 413 and length is not None and length <= limits.current().request_bytes:
        return ("Biểu mẫu gửi lên có một trường quá dài hoặc quá nhiều trường "
                "(thiết lập MAX_FORM_MEMORY_SIZE, MAX_FORM_PARTS của Flask).")
    if status == 413:
        return HTTP_MESSAGES[413].format(mb=limits.current().max_request_mb)
    return HTTP_MESSAGES.get(status, error.description or "")


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(DoctplError)
    def doctpl_error(error: DoctplError):  # type: ignore[no-untyped-def]
        return error_response(error.errors(), error.status)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):  # type: ignore[no-untyped-def]
        from web.pages import resubmit_after_csrf

        return resubmit_after_csrf()

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        status = error.code or 500
        return error_response([FieldError("", _message(status, error))], status)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error")
        return error_response([FieldError("", HTTP_MESSAGES[500])], 500)
