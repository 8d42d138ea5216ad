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
from .models import InviteeCategory, ItemKind, OrgKind

REQUIRED = _l("Vui lòng nhập mục này.")

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
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(REQUIRED), Length(max=64)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(REQUIRED), Length(max=200)])
    remember = BooleanField(_l("Ghi nhớ trên máy này"))


class MeetingForm(Form):
    title = StringField(_l("Tên hội nghị"), validators=[DataRequired(REQUIRED), Length(max=300)])
    host_body = StringField(_l("Cơ quan chủ trì"), validators=[DataRequired(REQUIRED), Length(max=200)])
    issuing_body = StringField(_l("Cơ quan ban hành (dòng trên)"),
                               validators=[DataRequired(REQUIRED), Length(max=200)])
    issuing_unit = StringField(_l("Đơn vị ban hành (dòng dưới)"), validators=[Length(max=200)])
    locality = StringField(_l("Địa danh"), validators=[Length(max=100)])
    place = StringField(_l("Địa điểm"), validators=[DataRequired(REQUIRED), Length(max=300)])
    start_date = DateField(_l("Ngày họp"), validators=[InputRequired(REQUIRED)], format=DATE_FORMAT)
    start_time = TimeField(_l("Giờ bắt đầu"), validators=[InputRequired(REQUIRED)], format=TIME_FORMAT)
    content = TextAreaField(_l("Nội dung"), validators=[Length(max=4000)])
    invitation_number = StringField(_l("Số giấy mời"), validators=[Length(max=60)])
    invitation_date = DateField(_l("Ngày ký giấy mời"), validators=[Optional()], format=DATE_FORMAT)
    signer_title = TextAreaField(_l("Thẩm quyền ký (mỗi dòng một chức danh)"), validators=[Length(max=200)])
    signer_name = StringField(_l("Người ký"), validators=[Length(max=120)])
    chair_name = StringField(_l("Chủ trì"), validators=[Length(max=120)])
    secretary_name = StringField(_l("Thư ký"), validators=[Length(max=120)])
    details_revision = HiddenField()  # of the meeting being edited (see meetings.update_meeting)


class AgendaItemForm(Form):
    title = StringField(_l("Tên mục"), validators=[DataRequired(REQUIRED), Length(max=400)])
    kind = SelectField(_l("Loại"), choices=[SelectChoice(k.value, lbl) for k, lbl in labels.ITEM_KINDS.items()],
                       default=ItemKind.REPORT.value)
    planned_minutes = IntegerField(
        _l("Số phút dự kiến"), default=10,
        validators=[InputRequired(_l("Vui lòng nhập số phút.")),
                    NumberRange(1, 600, _l("Thời lượng dự kiến phải từ 1 đến %(max)s phút.", max=600))])
    presenter = StringField(_l("Người trình bày"), validators=[Length(max=200)])
    seen = HiddenField()  # what the row showed of the item being edited (see agenda.update_item)


class InviteeForm(Form):
    full_name = StringField(_l("Họ và tên"), validators=[DataRequired(REQUIRED), Length(max=120)])
    honorific = SelectField(_l("Danh xưng"), choices=[SelectChoice("", "—"), SelectChoice("Ông", _l("Ông")), SelectChoice("Bà", _l("Bà"))])
    position = StringField(_l("Chức vụ"), validators=[Length(max=200)])
    organisation_id = SelectField(_l("Đơn vị"), coerce=int, choices=[])
    category = SelectField(_l("Thành phần"), default=InviteeCategory.DELEGATE.value,
                           choices=[SelectChoice(c.value, lbl) for c, lbl in labels.CATEGORIES.items()])
    phone = StringField(_l("Điện thoại (không bắt buộc)"), validators=[Length(max=20)])
    revision = HiddenField()  # of the invitee being edited (see invitees.update_invitee)


class OrganisationForm(Form):
    name = StringField(_l("Tên đầy đủ"), validators=[DataRequired(REQUIRED), Length(max=200)])
    short_name = StringField(_l("Tên ngắn (hiện trong danh sách)"), validators=[Length(max=120)])
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
