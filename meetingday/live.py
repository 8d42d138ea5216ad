"""Live updates: after a commit, render each shared screen region once and push it.

Services name what changed with a topic (meetingday/topics.py); this module maps topics to
screen regions. A *region* is one fragment of a screen (``templates/<area>/_name.html`` with a
stable root id) that several screens show. It is registered on a shared topic for an
*audience*: ``public`` (the projector and the delegates' phones: never personal data) or
``staff`` (signed-in staff). A service, after its commit, calls ``publish(meeting_id, topic)``:
every region on that topic is rendered once per language, in a clean request context (no user,
no request arguments), and sent as one Socket.IO ``swap`` event to the room of its audience
(encoded once for all its members: meetingday/fanout.py). An audience and language nobody is
listening to in this process is not rendered (with a message queue, every one is).
``static/js/live.js`` swaps each fragment in with ``htmx.swap``.

Content private to one person is not pushed: a region of it is registered with ``fetched`` on a
personal topic, and ``refresh(meeting_id, topic, invitee_ids=...)`` tells those people's screens
(or every screen) to fetch it again over HTTP. On every (re)connect a screen reloads its regions
over HTTP, so a message lost while it was away never leaves it stale.

A projector sits in the room of its display key, not in the public room: a public push goes to
the public room and to the room of the meeting's key as read at the time of the push, so a
screen of a revoked key receives nothing more. A revoked key's or pass's screens are also
disconnected at once, in every server process (``disconnect_display``, ``disconnect_passes``).
"""
from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app, g, has_app_context
from flask_babel import force_locale
from sqlalchemy import select

from .extensions import db, socketio
from .timeutil import epoch_ms, utcnow

log = logging.getLogger(__name__)

LOCALES = ("vi", "en")
AUDIENCES = ("public", "staff")


@dataclass(frozen=True)
class Region:
    topic: str
    audience: str
    target: str  # a CSS selector of the region's root, e.g. "#attendance-panel"
    render: Callable  # render(meeting) -> html


_REGIONS: dict[str, list[Region]] = defaultdict(list)


def region(topic: str, audience: str, target: str):
    """Register a function ``render(meeting) -> str`` as a live region of ``topic``."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    if not target.startswith("#"):
        raise ValueError("a region's target is the id selector of its root element")

    def register(render: Callable) -> Callable:
        regions = _REGIONS[topic]
        # Re-importing a module (tests create many apps) must not register it twice.
        regions[:] = [r for r in regions if r.target != target or r.audience != audience]
        regions.append(Region(topic, audience, target, render))
        return render
    return register


def regions(topic: str) -> list[Region]:
    return list(_REGIONS.get(topic, ()))


_FETCHED: dict[str, list[str]] = defaultdict(list)


def fetched(topic: str, target: str) -> None:
    """Register ``target`` (the id selector of a region with private content) as fetched again
    over HTTP by its screens when ``topic`` changes."""
    if not target.startswith("#"):
        raise ValueError("a region's target is the id selector of its root element")
    if target not in _FETCHED[topic]:
        _FETCHED[topic].append(target)


def fetched_targets(topic: str) -> list[str]:
    return list(_FETCHED.get(topic, ()))


def room(meeting_id: int, audience: str, locale: str) -> str:
    return f"meeting:{meeting_id}:{audience}:{locale}"


def person_room(meeting_id: int, invitee_id: int) -> str:
    return f"meeting:{meeting_id}:person:{invitee_id}"


def fingerprint(secret: str) -> str:
    """A credential's name in a room name: room names travel through the message queue, the
    display key and the pass token never do."""
    return hashlib.sha256(secret.encode()).hexdigest()[:32]


def display_room(meeting_id: int, key: str, locale: str) -> str:
    """The projectors opened with this display key."""
    return f"meeting:{meeting_id}:display:{fingerprint(key)}:{locale}"


def pass_room(meeting_id: int, token: str) -> str:
    """The phones opened with this pass."""
    return f"meeting:{meeting_id}:pass:{fingerprint(token)}"


ACCOUNT_ROOM_PREFIX = "account:"


def account_room(user_id: int) -> str:
    """The staff screens open under one account (every meeting)."""
    return f"{ACCOUNT_ROOM_PREFIX}{user_id}"


def disconnect_account(user_id: int) -> None:
    """End the live connections opened under this account (its sessions ended: logout, a new
    password, disabled), in every server process; they reconnect with whatever session their
    browser now holds, or are refused. Call after the commit."""
    _disconnect([account_room(user_id)], None)


def disconnect_display(meeting_id: int, key: str | None) -> None:
    """End the live connections of the projectors opened with ``key`` (revoked or replaced), in
    every server process; they reconnect, are refused, and reload to say that their link is no
    longer valid. Call after the commit."""
    if key:
        _disconnect([display_room(meeting_id, key, locale) for locale in LOCALES], meeting_id)


def disconnect_passes(meeting_id: int, tokens: Iterable[str]) -> None:
    """End the live connections of the phones opened with these passes (revoked, or their holder
    removed), in every server process. Call after the commit."""
    _disconnect([pass_room(meeting_id, token) for token in sorted(set(tokens))], meeting_id)


def _disconnect(rooms: list[str], meeting_id: int | None) -> None:
    for room_name in rooms:
        try:
            socketio.disconnect_room(room_name)
        except Exception:  # the change is committed; the screen's next push or reconnect is refused
            log.exception("live disconnect of %s failed (meeting %s)", room_name, meeting_id)


def render_swaps(meeting_id: int, topics: tuple[str, ...], locale: str,
                 audiences: tuple[str, ...] = AUDIENCES) -> dict[str, list[dict]]:
    """The swaps per audience (of ``audiences``) for these topics, rendered in ``locale`` with no
    user and no request."""
    from .models import Meeting

    by_audience: dict[str, list[dict]] = defaultdict(list)
    app = current_app._get_current_object()
    # A context of its own: no signed-in user, no request arguments, its own database session.
    with app.app_context(), app.test_request_context("/"), force_locale(locale), reading_once():
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None:
            return {}
        done = set()
        for topic in dict.fromkeys(topics):
            for r in regions(topic):
                if r.audience not in audiences or (r.audience, r.target) in done:  # a region of several of these topics: once
                    continue
                done.add((r.audience, r.target))
                by_audience[r.audience].append({"target": r.target, "html": r.render(meeting)})
    return by_audience


def read_once(key, read: Callable):
    """`read()`, done once per push and language when several regions of it need the same data
    (the attendance counts are drawn by the door's, the chair's, the projector's and the panel's
    regions): all of one push's regions show the same moment anyway. Likewise within
    `reading_once()`. Elsewhere, read()."""
    reads = g.get("live_reads") if has_app_context() else None
    if reads is None:
        return read()
    if key not in reads:
        reads[key] = read()
    return reads[key]


@contextmanager
def reading_once():
    """Within this, `read_once` reads each key once: a push's rendering, and a request that draws
    several regions at once (the pass's ?part=all, which every phone asks on each reconnect).
    Only around drawing, after the request's writes."""
    if g.get("live_reads") is not None:  # a scope already open
        yield
        return
    g.live_reads = {}
    try:
        yield
    finally:
        g.pop("live_reads", None)


def publish(meeting_id: int, *topics: str) -> None:
    """Push every region of ``topics`` to the meeting's screens. Call after the commit.

    With ``LIVE_PUSH_INTERVAL`` (seconds) above zero, the push runs in a background task, off the
    request. A change that comes when no push ran within the interval goes out at once; changes
    that arrive while a push is under way or within the interval after it are rendered together
    in one more push (a burst of 50 check-ins renders the attendance regions a few times, not
    50), and a long rush of slow pushes is spaced further (``PushBudget``). With 0 it runs in the
    caller, which the tests use to read what was sent right after the call.
    """
    if not topics or not has_app_context():
        return
    if not any(regions(t) for t in topics):
        return
    app = current_app._get_current_object()
    interval = float(app.config.get("LIVE_PUSH_INTERVAL") or 0)
    if interval <= 0:
        _push(meeting_id, tuple(topics))
        return
    key = (id(app), meeting_id)
    with _lock:
        running = key in _pending
        _pending.setdefault(key, {}).update(dict.fromkeys(topics))
        _budgets.setdefault(key, PushBudget())
    if not running:
        socketio.start_background_task(_pusher, app, meeting_id, interval)
        # Under gevent the push starts now, before this request renders and sends its own answer:
        # the screens do not wait for the answer of the tablet that made the change.
        socketio.sleep(0)


PUSH_SHARE = 0.1  # of the server's CPU time, at most, for the pushes of a long rush of changes
PUSH_BURST = 0.2  # seconds of pushing (CPU) a rush may spend at once, before PUSH_SHARE spaces it
PUSH_WAIT_MAX = 2.0  # seconds: however slow the pushes, a change waits no longer for its push


class PushBudget:
    """When the next push of one meeting may start.

    Each push owes its CPU time, and what is owed is paid back at PUSH_SHARE of the clock (a push
    of 20 ms is paid back in 200 ms): a leaky bucket. A push may start once the debt is at most
    PUSH_BURST, and no sooner than ``interval`` after the previous push ended, so that the changes
    of a rush share pushes. A change that comes after a quiet spell therefore goes out at once,
    and however long a rush lasts, its pushes spend at most PUSH_SHARE of the server's time (plus
    PUSH_BURST), while no change waits more than PUSH_WAIT_MAX for its push.

    The cost is CPU time, not the clock: on a machine shared with other work, a push's duration
    grows with what the others do, its CPU time does not (under gevent, a greenlet that ran while
    the push waited for a database is counted too: more, never less).
    """

    def __init__(self) -> None:
        self.owed = 0.0  # seconds of CPU not yet paid back, as of `at`
        self.at = self.ended = float("-inf")

    def _pay_back(self, now: float) -> None:
        if now > self.at:
            self.owed = max(0.0, self.owed - (now - self.at) * PUSH_SHARE)
            self.at = now

    def wait(self, now: float, interval: float) -> float:
        """Seconds from ``now`` (time.monotonic()) until the next push may start."""
        self._pay_back(now)
        wait = max(0.0, self.ended + interval - now, (self.owed - PUSH_BURST) / PUSH_SHARE)
        return min(wait, PUSH_WAIT_MAX)

    def spent(self, cpu: float, now: float) -> None:
        """A push that took ``cpu`` seconds of CPU time ended at ``now``."""
        self._pay_back(now)
        self.owed += cpu
        self.ended = now


# (app, meeting) -> topics waiting for the next push; a key is present while its pusher runs.
_pending: dict[tuple[int, int], dict[str, None]] = {}
_budgets: dict[tuple[int, int], PushBudget] = {}
_lock = threading.Lock()


def _pusher(app, meeting_id: int, interval: float) -> None:
    key = (id(app), meeting_id)
    budget = _budgets[key]
    while True:
        wait = budget.wait(time.monotonic(), interval)
        if wait > 0:  # a push ran recently: what comes meanwhile goes in the next one
            socketio.sleep(wait)
        with _lock:
            topics = _pending.get(key)
            if not topics:
                _pending.pop(key, None)
                return
            _pending[key] = {}
        cpu = time.thread_time()
        with app.app_context():
            try:
                _push(meeting_id, tuple(topics))
            except Exception:  # the changes are committed; screens catch up on reconnect
                log.exception("live push failed for meeting %s", meeting_id)
        budget.spent(time.thread_time() - cpu, time.monotonic())
        with _lock:
            if not _pending.get(key):  # nothing new since: this pusher is done
                _pending.pop(key, None)
                return


def _display_key(meeting_id: int) -> str | None:
    from .models import Meeting

    return db.session.scalar(select(Meeting.display_key).where(Meeting.id == meeting_id))


def _rooms(meeting_id: int, audience: str, locale: str, key: str | None) -> list[str]:
    """The rooms a push of ``audience`` in ``locale`` goes to."""
    if audience == "public" and key:
        return [room(meeting_id, audience, locale), display_room(meeting_id, key, locale)]
    return [room(meeting_id, audience, locale)]


def _push(meeting_id: int, topics: tuple[str, ...]) -> None:
    key = _display_key(meeting_id)  # the projectors of this key get the public regions
    manager = socketio.server.manager
    for locale in LOCALES:
        # Rendered only for the audiences someone may be listening to in this language (with one
        # server process the manager knows the rooms' members; through a message queue, always).
        audiences = tuple(a for a in AUDIENCES if manager.may_have_members(_rooms(meeting_id, a, locale, key)))
        if not audiences:
            continue
        # When the state was read: with several server processes, a push rendered earlier may
        # arrive after a newer one, and the screen keeps the newer (static/js/live.js).
        read = epoch_ms(utcnow())
        for audience, swaps in render_swaps(meeting_id, topics, locale, audiences).items():
            payload = {"now": epoch_ms(utcnow()), "read": read, "swaps": swaps}
            try:
                socketio.emit("swap", payload, to=_rooms(meeting_id, audience, locale, key))
            except Exception:  # the change is committed; a screen catches up on reconnect
                log.exception("live push failed for meeting %s", meeting_id)


def refresh(meeting_id: int, topic: str, invitee_ids: Iterable[int] | None = None) -> None:
    """Ask screens to fetch the regions of a personal ``topic`` again over HTTP: those of the
    people ``invitee_ids``, or with None every screen of the meeting (each takes what it shows).
    Call after the commit."""
    targets = fetched_targets(topic)
    if not targets:
        return
    if invitee_ids is None:
        rooms = [room(meeting_id, "public", locale) for locale in LOCALES]
    else:
        rooms = [person_room(meeting_id, invitee_id) for invitee_id in sorted(set(invitee_ids))]
    for room_name in rooms:
        try:
            socketio.emit("refresh", {"targets": targets}, to=room_name)
        except Exception:  # the change is committed; a screen catches up on reconnect
            log.exception("live refresh failed for meeting %s", meeting_id)
