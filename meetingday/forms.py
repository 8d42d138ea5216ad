"""Flask-WTF forms (CSRF on every one). Rules live in the services; forms check types."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (BooleanField, DateField, HiddenField, IntegerField, PasswordField, SelectField,
                     StringField, TextAreaField, TimeField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from . import labels
from .models import InviteeCategory, ItemKind

REQUIRED = _l("Vui lòng nhập mục này.")


class LoginForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(REQUIRED), Length(max=64)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(REQUIRED), Length(max=200)])
    remember = BooleanField(_l("Ghi nhớ trên máy này"))


class MeetingForm(FlaskForm):
    title = StringField(_l("Tên hội nghị"), validators=[DataRequired(REQUIRED), Length(max=300)])
    host_body = StringField(_l("Cơ quan chủ trì"), validators=[DataRequired(REQUIRED), Length(max=200)])
    issuing_body = StringField(_l("Cơ quan ban hành (dòng trên)"),
                               validators=[DataRequired(REQUIRED), Length(max=200)])
    issuing_unit = StringField(_l("Đơn vị ban hành (dòng dưới)"), validators=[Length(max=200)])
    locality = StringField(_l("Địa danh"), validators=[Length(max=100)])
    place = StringField(_l("Địa điểm"), validators=[DataRequired(REQUIRED), Length(max=300)])
    start_date = DateField(_l("Ngày họp"), validators=[InputRequired(REQUIRED)],
                           format="%Y-%m-%d")
    start_time = TimeField(_l("Giờ bắt đầu"), validators=[InputRequired(REQUIRED)])
    content = TextAreaField(_l("Nội dung"), validators=[Length(max=4000)])
    invitation_number = StringField(_l("Số giấy mời"), validators=[Length(max=60)])
    invitation_date = DateField(_l("Ngày ký giấy mời"), validators=[Optional()], format="%Y-%m-%d")
    signer_title = TextAreaField(_l("Thẩm quyền ký (mỗi dòng một chức danh)"), validators=[Length(max=200)])
    signer_name = StringField(_l("Người ký"), validators=[Length(max=120)])
    chair_name = StringField(_l("Chủ trì"), validators=[Length(max=120)])
    secretary_name = StringField(_l("Thư ký"), validators=[Length(max=120)])


class AgendaItemForm(FlaskForm):
    title = StringField(_l("Tên mục"), validators=[DataRequired(REQUIRED), Length(max=400)])
    kind = SelectField(_l("Loại"), choices=[(k.value, lbl) for k, lbl in labels.ITEM_KINDS.items()],
                       default=ItemKind.REPORT.value)
    planned_minutes = IntegerField(
        _l("Số phút dự kiến"), default=10,
        validators=[InputRequired(_l("Vui lòng nhập số phút.")),
                    NumberRange(1, 600, _l("Thời lượng dự kiến phải từ 1 đến %(max)s phút.", max=600))])
    presenter = StringField(_l("Người trình bày"), validators=[Length(max=200)])


class InviteeForm(FlaskForm):
    full_name = StringField(_l("Họ và tên"), validators=[DataRequired(REQUIRED), Length(max=120)])
    honorific = SelectField(_l("Danh xưng"), choices=[("", "—"), ("Ông", _l("Ông")), ("Bà", _l("Bà"))])
    position = StringField(_l("Chức vụ"), validators=[Length(max=200)])
    organisation_id = SelectField(_l("Đơn vị"), coerce=int, choices=[])
    category = SelectField(_l("Thành phần"), default=InviteeCategory.DELEGATE.value,
                           choices=[(c.value, lbl) for c, lbl in labels.CATEGORIES.items()])
    phone = StringField(_l("Điện thoại (không bắt buộc)"), validators=[Length(max=20)])


class ImportUploadForm(FlaskForm):
    file = FileField(_l("Tệp danh sách (.xlsx hoặc .csv)"), validators=[
        FileRequired(_l("Vui lòng chọn tệp.")),
        FileAllowed(["xlsx", "csv"], _l("Chỉ nhận tệp .xlsx hoặc .csv."))])


class ImportConfirmForm(FlaskForm):
    rows = HiddenField()
    only_valid = HiddenField(default="0")


class ActionForm(FlaskForm):
    """A button that changes something: carries only the CSRF token."""
