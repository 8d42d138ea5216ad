"""Who may open what: every view is either public or names the roles that may use it."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from ..extensions import login_manager


def roles_required(*roles):
    """Staff only, with one of these roles (the secretariat/admin role passes every check)."""
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)
        wrapped.allowed_roles = tuple(roles)
        return wrapped
    return decorate


def public(view):
    """Open without a staff account (login page, delegate pass, health check)."""
    view.public = True
    return view
