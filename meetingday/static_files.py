"""Static files as a phone on weak Wi-Fi should get them: under versioned names, precompressed,
kept by the browser for a year.

At start (`create_app`) every file of static/ is hashed. A copy named with its content hash
(`css/app.css` -> `css/app.3f9c0e1a2b4d.css`) is written into the build folder (build/static/
in the checkout) when missing, with a gzip and a brotli copy beside it (`.gz`, `.br`, when that
saves at least 5 %), written once and never per request; an unchanged file costs only its hash
at the next start. `url_for('static', filename=...)` gives the versioned name, so every page links
the current content.

WhiteNoise serves both: a versioned name with `Cache-Control: public, max-age=31536000,
immutable` (its content never changes: a changed file has another name), in the encoding the
browser accepts (brotli, else gzip, else plain; `Vary: Accept-Encoding`); the plain name straight
from static/ with `Cache-Control: no-cache`, so a page that still names it revalidates it (ETag,
Last-Modified, 304). docs/static-files.md says why this way.
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from . import headers as security
from .config import ROOT

HASH_LENGTH = 12
YEAR = 365 * 24 * 3600
VERSIONED_CACHE = f"public, max-age={YEAR}, immutable"
PLAIN_CACHE = "no-cache"
BUILD_DIR = ROOT / "build" / "static"
# Files the browser never loads: not copied, not versioned.
SKIP_SUFFIXES = (".sh", ".md", ".txt")
SKIP_NAMES = ("SHA256SUMS", "LICENSE")

log = logging.getLogger(__name__)


def versioned_name(name: str, digest: str) -> str:
    """`css/app.css` -> `css/app.<digest>.css`"""
    stem, dot, suffix = name.rpartition(".")
    if not dot or "/" in suffix:
        return f"{name}.{digest}"
    return f"{stem}.{digest}.{suffix}"


def _served(path: Path) -> bool:
    return path.is_file() and path.suffix not in SKIP_SUFFIXES and path.name not in SKIP_NAMES \
        and not path.name.startswith(".")


def _write_atomic(path: Path, data: bytes) -> None:
    """Another process may build at the same moment: a file appears whole or not at all."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _compressed_copies(name: str, data: bytes) -> dict[str, bytes]:
    """{".br": ..., ".gz": ...} for those that save at least 5 % (WhiteNoise's own compressor)."""
    compressor = Compressor(quiet=True)
    if not data or not compressor.should_compress(name):
        return {}
    copies = {}
    if compressor.use_brotli:
        copies[".br"] = compressor.compress_brotli(data)
    copies[".gz"] = compressor.compress_gzip(data)
    return {suffix: blob for suffix, blob in copies.items() if len(blob) <= 0.95 * len(data)}


def build(source: Path, target: Path) -> dict[str, str]:
    """Write the versioned copies of source's files (and their compressed copies) into target,
    those not there yet. Returns {name: versioned name}, names relative to source with "/"."""
    manifest = {}
    for path in sorted(source.rglob("*")):
        if not _served(path) or any(part.startswith(".") for part in path.relative_to(source).parts):
            continue
        name = path.relative_to(source).as_posix()
        data = path.read_bytes()
        versioned = versioned_name(name, hashlib.sha256(data).hexdigest()[:HASH_LENGTH])
        out = target / versioned
        if not out.is_file():
            out.parent.mkdir(parents=True, exist_ok=True)
            for suffix, blob in _compressed_copies(name, data).items():
                _write_atomic(out.with_name(out.name + suffix), blob)
            _write_atomic(out, data)  # last: a versioned file is only there with its copies
        manifest[name] = versioned
    return manifest


def init_app(app) -> None:
    """Build the versioned copies, make url_for('static', ...) name them, and serve static files
    with WhiteNoise in front of the application."""
    source = Path(app.static_folder)
    target = BUILD_DIR
    try:
        manifest = build(source, target)
    except OSError as e:  # a read-only checkout: serve the plain names, revalidated
        log.warning("static files not versioned (%s): serving them under their plain names", e)
        manifest = {}
    app.extensions["static_manifest"] = manifest
    immutable = {f"/static/{name}" for name in manifest.values()}

    @app.url_defaults
    def _versioned_static(endpoint, values):
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    def headers(h, _path, url):
        h["Cache-Control"] = VERSIONED_CACHE if url in immutable else PLAIN_CACHE
        security.for_static(h)

    server = WhiteNoise(app.wsgi_app, max_age=None, allow_all_origins=False, add_headers_function=headers)
    server.add_files(str(source), prefix="static/")
    if target.is_dir():
        server.add_files(str(target), prefix="static/")  # after: its names never clash with static/'s
    app.wsgi_app = server
