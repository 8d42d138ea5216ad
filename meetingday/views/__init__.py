"""HTTP views: thin translators between requests, forms, services and templates."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from ..errors import DomainError
from ..extensions import htmx, login_manager


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


def register(app: Flask) -> None:
    from . import (
        agenda,
        attendance,
        auth,
        chair,
        checkin,
        desk,
        display,
        documents,
        health,
        imports,
        invitations,
        invitees,
        kien_nghi,
        meetings,
        organisations,
        passes,
        speakers,
    )

    for module in (auth, health, meetings, agenda, invitees, imports, invitations, organisations, passes,
                   attendance, chair, display, checkin, speakers, desk, kien_nghi, documents):
        app.register_blueprint(module.bp)

    from ..extensions import db
    from ..models import User

    @login_manager.user_loader
    def _load_user(user_id: str):
        return db.session.get(User, int(user_id))

    @login_manager.unauthorized_handler
    def _unauthorized():
        from flask import redirect, url_for
        if htmx:
            # Back to the page the user was on, not to the fragment that was asked for.
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            page = current.path + (f"?{current.query}" if current.query else "") if current.path else None
            return "", 401, {"HX-Redirect": url_for("auth.login", next=page)}
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))

    @app.errorhandler(DomainError)
    def _domain_error(e: DomainError):
        db.session.rollback()  # a refused change leaves nothing half-applied in the session
        return error_response(e.status, e.message, e.code)

    @app.errorhandler(CSRFError)
    def _csrf_error(e):
        return error_response(400, _("Phiên làm việc đã hết hạn hoặc thiếu mã bảo mật. "
                                     "Vui lòng tải lại trang rồi thử lại."), "csrf")

    @app.errorhandler(403)
    def _forbidden(e):
        return error_response(403, _("Tài khoản của bạn không có quyền thực hiện việc này."), "forbidden")

    @app.errorhandler(404)
    def _not_found(e):
        return error_response(404, _("Không tìm thấy trang này."), "not_found")

    @app.errorhandler(405)
    def _method(e):
        return error_response(405, _("Thao tác không hợp lệ."), "method_not_allowed")

    @app.errorhandler(413)
    def _too_large(e):
        return error_response(413, _("Tệp quá lớn (tối đa 5 MB)."), "too_large")
