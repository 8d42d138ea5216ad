"""Staff login and logout, and the language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..access import public
from ..errors import DomainError
from ..forms import ActionForm, LoginForm
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
    if form.validate_on_submit():
        try:
            user = users.authenticate(form.username.data, form.password.data)
        except DomainError as e:
            form.password.errors.append(e.message)
        else:
            login_user(user, remember=form.remember.data)
            users.record_login(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 401


@bp.post("/logout")
@public
def logout():
    form = ActionForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        logout_user()
        flash(_("Đã đăng xuất."), "ok")
    return redirect(url_for("auth.login"))


@bp.get("/lang/<code>")
@public
def set_language(code: str):
    response = make_response(redirect(_safe_next(request.args.get("next"))))
    if code in ("vi", "en"):
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax")
    return response
