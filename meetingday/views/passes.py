"""The delegate's personal pass, opened from the QR code on the invitation. Its regions are
drawn by regions/passes.py; the hall-code visit it may finish is meetingday/hall_visit.py. The
meeting's published documents open from it (/d/<token>/documents/<id>)."""
from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for

from .. import files, hall_visit, live, ratelimit
from ..access import public
from ..headers import cookie_independent
from ..headers import private_page as _private
from ..regions.checkin import render_pass_status
from ..regions.confirmations import render_confirm
from ..regions.passes import (
    render_closing,
    render_now,
    render_programme,
    render_queue,
    render_speak,
)
from ..services import meeting_documents, passes, speakers

bp = Blueprint("passes", __name__)
QR_KEPT_SECONDS = 3600


# The live regions of the pass page, in the page's order (what is happening now first), each
# reloaded alone over ?part= when the server says so (the check-in state at /d/<token>/checkin);
# ?part=all gives every region of the page at once, out of band (one request on each reconnect).
REGIONS = {
    "confirm": render_confirm,  # the holder's answer to the invitation, before the day
    "checkin": render_pass_status,
    "now": lambda pass_, oob=False: render_now(pass_.invitee.meeting, oob=oob),
    "speak": render_speak,
    "closing": lambda pass_, oob=False: render_closing(pass_.invitee.meeting, oob=oob),
    "queue": lambda pass_, oob=False: render_queue(pass_.invitee.meeting, oob=oob),
    "programme": lambda pass_, oob=False: render_programme(pass_.invitee.meeting, oob=oob),
}
PARTS = {name: REGIONS[name] for name in ("now", "speak", "closing", "queue", "programme")}
PARTS["confirm"] = render_confirm
PARTS["all"] = lambda pass_: "".join(_every_region(pass_, oob=True).values())


def _every_region(pass_, oob: bool = False) -> dict[str, str]:
    """All the regions, reading what several of them show once (the holder's check-in, who has
    the floor, the line)."""
    with live.reading_once():
        return {name: render(pass_, oob=oob) for name, render in REGIONS.items()}


@bp.get("/d/<token>")
@public
@ratelimit.public_link()
def show(token: str):
    pass_ = passes.find_pass(token)
    part = request.args.get("part")
    if part in PARTS:
        return _private(PARTS[part](pass_))
    if request.args.get("doc"):  # a document's link in the shared regions: on to this pass's own
        return redirect(url_for("passes.document", token=pass_.token, doc_id=request.args.get("doc", type=int) or 0,
                                download=request.args.get("download") or None), 303)
    hall_visit.complete(pass_)  # the hall code was scanned first: check in now
    response = _private(render_template("passes/pass.html", invitee=pass_.invitee, meeting=pass_.invitee.meeting,
                                        token=pass_.token, **_every_region(pass_)))
    return hall_visit.remember_pass(response, pass_.token)  # this phone keeps its pass for the hall code


@bp.get("/d/<token>/qr.svg")
@public
@ratelimit.public_link()
def qr(token: str):
    """The pass's QR code. The phone keeps it for an hour (never a shared cache): it only draws the
    pass's own link, and the pass opened again, at the hall, need not fetch it again."""
    pass_ = passes.find_pass(token)
    return cookie_independent(Response(passes.qr_svg(passes.pass_url(pass_.token)), mimetype="image/svg+xml",
                                       headers={"Cache-Control": f"private, max-age={QR_KEPT_SECONDS}"}))


@bp.post("/d/<token>/speak")
@public
@ratelimit.public_link()
def speak(token: str):
    """The holder asks to speak on the item their phone showed."""
    pass_ = passes.find_pass(token)
    invitee = pass_.invitee
    speakers.ask(invitee.meeting_id, request.form.get("item"), invitee.id, topic=request.form.get("topic", ""),
                 kien_nghi_id=request.form.get("kien_nghi") or None)
    return _private(render_speak(pass_))


@bp.post("/d/<token>/speak/<int:request_id>/withdraw")
@public
@ratelimit.public_link()
def withdraw(token: str, request_id: int):
    pass_ = passes.find_pass(token)
    speakers.withdraw(pass_.invitee.meeting_id, request_id, invitee_id=pass_.invitee.id)
    return _private(render_speak(pass_))


@bp.get("/d/<token>/documents/<int:doc_id>")
@public
@ratelimit.public_link()
def document(token: str, doc_id: int):
    """A published document of the holder's meeting: the PDF shown in the browser (a Word file's
    converted copy when there is one), with ?download=1 the file as it was sent. Each open is
    counted for the holder; a PDF viewer's further range requests (and a HEAD) are not."""
    pass_ = passes.find_pass(token)
    invitee = pass_.invitee
    if request.method == "GET" and (request.range is None or request.range.ranges[0][0] == 0):
        doc = meeting_documents.record_open(invitee, doc_id)
    else:
        doc = meeting_documents.readable(invitee.meeting_id, doc_id)
    if request.args.get("download") or not (doc.kind == "pdf" or doc.pdf_name):
        return files.send(doc.stored_name, doc.filename, doc.kind)
    if doc.kind == "pdf":
        return files.send(doc.stored_name, doc.filename, "pdf", inline=True)
    return files.send(doc.pdf_name, files.clean_name(doc.filename.removesuffix(".docx"), "pdf"), "pdf", inline=True)
