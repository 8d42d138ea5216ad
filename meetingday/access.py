"""Who may open what: every view is either public or names the roles that may use it; who is
signed in, and where someone who is not is sent."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from flask_login import current_user

from .extensions import db, htmx, login_manager
from .models import Role, User

DOOR = (Role.DOOR,)  # who checks people in at the door: its HTTP views and its live connection


def roles_required(*roles):
    """Staff only, with one of these roles (the secretariat/admin role passes every check)."""
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.may(*roles):
                abort(403)
            return view(*args, **kwargs)
        wrapped.allowed_roles = tuple(roles)
        return wrapped
    return decorate


def actor() -> User:
    """The signed-in account, as the services record it (the actor of a change)."""
    return current_user._get_current_object()


def public(view):
    """Open without a staff account (login page, delegate pass, health check)."""
    view.public = True
    return view


@login_manager.user_loader
def _load_user(session_id: str):
    """The account of a session or remember-me cookie (User.get_id: "<id>:<session version>"),
    or nobody when the account has since logged out, changed its password or been disabled."""
    user_id, _sep, version = (session_id or "").partition(":")
    try:
        user = db.session.get(User, int(user_id))
        version = int(version)
    except ValueError:
        return None
    if user is None or not user.active or user.session_version != version:
        return None
    return user


@login_manager.unauthorized_handler
def _unauthorized():
    if htmx:
        # Back to the page the user was on, not to the fragment that was asked for.
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        page = current.path + (f"?{current.query}" if current.query else "") if current.path else None
        return "", 401, {"HX-Redirect": url_for("auth.login", next=page)}
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
