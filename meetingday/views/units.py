"""A reporting unit's submission link (/u/<token>): opened without an account, from the message
the Văn phòng sent. The unit sends its report (services/reports.py) and, a xã or phường, its kiến
nghị (services/unit_kien_nghi.py); who the unit is and whether the link works, by
services/units.py.

The page has two cards, each a fragment with a stable id that its forms replace (htmx):
``#unit-report`` (templates/units/_report.html) and ``#unit-kn`` (templates/units/_kien_nghi.html).
A refusal about a field of a form comes back on the form (422); another refused change comes back
as the card as it is now with the message at its top (its forms then carry the fresh state, so a
change made meanwhile on another device is seen before trying again); an unknown link or kiến
nghị is the app's 404. Without scripts the report form posts as a plain form and comes back to the
page (with the message under the field, or "received").
"""
from __future__ import annotations

import io

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _

from .. import files, ratelimit
from ..access import public
from ..errors import DomainError
from ..extensions import db, htmx
from ..headers import private_page as _private
from ..models import ReportingUnit
from ..refusals import field_errors
from ..services import kien_nghi, kien_nghi_import, reports, unit_kien_nghi, units
from ..services.import_template import XLSX_MIME

bp = Blueprint("units", __name__)
KN_FIELDS = ("content", "sent_by")


# --------------------------------------------------------------------------- the cards

def _report_card(unit: ReportingUnit, token: str, **context) -> str:
    return render_template("units/_report.html", unit=unit, meeting=unit.meeting, token=token,
                           reports=reports.current(unit), seen=reports.seen_token(unit),
                           late=units.is_late(unit.meeting), values=context.pop("values", {}),
                           errors=context.pop("errors", {}), **context)


def _import_urls(token: str) -> dict:
    return {"preview": url_for("units.import_preview", token=token),
            "confirm": url_for("units.import_confirm", token=token),
            "cancel": url_for("units.import_form", token=token),
            "sample": url_for("units.sample", token=token)}


def _import_panel(unit: ReportingUnit, token: str, **context) -> str:
    """The staff import's panel (templates/kien_nghi/_import.html) with the link's addresses."""
    return render_template("kien_nghi/_import.html", meeting=unit.meeting, import_urls=_import_urls(token),
                           import_fields="units/_import_sender.html", unit=unit, import_hint=_(
                               "Dòng tiêu đề có cột Nội dung (bắt buộc); cột Đơn vị có thể bỏ trống hoặc ghi tên "
                               "đơn vị mình; cột Ban không bắt buộc. Tệp CSV cần được lưu bằng bảng mã UTF-8."),
                           **context)


def _kn_context(unit: ReportingUnit, token: str) -> dict:
    meeting = unit.meeting
    return {"unit": unit, "meeting": meeting, "token": token, "rows": unit_kien_nghi.own(unit),
            "editable": unit_kien_nghi.editable, "edit_token": kien_nghi.edit_token,
            "labels": kien_nghi.STATUS_LABELS, "late": units.is_late(meeting)}


def _kn_card(unit: ReportingUnit, token: str, **context) -> str:
    context.setdefault("import_panel", _import_panel(unit, token))
    return render_template("units/_kien_nghi.html", **_kn_context(unit, token), values=context.pop("values", {}),
                           errors=context.pop("errors", {}), **context)


def _unit(token: str) -> ReportingUnit:
    return units.find_link(token).unit


# --------------------------------------------------------------------------- the page

def _page(unit: ReportingUnit, token: str, status: int = 200, **report) -> Response:
    meeting = unit.meeting
    return _private(render_template(
        "units/page.html", unit=unit, meeting=meeting, token=token, deadline=units.deadline(meeting),
        late=units.is_late(meeting), days_left=units.days_left(meeting),
        report_card=_report_card(unit, token, **report) if unit.asks_report else "",
        kn_card=_kn_card(unit, token) if unit.asks_kien_nghi else ""), status)


@bp.get("/u/<token>")
@public
@ratelimit.public_link()
def show(token: str):
    link = units.find_link(token)
    return _page(link.unit, link.token)


# --------------------------------------------------------------------------- the report

@bp.post("/u/<token>/report")
@public
@ratelimit.public_link()
def submit_report(token: str):
    files.allow_upload()
    unit = _unit(token)
    values = {"sent_by": request.form.get("sent_by", "")}
    try:
        upload = request.files.get("file")
        data = files.read_upload(upload)
        doc = reports.submit(unit, data, upload.filename, values["sent_by"], seen=request.form.get("seen"))
    except DomainError as e:
        db.session.rollback()
        errors = {e.details.get("field") or "file": e.message}
        if not htmx:  # a plain form: the page again, the message under the field
            return _page(unit, token, e.status, values=values, errors=errors)
        return _private(_report_card(unit, token, values=values, errors=errors), e.status)
    message = _("Đã nhận báo cáo “%(name)s”.", name=doc.filename)
    if not htmx:
        flash(message, "ok")
        return redirect(url_for("units.show", token=token) + "#unit-report", 303)
    return _private(_report_card(unit, token, done=message, values=values))


@bp.get("/u/<token>/report")
@public
@ratelimit.public_link()
def open_report(token: str):
    """The unit's report (by default the latest; ?d=<id> one of those standing), a PDF shown in the
    browser, a Word file downloaded; ?as=pdf the PDF made of a Word file."""
    doc = reports.find(_unit(token), request.args.get("d"))
    if request.args.get("as") == "pdf" and doc.pdf_name:
        name = doc.filename.rsplit(".", 1)[0] + ".pdf"
        return files.send(doc.pdf_name, name, "pdf", inline=True)
    return files.send(doc.stored_name, doc.filename, doc.kind, inline=True)


@bp.post("/u/<token>/report/withdraw")
@public
@ratelimit.public_link()
def withdraw_report(token: str):
    unit = _unit(token)
    try:
        reports.withdraw(unit, request.form.get("document_id"), seen=request.form.get("seen"))
    except DomainError as e:
        db.session.rollback()
        return _private(_report_card(unit, token, problem=e.message), e.status)
    return _private(_report_card(unit, token, done=_("Đã rút báo cáo.")))


# --------------------------------------------------------------------------- kiến nghị

def _refused(unit: ReportingUnit, token: str, e: DomainError, **context) -> Response:
    """A refused change of a kiến nghị: the card as it is now, the message at its top (a 404 is
    the app's own answer)."""
    db.session.rollback()
    if e.status == 404:
        raise e
    return _private(_kn_card(unit, token, problem=e.message, **context), e.status)


@bp.get("/u/<token>/kien-nghi")
@public
@ratelimit.public_link()
def kn_card(token: str):
    return _private(_kn_card(_unit(token), token))


@bp.post("/u/<token>/kien-nghi")
@public
@ratelimit.public_link()
def add_kien_nghi(token: str):
    unit = _unit(token)
    values = {name: request.form.get(name, "") for name in KN_FIELDS}
    try:
        unit_kien_nghi.add(unit, values["content"], values["sent_by"])
    except DomainError as e:
        errors = field_errors(e, KN_FIELDS)
        if errors is None:
            return _refused(unit, token, e, values=values)
        return _private(_kn_card(unit, token, values=values, errors=errors), 422)
    return _private(_kn_card(unit, token, values={"sent_by": values["sent_by"]},
                             done=_("Đã nhận kiến nghị. Đề nghị Quý đơn vị gửi tiếp kiến nghị khác nếu có.")))


@bp.get("/u/<token>/kien-nghi/<int:kn_id>/edit")
@public
@ratelimit.public_link()
def edit_kien_nghi(token: str, kn_id: int):
    unit = _unit(token)
    kn = unit_kien_nghi.get_own(unit, kn_id)
    return _private(_kn_card(unit, token, editing=kn.id))


@bp.post("/u/<token>/kien-nghi/<int:kn_id>")
@public
@ratelimit.public_link()
def update_kien_nghi(token: str, kn_id: int):
    unit = _unit(token)
    content = request.form.get("content", "")
    try:
        unit_kien_nghi.update(unit, kn_id, content, seen=request.form.get("seen", ""))
    except DomainError as e:
        errors = field_errors(e, ("content",))
        if errors is None:
            return _refused(unit, token, e)
        return _private(_kn_card(unit, token, editing=kn_id, edit_values={"content": content}, edit_errors=errors),
                        422)
    return _private(_kn_card(unit, token, done=_("Đã lưu kiến nghị đã sửa.")))


@bp.post("/u/<token>/kien-nghi/<int:kn_id>/delete")
@public
@ratelimit.public_link()
def delete_kien_nghi(token: str, kn_id: int):
    unit = _unit(token)
    try:
        unit_kien_nghi.delete(unit, kn_id, seen=request.form.get("seen", ""))
    except DomainError as e:
        return _refused(unit, token, e)
    return _private(_kn_card(unit, token, done=_("Đã xóa kiến nghị.")))


# --------------------------------------------------------------------------- kiến nghị from a spreadsheet

@bp.get("/u/<token>/kien-nghi/import")
@public
@ratelimit.public_link()
def import_form(token: str):
    return _private(_import_panel(_unit(token), token))


@bp.post("/u/<token>/kien-nghi/import")
@public
@ratelimit.public_link()
def import_preview(token: str):
    unit = _unit(token)
    sender = request.form.get("sent_by", "")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _private(_import_panel(unit, token, error=_("Vui lòng chọn tệp."), sent_by=sender), 422)
    try:
        result = unit_kien_nghi.preview(unit, upload.filename, upload.read(), sender)
    except DomainError as e:
        db.session.rollback()
        return _private(_import_panel(unit, token, error=e.message, sent_by=sender), 422)
    return _private(_import_panel(unit, token, preview=result, blob=unit_kien_nghi.sign(unit, result),
                                  sent_by=sender))


@bp.post("/u/<token>/kien-nghi/import/confirm")
@public
@ratelimit.public_link()
def import_confirm(token: str):
    unit = _unit(token)
    added, skipped = unit_kien_nghi.apply(unit, request.form.get("rows", ""), request.form.get("sent_by", ""),
                                          only_valid=request.form.get("only_valid") == "1")
    if skipped:
        message = _("Đã nhập %(added)s kiến nghị; bỏ qua %(skipped)s dòng lỗi.", added=added, skipped=len(skipped))
    else:
        message = _("Đã nhập %(added)s kiến nghị.", added=added)
    return _private(_import_panel(unit, token, done=message, sent_by=request.form.get("sent_by", ""))
                    + render_template("units/_kn_list.html", **_kn_context(unit, token), oob=True))


@bp.get("/u/<token>/mau-kien-nghi.xlsx")
@public
@ratelimit.public_link()
def sample(token: str):
    unit = _unit(token)
    return send_file(io.BytesIO(kien_nghi_import.template(unit.organisation)), mimetype=XLSX_MIME,
                     as_attachment=True, download_name=kien_nghi_import.TEMPLATE_NAME, max_age=0)
