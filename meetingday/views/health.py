"""GET /healthz: the app answers and its database answers."""
from flask import Blueprint, jsonify
from sqlalchemy import text

from ..access import public
from ..extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as e:  # the database does not answer: say so, with 503
        db.session.rollback()
        return jsonify(status="error", database="unreachable", detail=type(e).__name__), 503
    return jsonify(status="ok", database=db.engine.dialect.name)
