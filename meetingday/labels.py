"""Human labels for stored codes, translated at render time."""
from flask_babel import lazy_gettext as _l

from .models import (
    CheckInMethod,
    Confirmation,
    InviteeCategory,
    ItemKind,
    MeetingState,
    OrgKind,
    SpeakerKind,
)

ITEM_KINDS = {
    ItemKind.PROCEDURAL: _l("Thủ tục"),
    ItemKind.REPORT: _l("Báo cáo"),
    ItemKind.DISCUSSION: _l("Thảo luận"),
    ItemKind.BREAK: _l("Giải lao"),
    ItemKind.REMARKS: _l("Phát biểu"),
    ItemKind.CONCLUSION: _l("Kết luận"),
}

ORG_KINDS = {
    OrgKind.TOWN: _l("Cơ quan cấp thị xã"),
    OrgKind.WARD: _l("Phường"),
    OrgKind.COMMUNE: _l("Xã"),
    OrgKind.OTHER: _l("Khác"),
}

ORG_GROUPS = {  # group headings on lists, by group key
    "town": _l("Các cơ quan cấp thị xã"),
    "ward": _l("Các phường"),
    "commune": _l("Các xã"),
    "other": _l("Đơn vị khác"),
}

HONORIFICS = {"Ông": _l("Ông"), "Bà": _l("Bà"), "": ""}

CATEGORIES = {
    InviteeCategory.DELEGATE: _l("Đại biểu"),
    InviteeCategory.GUEST: _l("Khách mời"),
}


# A delegate's answer to the invitation (xác nhận tham dự), as the staff's lists show it.
CONFIRMATIONS = {
    Confirmation.ATTENDING: _l("Sẽ dự"),
    Confirmation.SUBSTITUTE: _l("Cử người dự thay"),
    Confirmation.ABSENT: _l("Vắng"),
}

MEETING_STATES = {
    MeetingState.NOT_STARTED: _l("Chưa bắt đầu"),
    MeetingState.IN_SESSION: _l("Đang họp"),
    MeetingState.ON_BREAK: _l("Đang giải lao"),
    MeetingState.ENDED: _l("Đã kết thúc"),
}



SPEAKER_KINDS = {
    SpeakerKind.REMARK: _l("Phát biểu"),
    SpeakerKind.ANSWER: _l("Trả lời kiến nghị"),
}

CHECKIN_METHODS = {
    CheckInMethod.SELF: _l("Tự điểm danh tại hội trường"),
    CheckInMethod.DOOR_SCAN: _l("Lễ tân quét mã"),
    CheckInMethod.DOOR_SEARCH: _l("Lễ tân tìm theo tên"),
}
REGISTERED_AT_DOOR = _l("Lễ tân đăng ký tại cửa")


def checkin_way(method, *, walk_in: bool = False, substitute: bool = False):
    """How someone was checked in, in words: the same on the door, the panels and the export. A
    walk-in or a dự thay is registered by door staff (stored as a door check-in by name)."""
    if method == CheckInMethod.DOOR_SEARCH and (walk_in or substitute):
        return REGISTERED_AT_DOOR
    return CHECKIN_METHODS.get(method, "")
