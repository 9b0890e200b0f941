"""One error handler for every face: JSON for the API, a Vietnamese page (or the form again) for pages."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from doctpl.errors import DoctplError, FieldError

log = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    404: "Không tìm thấy trang hoặc tài nguyên.",
    405: "Phương thức không được hỗ trợ.",
    413: "Dữ liệu gửi lên quá lớn.",
    500: "Đã có lỗi trong hệ thống; dữ liệu của bạn chưa bị mất, vui lòng thử lại.",
}


def error_response(errors: list[FieldError], status: int) -> tuple[Response, int] | tuple[str, int]:
    """Return the errors as JSON for the API, as an HTML page otherwise."""
    if request.path.startswith("/api/"):
        return jsonify({"errors": [{"field": e.field, "message": e.message} for e in errors]}), status
    return render_template("error.html", errors=errors, status=status), status


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
        return error_response([FieldError("", HTTP_MESSAGES.get(status, error.description or ""))], status)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error")
        return error_response([FieldError("", HTTP_MESSAGES[500])], 500)
