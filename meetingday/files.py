"""Uploaded files: the units' reports and the meeting's documents.

Every file is kept in one folder (FILES_FOLDER: the instance folder's ``files`` by default, a
shared folder when several processes serve), under a random name the database row keeps, never
under the name it was sent with. A file is accepted only if its content is what it claims: a PDF
begins as a PDF, a Word file is a .docx package (a zip holding a Word document, no macros). The
name it was sent with is cleaned for the download. Nothing here writes the database: the
services that record a document call these functions and audit the change.
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import wraps
from io import BytesIO
from pathlib import Path

from flask import Response, current_app, request, send_file
from flask_babel import lazy_gettext as _l

from .errors import DomainError
from .offload import off_the_hub
from .private_files import FILE_MODE, private_folder

KINDS = {
    "pdf": ("application/pdf", ".pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
}
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCX_UNPACKED_MAX = 200 * 1024 * 1024  # a .docx that unpacks to more is refused (a zip bomb)
NAME_MAX = 150
CONVERT_SECONDS = 120


@dataclass(frozen=True)
class Stored:
    """A file written to the folder: its key there, what it is, its size and digest."""
    key: str
    kind: str
    size: int
    sha256: str


def folder() -> Path:
    path = Path(current_app.config.get("FILES_FOLDER") or Path(current_app.instance_path) / "files")
    private_folder(path)
    return path


def max_bytes() -> int:
    return int(current_app.config["UPLOAD_MAX_BYTES"])


def max_mb() -> str:
    """The largest file taken, in MB as the forms and refusals say it ("20")."""
    return format(max_bytes() / (1024 * 1024), "g")


def too_big() -> DomainError:
    mb = max_mb()
    return DomainError("file_too_big", _l("Tệp lớn hơn %(mb)s MB, chưa được nhận. Hãy gửi bản nhỏ hơn "
                                          "(ví dụ bản PDF nén) hoặc chia thành nhiều tệp.", mb=mb), status=413)


def not_allowed() -> DomainError:
    return DomainError("file_type", _l("Chỉ nhận tệp PDF hoặc Word (.docx). Tệp này không phải PDF hay "
                                       ".docx (kiểm tra theo nội dung tệp), nên chưa được nhận."), status=415)


def empty_file() -> DomainError:
    return DomainError("file_missing", _l("Chưa chọn tệp nào, hoặc tệp rỗng."), status=422)


def gone() -> DomainError:
    return DomainError("file_gone", _l("Tài liệu này không còn được cung cấp."), status=410)


def sniff(data: bytes) -> str | None:
    """What the bytes are, by their content: "pdf", "docx", or None (anything else, a macro-enabled
    Word file or an unreadable or oversized package included)."""
    if data[:1024].lstrip(b"\r\n\t \x00\xef\xbb\xbf").startswith(b"%PDF-"):
        return "pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            infos = package.infolist()
            if sum(i.file_size for i in infos) > DOCX_UNPACKED_MAX:
                return None
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return None
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return None
            types = package.read("[Content_Types].xml")
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return None
    return "docx" if WORD_MAIN.encode() in types else None


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*;]+')


def clean_name(name: str | None, kind: str, fallback: str = "tai-lieu") -> str:
    """The name a file is downloaded as: its last path part, NFC, no control or reserved
    characters, no leading dots, at most NAME_MAX characters, ending in the extension of what it
    is (a "report.exe" that is a PDF becomes "report.exe.pdf")."""
    ext = KINDS[kind][1]
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    base = _UNSAFE.sub(" ", base)
    base = re.sub(r"\s+", " ", base).strip(" .")
    if base.lower().endswith(ext):
        base = base[: -len(ext)].rstrip(" .")
    base = base[: NAME_MAX - len(ext)].rstrip(" .") or fallback
    return base + ext


def allow_upload() -> None:
    """Let this request's body be as large as one file may be (UPLOAD_MAX_BYTES, and room for the
    form around it) rather than MAX_CONTENT_LENGTH: an upload view calls it before reading the
    form."""
    request.max_content_length = max(max_bytes() + 256 * 1024, current_app.config["MAX_CONTENT_LENGTH"])


def upload_view(view):
    """Decorate an upload view (under its roles_required): the request may be as large as one
    file (allow_upload) before anything reads its form, and the CSRF check, which otherwise
    reads the form before every view with the smaller MAX_CONTENT_LENGTH, runs here after."""
    from .extensions import csrf

    @wraps(view)
    def wrapped(*args, **kwargs):
        allow_upload()
        csrf.protect()
        return view(*args, **kwargs)
    csrf.exempt(wrapped)  # from the check before every view: done above instead
    return wrapped


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file (a werkzeug FileStorage), refused if missing, empty or larger
    than UPLOAD_MAX_BYTES."""
    if upload is None or not getattr(upload, "filename", None):
        raise empty_file()
    data = upload.stream.read(max_bytes() + 1)
    if not data:
        raise empty_file()
    if len(data) > max_bytes():
        raise too_big()
    return data


def store(data: bytes) -> Stored:
    """Check what `data` is and write it to the folder (0600, whole or not at all): the Stored
    file, or DomainError file_type / file_too_big / file_missing."""
    if not data:
        raise empty_file()
    if len(data) > max_bytes():
        raise too_big()
    kind = sniff(data)
    if kind is None:
        raise not_allowed()
    return _write(data, kind)


def _write(data: bytes, kind: str) -> Stored:
    key = f"{secrets.token_hex(16)}{KINDS[kind][1]}"
    target = folder() / key
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Stored(key=key, kind=kind, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def path_of(key: str) -> Path:
    """Where a stored file lies; the key is one of ours (hex and an extension), never a path."""
    if not re.fullmatch(r"[0-9a-f]{32}\.(pdf|docx)", key or ""):
        raise gone()
    return folder() / key


def remove(key: str | None) -> None:
    if key:
        path_of(key).unlink(missing_ok=True)


def send(key: str, download_name: str, kind: str, inline: bool = False) -> Response:
    """The file as a response: its checked type, `inline` only for a PDF (a phone's browser shows
    it), else as an attachment; never cached by a shared cache. The headers of every response
    (meetingday/headers.py) add nosniff and the CSP."""
    path = path_of(key)
    if not path.is_file():
        raise gone()
    response = send_file(path, mimetype=KINDS[kind][0], as_attachment=not (inline and kind == "pdf"),
                         download_name=download_name, conditional=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def soffice() -> str | None:
    """LibreOffice's command, where it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(key: str) -> Stored | None:
    """A stored .docx converted to PDF by LibreOffice, stored beside it; None where LibreOffice is
    not installed or the conversion fails (the Word file is then offered as a download). Runs off
    the gevent hub: a conversion takes seconds."""
    command = soffice()
    if command is None:
        return None
    source = path_of(key)
    data = off_the_hub(_convert, command, source)  # a pool thread: no application context there
    if data is None:
        current_app.logger.warning("LibreOffice could not convert a Word file to PDF")
        return None
    return _write(data, "pdf")


def _convert(command: str, source: Path) -> bytes | None:
    """The PDF LibreOffice makes of `source`, or None."""
    with tempfile.TemporaryDirectory(prefix="meetingday-pdf-") as work:
        work_path = Path(work)
        shutil.copyfile(source, work_path / "in.docx")
        profile = (work_path / "profile").as_uri()  # its own profile: conversions never share a lock
        try:
            subprocess.run([command, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                            "--convert-to", "pdf", "--outdir", str(work_path), str(work_path / "in.docx")],
                           check=True, capture_output=True, timeout=CONVERT_SECONDS)
        except (subprocess.SubprocessError, OSError):
            return None
        out = work_path / "in.pdf"
        data = out.read_bytes() if out.is_file() else b""
    return data if sniff(data) == "pdf" else None


def store_readable(data: bytes) -> tuple[Stored, Stored | None]:
    """Store an upload (see store) and, for a Word file, its PDF where LibreOffice can make one:
    (the file as sent, the PDF a phone opens or None). Every upload of a report or a document
    comes in here."""
    stored = store(data)
    pdf = convert_to_pdf(stored.key) if stored.kind == "docx" else None
    return stored, pdf
