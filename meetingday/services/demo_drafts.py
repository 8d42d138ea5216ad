"""The demo's Bans have prepared their answers to three of the communes' kiến nghị (through the
service a Ban uses, services/kien_nghi.draft), and Ban Pháp chế has an account of its own.
Fictitious content, in the manner of Đức Phổ's 2024 briefing."""
from __future__ import annotations

from sqlalchemy import select

from ..models import KienNghi, Meeting, Organisation, Role, User
from ..extensions import db
from ..timeutil import to_local
from . import kien_nghi, users

# username, full name, the key of its Ban
DEMO_BAN_ACCOUNTS = [("banphapche", "Ban Pháp chế HĐND thị xã", "ban_phap_che")]

# The commune and the Ban of a demo kiến nghị (demo_data.KIEN_NGHI), the answer its Ban prepared
# ({year}: the meeting's year) and who will give it.
DRAFTS = [
    ("xa_pho_an", "ban_phap_che",
     "Ban Pháp chế HĐND thị xã phối hợp với Văn phòng HĐND và UBND thị xã xây dựng bộ biểu mẫu hướng dẫn "
     "giám sát chuyên đề của HĐND cấp xã (kế hoạch, đề cương, báo cáo kết quả giám sát, sổ theo dõi việc "
     "thực hiện kiến nghị sau giám sát), gửi Thường trực HĐND các xã, phường trong tháng 7/{year}. Nội dung "
     "này cũng được đưa vào lớp tập huấn đại biểu HĐND cấp xã 6 tháng cuối năm.",
     "Ông Trần Đình Nghĩa, Trưởng Ban Pháp chế HĐND thị xã"),
    ("xa_pho_chau", "ban_phap_che",
     "Việc thẩm tra và ban hành nghị quyết của HĐND xã thực hiện theo Luật Tổ chức chính quyền địa phương "
     "và Luật Ban hành văn bản quy phạm pháp luật; nghị quyết về kế hoạch đầu tư công trung hạn và điều "
     "chỉnh dự toán ngân sách xã do Ban Kinh tế - Ngân sách HĐND xã thẩm tra trước khi trình kỳ họp. Ban "
     "Pháp chế sẽ tham mưu Thường trực HĐND thị xã ban hành văn bản hướng dẫn chung, kèm quy trình mẫu.",
     "Bà Lương Thị Kim Oanh, Phó Trưởng Ban Pháp chế HĐND thị xã"),
    ("xa_pho_khanh", "ban_kinh_te_xa_hoi",
     "Kinh phí hoạt động của HĐND cấp xã năm {year} được bố trí theo định mức phân bổ dự toán chi thường "
     "xuyên của tỉnh. Ban Kinh tế - Xã hội đã làm việc với Phòng Tài chính - Kế hoạch thị xã; trong đợt điều "
     "chỉnh dự toán giữa năm, UBND thị xã sẽ xem xét bổ sung kinh phí giám sát, tiếp xúc cử tri cho các xã "
     "có nhu cầu, trên cơ sở đề xuất của UBND xã.",
     "Ông Đỗ Quốc Việt, Trưởng Ban Kinh tế - Xã hội HĐND thị xã"),
]


def _org(key: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.key == key))


def load_accounts(password: str) -> None:
    """The Bans' demo accounts (added when missing)."""
    for username, full_name, ban_key in DEMO_BAN_ACCOUNTS:
        if not db.session.scalar(select(User.id).where(User.username == username)):
            users.create_user(username, full_name, password, [Role.BAN], actor="demo", organisation=_org(ban_key))


def load(meeting: Meeting, password: str) -> None:
    """The prepared answers of the new demo meeting, and the Bans' accounts."""
    load_accounts(password)
    year = to_local(meeting.starts_at).year
    for commune, ban_key, text, by in DRAFTS:
        commune_org, ban = _org(commune), _org(ban_key)
        kn = db.session.scalar(select(KienNghi).where(
            KienNghi.meeting_id == meeting.id, KienNghi.organisation_id == commune_org.id,
            KienNghi.assigned_org_id == ban.id).order_by(KienNghi.id))
        kien_nghi.draft(meeting.id, kn.id, text.format(year=year), by, seen_revision=kn.draft_revision,
                        by_org_id=ban.id, actor="demo")
