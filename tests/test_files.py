"""Uploaded files: checked by content, stored privately, names cleaned, Word converted to PDF."""
import io
import os
import stat
import zipfile

import pytest

from meetingday import files
from meetingday.errors import DomainError

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes(main_type=files.WORD_MAIN, extra=()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", f'<Types><Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>')
        z.writestr("word/document.xml", "<w:document/>")
        for name in extra:
            z.writestr(name, "x")
    return out.getvalue()


def test_content_decides_the_kind():
    assert files.sniff(PDF) == "pdf"
    assert files.sniff(docx_bytes()) == "docx"
    assert files.sniff(docx_bytes(extra=("word/vbaProject.bin",))) is None  # macros
    assert files.sniff(docx_bytes(main_type="application/vnd.ms-excel")) is None
    assert files.sniff(b"PK\x03\x04 not a zip") is None
    assert files.sniff(b"<html><script>") is None
    assert files.sniff(b"MZ\x90\x00") is None


@pytest.mark.parametrize("sent, kind, kept", [
    ("Báo cáo 6 tháng.pdf", "pdf", "Báo cáo 6 tháng.pdf"),
    ("C:\\Users\\a\\bao cao.DOCX", "docx", "bao cao.docx"),
    ("../../etc/passwd", "pdf", "passwd.pdf"),
    ("report.exe", "pdf", "report.exe.pdf"),
    ('a<b>:"c"|?*.pdf', "pdf", "a b c.pdf"),
    ("...", "pdf", "tai-lieu.pdf"),
    ("Ba\u0301o ca\u0301o.pdf", "pdf", "Báo cáo.pdf"),  # decomposed accents come back composed
])
def test_names_are_cleaned(sent, kind, kept):
    assert files.clean_name(sent, kind) == kept


def test_stored_privately_and_refused_plainly(app, tmp_path):
    app.config["FILES_FOLDER"] = str(tmp_path / "files")
    with app.app_context():
        stored = files.store(PDF)
        path = files.path_of(stored.key)
        assert path.read_bytes() == PDF and stored.kind == "pdf" and stored.size == len(PDF)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
        for data, code in ((b"", "file_missing"), (b"GIF89a", "file_type"),
                           (b"%PDF-" + b"x" * app.config["UPLOAD_MAX_BYTES"], "file_too_big")):
            with pytest.raises(DomainError) as e:
                files.store(data)
            assert e.value.code == code
        assert sorted(p.name for p in path.parent.iterdir()) == [stored.key]  # nothing else was written
        with pytest.raises(DomainError) as e:
            files.path_of("../secret_key")
        assert e.value.code == "file_gone"


@pytest.mark.skipif(files.soffice() is None and os.environ.get("CI") != "true",
                    reason="LibreOffice is not installed: Word files are offered as they are")
def test_word_is_converted_to_pdf(app, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Báo cáo tình hình hoạt động 6 tháng đầu năm")
    out = io.BytesIO()
    document.save(out)
    app.config["FILES_FOLDER"] = str(tmp_path)
    with app.app_context():
        stored, pdf = files.store_readable(out.getvalue())
        assert stored.kind == "docx" and pdf is not None and pdf.kind == "pdf"
        assert files.path_of(pdf.key).read_bytes().startswith(b"%PDF-")
