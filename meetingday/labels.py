"""Human labels for stored codes, translated at render time."""
from flask_babel import lazy_gettext as _l

from .models import InviteeCategory, ItemKind, MeetingState, OrgKind, SpeakerKind

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
