"""Staff login and logout, a staff member's own password, and the language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from ..access import actor, public, roles_required
from ..errors import DomainError
from ..forms import ActionForm, LoginForm, PasswordForm
from ..models import Role
from ..refusals import show_on_form
from ..services import users

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and urlsplit(target).netloc == "" and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("meetings.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("meetings.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = users.authenticate(form.username.data, form.password.data, address=get_remote_address())
        except DomainError as e:
            form.password.errors.append(e.message)
            status = e.status  # 401, or 429 while password guessing is braked
        else:
            login_user(user, remember=form.remember.data)
            users.record_login(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), 401 if form.errors and status == 200 else status


@bp.post("/logout")
@public
def logout():
    form = ActionForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        users.log_out(actor())  # every device's session of this account ends, not only this one
        logout_user()
        flash(_("Đã đăng xuất."), "ok")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@roles_required(*Role)
def password():
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        user = actor()
        remembered = bool(request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")))
        try:
            users.change_password(user, form.current_password.data, form.new_password.data,
                                  form.new_password_again.data, address=get_remote_address())
        except DomainError as e:
            show_on_form(form, e, "current_password")
            status = e.status
        else:
            login_user(user, remember=remembered)  # this device goes on, with the new session version
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập trên thiết bị khác đã kết thúc."), "ok")
            return redirect(url_for("meetings.index"))
    elif form.errors:
        status = 422
    return render_template("auth/password.html", form=form, min_password=users.MIN_PASSWORD), status


@bp.get("/lang/<code>")
@public
def set_language(code: str):
    response = make_response(redirect(_safe_next(request.args.get("next"))))
    if code in ("vi", "en"):
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax")
    return response
