"""The one domain error: a stable code for programs and tests, a message for people; and the
refusals that several services give, each built here once."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError


class DomainError(Exception):
    """A rule was broken. Views and socket handlers translate it; nothing was written.

    `code` is stable (tests and clients match on it); `message` is already translated
    into the user's language (a lazy string, rendered in the request's locale).
    """

    status = 400

    def __init__(self, code: str, message, status: int | None = None, **details):
        super().__init__(code)
        self.code = code
        self.message = message
        self.details = details
        if status is not None:
            self.status = status

    def __str__(self) -> str:  # pragma: no cover - for logs
        return f"{self.code}: {self.message}"


def meeting_not_found() -> DomainError:
    return DomainError("meeting_not_found", _l("Không tìm thấy hội nghị."), status=404)


def item_not_found() -> DomainError:
    return DomainError("item_not_found", _l("Không tìm thấy mục này trong chương trình."), status=404)


def invitee_not_found() -> DomainError:
    return DomainError("invitee_not_found", _l("Không tìm thấy người này trong danh sách mời."), status=404)


def database_lost(error: BaseException) -> bool:
    """The database did not answer (stopped, unreachable, its file not opened, a dropped
    connection), as opposed to a statement it refused: worth trying again later."""
    return isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated)


def database_unavailable() -> DomainError:
    """What a screen is told while the database does not answer (503): nothing was done."""
    return DomainError("database_unavailable", _l(
        "Máy chủ tạm thời không kết nối được cơ sở dữ liệu, thao tác chưa được thực hiện. "
        "Vui lòng thử lại sau ít phút; nếu vẫn vậy, hãy báo cán bộ kỹ thuật."), status=503)


def refuse(error: DomainError):
    """Undo what the refused change set or locked in the session (a row lock, a version bump),
    then raise `error`."""
    from .extensions import db

    db.session.rollback()
    raise error
