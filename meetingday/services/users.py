"""Staff accounts."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit
from ..errors import DomainError
from ..extensions import db
from ..models import Role, User
from ..text import clean

_USERNAME = re.compile(r"^[a-z0-9_.-]{3,64}$")
MIN_PASSWORD = 8


def create_user(username: str, full_name: str, password: str, roles, actor: User | str | None = None) -> User:
    username = (username or "").strip().lower()
    if not _USERNAME.match(username):
        raise DomainError("username_invalid",
                          _l("Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới."))
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise DomainError("username_taken", _l("Tên đăng nhập này đã có người dùng."), status=409)
    if len(password or "") < MIN_PASSWORD:
        raise DomainError("password_too_short", _l("Mật khẩu phải có ít nhất 8 ký tự."))
    try:
        roles = {Role(r) for r in roles}
    except ValueError:
        raise DomainError("role_invalid", _l("Vai trò không hợp lệ.")) from None
    if not roles:
        raise DomainError("role_required", _l("Cần chọn ít nhất một vai trò."))
    user = User(username=username, full_name=clean(full_name) or username)
    user.roles = roles
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", "user", user.id, actor=actor, username=username,
                 roles=sorted(r.value for r in roles))
    db.session.commit()
    return user


def record_login(user: User) -> None:
    audit.record("user.login", "user", user.id, actor=user)
    db.session.commit()


def authenticate(username: str, password: str) -> User:
    user = db.session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    if user is None or not user.active or not user.check_password(password or ""):
        raise DomainError("login_failed", _l("Sai tên đăng nhập hoặc mật khẩu."), status=401)
    return user
