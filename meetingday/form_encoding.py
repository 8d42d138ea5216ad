"""Form bodies read as UTF-8, strictly, for every form (htmx or not): bytes that are not UTF-8
are refused (400, `text_not_utf8`) and nothing is read from the body.

Werkzeug keeps such bytes of an urlencoded body as the text "%FF%FE" and replaces them in a
multipart body with U+FFFD; either would be stored as if typed. The app's request class
(`create_app` sets it) reads forms with the parser below instead.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Request
from flask_babel import lazy_gettext as _l
from werkzeug.formparser import FormDataParser

from .errors import DomainError

REPLACEMENT = "\ufffd"  # what Werkzeug puts for bytes of a multipart field that are not UTF-8


def text_not_utf8() -> DomainError:
    return DomainError("text_not_utf8", _l(
        "Dữ liệu gửi lên có ký tự không đọc được (không phải mã UTF-8), nên chưa được lưu. "
        "Vui lòng gõ lại nội dung rồi gửi lại."), status=400)


class StrictFormDataParser(FormDataParser):
    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        try:
            items = parse_qsl(stream.read().decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise text_not_utf8() from None
        return stream, self.cls(items), self.cls()

    def _parse_multipart(self, stream, mimetype, content_length, options):
        stream, form, files = super()._parse_multipart(stream, mimetype, content_length, options)
        if any(REPLACEMENT in name or REPLACEMENT in value for name, value in form.items(multi=True)):
            raise text_not_utf8()
        return stream, form, files


class StrictFormRequest(Request):
    form_data_parser_class = StrictFormDataParser

    def _load_form_data(self) -> None:
        try:
            super()._load_form_data()
        except DomainError:
            # Whatever reads the form after the refusal finds it empty, never the bytes sent.
            self.__dict__.update(form=self.parameter_storage_class(), files=self.parameter_storage_class())
            raise
