"""HTTP views: thin translators between requests, forms, services and templates. Routes only:
what a screen region shows is drawn in meetingday/regions/, who may open a view is declared with
meetingday/access.py, and refusals are answered by meetingday/refusals.py."""
from __future__ import annotations

from flask import Flask

# Importing access registers the login callbacks; importing regions registers every live region.
from .. import access, refusals, regions  # noqa: F401


def register(app: Flask) -> None:
    from . import (
        agenda,
        attendance,
        auth,
        ban_answers,
        chair,
        checkin,
        confirmations,
        desk,
        display,
        documents,
        health,
        imports,
        invitations,
        invitees,
        kien_nghi,
        meeting_documents,
        meetings,
        organisations,
        passes,
        speakers,
        unit_board,
        units,
    )

    for module in (auth, health, meetings, agenda, invitees, imports, invitations, organisations, passes,
                   attendance, chair, display, checkin, speakers, desk, kien_nghi, documents, units,
                   unit_board, ban_answers, meeting_documents, confirmations):
        app.register_blueprint(module.bp)
    refusals.register(app)
