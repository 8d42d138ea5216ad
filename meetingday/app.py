"""The application factory."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask, has_request_context, request
from jinja2 import FileSystemBytecodeCache
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from . import headers
from .config import ROOT, Config
from . import static_files
from .extensions import babel, compress, csrf, db, htmx, login_manager, migrate, socketio
from .form_encoding import StrictFormRequest
from .private_files import private_sqlite

MIGRATIONS = ROOT / "migrations"
# Compiled templates, kept between starts (beside the static build): compiling them again took
# a good part of a restart that every screen of the hall waits for (docs/benchmarks.md,
# "Reconnect storm"). Jinja checks each entry against its template's source.
TEMPLATE_CACHE = ROOT / "build" / "templates"

log = logging.getLogger(__name__)


class MeetingDay(Flask):
    """Flask, with the logging of an unhandled exception changed."""

    def log_exception(self, exc_info) -> None:
        """As Flask logs an unhandled exception, naming the route's rule (/d/<token>) instead of
        the path: a path may hold a pass token or a display key."""
        rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
        self.logger.error("Exception on %s [%s]", rule, request.method, exc_info=exc_info)


def create_app(overrides: dict | None = None, demo: bool = False) -> Flask:
    instance = Path(os.environ.get("MEETINGDAY_INSTANCE") or ROOT / "instance")
    app = MeetingDay(__name__, instance_path=str(instance), instance_relative_config=True,
                     template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    app.request_class = StrictFormRequest  # a form that is not UTF-8 is refused, not stored
    app.config.from_mapping(Config.from_environment(instance, demo))
    app.jinja_env.bytecode_cache = _template_cache()
    if overrides:
        app.config.update(overrides)
    # SQLAlchemy's error text would carry the statement's parameters (a pass token, a name) into
    # the logs: whatever engine options are set, it leaves them out.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
                                               "hide_parameters": True}

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        with app.app_context():
            # 0600 before SQLite creates it, when a connection is first opened (not by merely
            # building an app: a command that never opens the database leaves no file behind)
            event.listen(db.engine, "do_connect", lambda *_: private_sqlite(url))
            event.listen(db.engine, "connect", _sqlite_pragmas)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    headers.init_app(app)
    # Socket.IO handlers are declared before the first init_app so that every server keeps them.
    from . import sockets  # noqa: F401
    socketio.init_app(app, message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
                      async_mode=app.config.get("SOCKETIO_ASYNC_MODE", "threading"))
    app.wsgi_app = _plain_websockets(app.wsgi_app)
    static_files.init_app(app)  # /static/ answered before Flask: versioned, precompressed
    app.wsgi_app = headers.by_scheme(app.wsgi_app)
    app.wsgi_app = behind_proxies(app.wsgi_app, app.config.get("PROXY_HOPS") or 0)

    from . import filters, views
    filters.register(app)
    views.register(app)

    @app.context_processor
    def _globals():
        return {"csrf_token_value": generate_csrf}

    return app


class _TemplateCache(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in files, where a file that cannot be read or written
    is only a template compiled again (Jinja's own opens its temporary file outside its try)."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as e:
            log.debug("compiled template not kept: %s", e)


def _template_cache() -> _TemplateCache | None:
    """The cache of compiled templates in TEMPLATE_CACHE, or none when that folder cannot be
    made or written (a read-only checkout: templates are compiled at each start, as static
    files are served under their plain names)."""
    try:
        TEMPLATE_CACHE.mkdir(parents=True, exist_ok=True)
        if not os.access(TEMPLATE_CACHE, os.W_OK):
            raise PermissionError(f"{TEMPLATE_CACHE} is not writable")
    except OSError as e:
        log.warning("compiled templates not kept (%s): they are compiled at each start", e)
        return None
    return _TemplateCache(str(TEMPLATE_CACHE))


def _plain_websockets(wsgi_app):
    """Decline permessage-deflate, which browsers offer: compressing every push once per screen
    costs the one server core more than the push itself (about 170 KB of memory per screen, and
    several times the time to reach the last of 1,000 screens; docs/benchmarks.md)."""
    def app(environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)
    return app


def behind_proxies(wsgi_app, hops: int):
    """Trust X-Forwarded-For/-Proto/-Host from this many proxies in front (none by default), so
    that each phone is known by its own address (rate limits) and links use the public scheme."""
    if hops <= 0:
        return wsgi_app
    return ProxyFix(wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: enforce foreign keys (as PostgreSQL does) and let readers go on while one writes."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _select_locale() -> str:
    if not has_request_context():
        return "vi"  # command-line messages use the default language
    # ?lang= first; then the language of the page a script's request comes from (X-Page-Lang:
    # htmx, the door's and the desk's requests), so a fragment matches the page it goes into; then
    # the cookie the language switch sets.
    for lang in (request.args.get("lang"), request.headers.get("X-Page-Lang"), request.cookies.get("lang")):
        if lang in ("vi", "en"):
            return lang
    return "vi"
