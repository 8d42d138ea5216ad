"""Staff accounts."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from .. import audit, live
from ..errors import DomainError
from ..extensions import db
from ..models import Organisation, Role, User
from ..text import clean, fold
from . import login_brake, units

_USERNAME = re.compile(r"^[a-z0-9_.-]{3,64}$")
MIN_PASSWORD = 8  # characters; the password form says it too (minlength)


def _ban(organisation: Organisation | str | None, roles: set[Role]) -> Organisation | None:
    """The Ban an account with the Ban role answers for (found by its key, name or short name,
    without regard to case or diacritics); no other account belongs to an organisation."""
    if Role.BAN not in roles:
        if organisation not in (None, ""):
            raise DomainError("organisation_not_for_role", _l("Chỉ tài khoản của một Ban mới gắn với đơn vị."))
        return None
    org = organisation
    if isinstance(organisation, str):
        wanted = fold(organisation)
        org = next((o for o in db.session.scalars(select(Organisation).order_by(Organisation.id))
                    if wanted and wanted in (fold(o.key or ""), fold(o.name), fold(o.short_name or ""))), None)
    if not units.is_ban(org):
        raise DomainError("ban_required", _l("Tài khoản vai trò Ban cần gắn với một Ban của HĐND thị xã (vd. "
                                             "“Ban Pháp chế”)."))
    return org


def create_user(username: str, full_name: str, password: str, roles, actor: User | str | None = None,
                organisation: Organisation | str | None = None) -> User:
    """A staff account; one with the Ban role names its Ban (`organisation`)."""
    username = (username or "").strip().lower()
    if not _USERNAME.match(username):
        raise DomainError("username_invalid",
                          _l("Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới."))
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise DomainError("username_taken", _l("Tên đăng nhập này đã có người dùng."), status=409)
    _check_new_password(password)
    try:
        roles = {Role(r) for r in roles}
    except ValueError:
        raise DomainError("role_invalid", _l("Vai trò không hợp lệ.")) from None
    if not roles:
        raise DomainError("role_required", _l("Cần chọn ít nhất một vai trò."))
    ban = _ban(organisation, roles)
    user = User(username=username, full_name=clean(full_name) or username, organisation=ban)
    user.roles = roles
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", "user", user.id, actor=actor, username=username,
                 roles=sorted(r.value for r in roles), **({"organisation": ban.short_name} if ban else {}))
    db.session.commit()
    return user


def _check_new_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise DomainError("password_too_short", _l("Mật khẩu phải có ít nhất %(n)d ký tự.", n=MIN_PASSWORD),
                          field="new_password")


def _end_sessions(user: User) -> None:
    """Every session and remember-me cookie of this account stops loading it (access._load_user)."""
    db.session.execute(update(User).where(User.id == user.id)
                       .values(session_version=User.session_version + 1))


def find_user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    if user is None:
        raise DomainError("user_not_found", _l("Không có tài khoản này."), status=404)
    return user


def record_login(user: User) -> None:
    audit.record("user.login", "user", user.id, actor=user)
    db.session.commit()


def log_out(user: User) -> None:
    """Logging out ends the account's sessions on every device, not only this one."""
    _end_sessions(user)
    audit.record("user.logout", "user", user.id, actor=user)
    db.session.commit()
    live.disconnect_account(user.id)


def change_password(user: User, current: str, new: str, again: str, address: str | None = None) -> None:
    """A staff member's own new password; their sessions on every device end (the screen that
    asked logs in again with the new session version). The current password is braked as a
    login is (services/login_brake.py)."""
    login_brake.let_in(user.username, address)
    if not user.check_password(current or ""):
        login_brake.failed(address)
        raise DomainError("password_wrong", _l("Mật khẩu hiện tại không đúng."), field="current_password")
    login_brake.succeeded(user.username)
    _check_new_password(new)
    if new != again:
        raise DomainError("password_mismatch", _l("Hai lần nhập mật khẩu mới không giống nhau."),
                          field="new_password_again")
    user.set_password(new)
    _end_sessions(user)
    audit.record("user.password", "user", user.id, actor=user)
    db.session.commit()
    live.disconnect_account(user.id)


def set_password(username: str, password: str, actor: User | str | None = None) -> User:
    """A new password given by whoever runs the accounts (the command line): the account's
    sessions end everywhere."""
    user = find_user(username)
    _check_new_password(password)
    user.set_password(password)
    _end_sessions(user)
    audit.record("user.password", "user", user.id, actor=actor, reset=True)
    db.session.commit()
    live.disconnect_account(user.id)
    return user


def set_active(username: str, active: bool, actor: User | str | None = None) -> User:
    """Disable an account (its sessions end everywhere and it cannot log in) or enable it again."""
    user = find_user(username)
    if user.active == active:
        return user  # already so: nothing to write
    user.active = active
    if not active:
        _end_sessions(user)
    audit.record("user.enable" if active else "user.disable", "user", user.id, actor=actor)
    db.session.commit()
    if not active:
        live.disconnect_account(user.id)
    return user


def authenticate(username: str, password: str, address: str | None = None) -> User:
    """The account whose password this is; refused while password guessing for the account or
    from the address (the client's) is braked (services/login_brake.py)."""
    login_brake.let_in(username, address)
    user = db.session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    if user is None or not user.active or not user.check_password(password or ""):
        login_brake.failed(address)
        raise DomainError("login_failed", _l("Sai tên đăng nhập hoặc mật khẩu."), status=401)
    login_brake.succeeded(username)
    return user
