"""The demo's answers to the invitation (xác nhận tham dự): a dozen delegates answered from their
pass before the day; most will attend, two send someone in their place, two will be absent.
Given through the service, as from the delegates' phones. Fictitious people."""
from __future__ import annotations

from ..models import Confirmation, Meeting
from . import confirmations

ATTENDING, SUBSTITUTE, ABSENT = Confirmation.ATTENDING, Confirmation.SUBSTITUTE, Confirmation.ABSENT

# Whose answer (as on the list of invitees), what they answered, the substitute's name and
# position, the reason of an absence.
ANSWERS = [
    ("Nguyễn Văn Công", ATTENDING, "", "", ""),
    ("Đặng Thị Thu Hà", ATTENDING, "", "", ""),
    ("Trần Đình Nghĩa", ATTENDING, "", "", ""),
    ("Đỗ Quốc Việt", ATTENDING, "", "", ""),
    ("Hồ Văn Lâm", ATTENDING, "", "", ""),
    ("Trần Văn Hiệp", ATTENDING, "", "", ""),
    ("Phạm Văn Long", ATTENDING, "", "", ""),
    ("Lê Tấn Hòa", ATTENDING, "", "", ""),
    ("Võ Thị Thanh Xuân", SUBSTITUTE, "Trần Minh Tuấn", "Ủy viên Ban Pháp chế HĐND phường Phổ Ninh", ""),
    ("Ngô Quang Vinh", SUBSTITUTE, "Lê Thị Ngọc Hân", "Ủy viên Ban Kinh tế - Xã hội HĐND xã Phổ Châu", ""),
    ("Dương Văn Được", ABSENT, "", "", "Đi công tác tỉnh"),
    ("Lương Thị Mỹ Dung", ABSENT, "", "", "Nghỉ ốm"),
]


def load(meeting: Meeting) -> None:
    """Give the demo meeting's answers (a new demo meeting: nobody has answered yet)."""
    people = {p.full_name: p for p in meeting.invitees}
    for name, choice, substitute, position, reason in ANSWERS:
        person = people[name]
        confirmations.confirm(person, choice, substitute, position, reason, seen=confirmations.revision(person))
