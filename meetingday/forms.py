"""Flask-WTF forms (CSRF on every one). Rules live in the services; forms check types."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (BooleanField, DateField, HiddenField, IntegerField, PasswordField, SelectField,
                     StringField, TextAreaField, TimeField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from . import labels
from .models import AgendaItem, Invitee, InviteeCategory, ItemKind, Meeting, Organisation, OrgKind, User, max_length
from .services.agenda import MAX_MINUTES

REQUIRED = _l("Vui lòng nhập mục này.")


def _fits(attribute) -> Length:
    """No longer than the column it is saved in (models.max_length)."""
    return Length(max=max_length(attribute))

# WTForms' own messages (it has no Vietnamese catalogue), said in our words and languages.
WTFORMS_MESSAGES = {
    "This field is required.": REQUIRED,
    "Not a valid date value.": _l("Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 27/06/2024."),
    "Not a valid time value.": _l("Giờ không hợp lệ: nhập theo dạng giờ:phút, ví dụ 07:30."),
    "Not a valid datetime value.": _l("Thời gian không hợp lệ."),
    "Not a valid integer value.": _l("Vui lòng nhập một số nguyên."),
    "Not a valid choice.": _l("Lựa chọn không hợp lệ."),
    "Invalid Choice: could not coerce.": _l("Lựa chọn không hợp lệ."),
    "Field cannot be longer than %(max)d character.": _l("Nội dung dài quá %(max)d ký tự."),
    "Field cannot be longer than %(max)d characters.": _l("Nội dung dài quá %(max)d ký tự."),
    "Field must be between %(min)d and %(max)d characters long.": _l("Nội dung phải dài từ %(min)d đến %(max)d ký tự."),
    "Number must be between %(min)s and %(max)s.": _l("Số phải nằm trong khoảng %(min)s đến %(max)s."),
    "Invalid input.": _l("Giá trị không hợp lệ."),
}


class _Messages:
    """The translations object WTForms asks for its built-in messages."""

    def gettext(self, string):
        message = WTFORMS_MESSAGES.get(string)
        return str(message) if message is not None else string

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _Messages()


DATE_FORMAT = "%d/%m/%Y"  # dd/mm/yyyy, as Vietnamese offices write dates
TIME_FORMAT = "%H:%M"


class LoginForm(Form):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(REQUIRED), _fits(User.username)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(REQUIRED), Length(max=200)])
    remember = BooleanField(_l("Ghi nhớ trên máy này"))


class PasswordForm(Form):
    """A staff member's own new password; the rules are in services/users.py."""
    current_password = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(REQUIRED), Length(max=200)])
    new_password = PasswordField(_l("Mật khẩu mới"), validators=[DataRequired(REQUIRED), Length(max=200)])
    new_password_again = PasswordField(_l("Nhập lại mật khẩu mới"),
                                       validators=[DataRequired(REQUIRED), Length(max=200)])


class MeetingForm(Form):
    title = StringField(_l("Tên hội nghị"), validators=[DataRequired(REQUIRED), _fits(Meeting.title)])
    host_body = StringField(_l("Cơ quan chủ trì"), validators=[DataRequired(REQUIRED), _fits(Meeting.host_body)])
    issuing_body = StringField(_l("Cơ quan ban hành (dòng trên)"),
                               validators=[DataRequired(REQUIRED), _fits(Meeting.issuing_body)])
    issuing_unit = StringField(_l("Đơn vị ban hành (dòng dưới)"), validators=[_fits(Meeting.issuing_unit)])
    locality = StringField(_l("Địa danh"), validators=[_fits(Meeting.locality)])
    place = StringField(_l("Địa điểm"), validators=[DataRequired(REQUIRED), _fits(Meeting.place)])
    start_date = DateField(_l("Ngày họp"), validators=[InputRequired(REQUIRED)], format=DATE_FORMAT)
    start_time = TimeField(_l("Giờ bắt đầu"), validators=[InputRequired(REQUIRED)], format=TIME_FORMAT)
    content = TextAreaField(_l("Nội dung"), validators=[_fits(Meeting.content)])
    invitation_number = StringField(_l("Số giấy mời"), validators=[_fits(Meeting.invitation_number)])
    invitation_date = DateField(_l("Ngày ký giấy mời"), validators=[Optional()], format=DATE_FORMAT)
    signer_title = TextAreaField(_l("Thẩm quyền ký (mỗi dòng một chức danh)"), validators=[_fits(Meeting.signer_title)])
    signer_name = StringField(_l("Người ký"), validators=[_fits(Meeting.signer_name)])
    chair_name = StringField(_l("Chủ trì"), validators=[_fits(Meeting.chair_name)])
    secretary_name = StringField(_l("Thư ký"), validators=[_fits(Meeting.secretary_name)])
    reports_due = DateField(_l("Hạn xã, phường gửi báo cáo và kiến nghị"), validators=[Optional()], format=DATE_FORMAT)
    contact = StringField(_l("Người liên hệ (họ tên, chức vụ, điện thoại)"), validators=[_fits(Meeting.contact)])
    details_revision = HiddenField()  # of the meeting being edited (see meetings.update_meeting)


class AgendaItemForm(Form):
    title = StringField(_l("Tên mục"), validators=[DataRequired(REQUIRED), _fits(AgendaItem.title)])
    kind = SelectField(_l("Loại"), choices=[SelectChoice(k.value, lbl) for k, lbl in labels.ITEM_KINDS.items()],
                       default=ItemKind.REPORT.value)
    planned_minutes = IntegerField(
        _l("Số phút dự kiến"), default=10,
        validators=[InputRequired(_l("Vui lòng nhập số phút.")),
                    NumberRange(1, MAX_MINUTES, _l("Thời lượng dự kiến phải từ 1 đến %(max)s phút.", max=MAX_MINUTES))])
    presenter = StringField(_l("Người trình bày"), validators=[_fits(AgendaItem.presenter)])
    seen = HiddenField()  # what the row showed of the item being edited (see agenda.update_item)


class InviteeForm(Form):
    full_name = StringField(_l("Họ và tên"), validators=[DataRequired(REQUIRED), _fits(Invitee.full_name)])
    honorific = SelectField(_l("Danh xưng"), choices=[SelectChoice("", "—"), SelectChoice("Ông", _l("Ông")), SelectChoice("Bà", _l("Bà"))])
    position = StringField(_l("Chức vụ"), validators=[_fits(Invitee.position)])
    organisation_id = SelectField(_l("Đơn vị"), coerce=int, choices=[])
    category = SelectField(_l("Thành phần"), default=InviteeCategory.DELEGATE.value,
                           choices=[SelectChoice(c.value, lbl) for c, lbl in labels.CATEGORIES.items()])
    phone = StringField(_l("Điện thoại (không bắt buộc)"), validators=[_fits(Invitee.phone)])
    revision = HiddenField()  # of the invitee being edited (see invitees.update_invitee)


class OrganisationForm(Form):
    name = StringField(_l("Tên đầy đủ"), validators=[DataRequired(REQUIRED), _fits(Organisation.name)])
    short_name = StringField(_l("Tên ngắn (hiện trong danh sách)"), validators=[_fits(Organisation.short_name)])
    kind = SelectField(_l("Loại đơn vị"), default=OrgKind.OTHER.value,
                       choices=[SelectChoice(k.value, lbl) for k, lbl in labels.ORG_KINDS.items()])
    seen = HiddenField()  # what the row showed of the unit being edited (see organisations.shown)


class ImportUploadForm(Form):
    file = FileField(_l("Tệp danh sách (.xlsx hoặc .csv)"), validators=[
        FileRequired(_l("Vui lòng chọn tệp.")),
        FileAllowed(["xlsx", "csv"], _l("Chỉ nhận tệp .xlsx hoặc .csv."))])


class ImportConfirmForm(Form):
    rows = HiddenField()
    only_valid = HiddenField(default="0")


class ActionForm(Form):
    """A button that changes something: carries only the CSRF token."""
