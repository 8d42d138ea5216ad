"""How a refusal is answered: one error response (a page, an htmx flash message, or JSON), the
app's error handlers, and a refused change shown on the form that asked for it."""
from __future__ import annotations

from flask import Flask, current_app, has_request_context, jsonify, make_response, render_template, request
from flask_babel import format_decimal, gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError

from .errors import DomainError, database_lost, database_unavailable
from .extensions import db, htmx, login_manager

RETRY_AFTER = "10"  # seconds, on a 503 while the database does not answer


def error_response(status: int, message, code: str = ""):
    """One way to answer an error: a page, or for htmx a message in the page's flash area."""
    if htmx:
        body = render_template("_flash.html", messages=[("error", message)])
        headers = {"HX-Retarget": "#flash", "HX-Reswap": "innerHTML show:top"}
        if status == 409:
            # The screen was behind (a stale or doubled action): live.js reloads its regions.
            headers["HX-Trigger"] = "live-reload"
        return body, status, headers
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=code, message=str(message)), status
    return render_template("errors/error.html", status=status, message=message, code=code), status


def show_on_form(form, error: DomainError, default_field: str) -> None:
    """Undo anything half-set in the session, and put the message under the field it is about."""
    db.session.rollback()
    field = getattr(form, error.details.get("field", default_field), None) or getattr(form, default_field)
    field.errors = [*field.errors, error.message]


def field_errors(e: DomainError, fields) -> dict | None:
    """{field: message} when the refusal `e` is about one of this form's `fields` (a view shows it
    under the field, with what was typed, after undoing what the refused change had begun); None
    for any other refusal."""
    name = e.details.get("field")
    if name not in fields:
        return None
    db.session.rollback()
    return {name: e.message}


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(e: DomainError):
        db.session.rollback()  # a refused change leaves nothing half-applied in the session
        return error_response(e.status, e.message, e.code)

    @app.errorhandler(DBAPIError)
    def _database_lost(e: DBAPIError):
        """The database stopped answering (PostgreSQL down, the SQLite file unreadable): the
        app's own page, htmx message or door answer, 503; any other database error is a bug."""
        if not database_lost(e):
            raise e
        current_app.logger.warning("database unreachable: %s", " ".join(str(e.orig).split())[:300])
        try:
            db.session.rollback()
        except DBAPIError:
            pass
        # The page must not ask the database who is signed in: it is drawn as for a visitor.
        login_manager._update_request_context_with_user()
        error = database_unavailable()
        response = make_response(error_response(error.status, error.message, error.code))
        response.headers["Retry-After"] = RETRY_AFTER
        return response

    @app.errorhandler(CSRFError)
    def _csrf_error(e):
        return error_response(400, _("Phiên làm việc đã hết hạn hoặc thiếu mã bảo mật. "
                                     "Vui lòng tải lại trang rồi thử lại."), "csrf")

    @app.errorhandler(403)
    def _forbidden(e):
        return error_response(403, _("Tài khoản này không có quyền thực hiện việc này."), "forbidden")

    @app.errorhandler(404)
    def _not_found(e):
        return error_response(404, _("Không tìm thấy trang này."), "not_found")

    @app.errorhandler(405)
    def _method(e):
        return error_response(405, _("Thao tác không hợp lệ."), "method_not_allowed")

    @app.errorhandler(413)
    def _too_large(e):
        # The limit this request had: an upload view raises it for one file (files.allow_upload).
        limit = request.max_content_length if has_request_context() else None
        if limit and limit > current_app.config["MAX_CONTENT_LENGTH"]:
            limit = current_app.config["UPLOAD_MAX_BYTES"]
        most = format_decimal((limit or current_app.config["MAX_CONTENT_LENGTH"]) / (1024 * 1024), format="#,##0.#")
        return error_response(413, _("Tệp quá lớn (tối đa %(size)s MB).", size=most), "too_large")

    @app.errorhandler(429)
    def _too_many(e):
        return error_response(429, _("Thao tác quá nhanh. Xin vui lòng đợi một phút rồi thử lại."), "rate_limited")
