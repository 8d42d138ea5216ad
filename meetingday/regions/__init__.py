"""What each screen region shows: one module per screen or area, named for its templates folder.

A module holds the ``render_*`` functions of its fragments (``templates/<area>/_name.html``, each
with a stable root id) and registers them with the live layer (meetingday/live.py): a render
function decorated with ``@live.region(topic, audience, target)`` is pushed to every screen of its
audience when the topic changes; ``live.fetched(topic, target)`` names a region with private
content that its screens fetch again over HTTP. The same render function draws the fragment in the
full page, answers the htmx request for that part (the routes in views/), and is what a push sends.

One module is data rather than a fragment: door_list.py, the door's own copy of the invitee list
(JSON), which the door screen searches while the network is down.

Regions read through services and models and render templates; they never import views. The
registrations are import side effects: importing this package imports every region module.
"""
from __future__ import annotations

from . import (  # noqa: F401
    attendance,
    confirmations,
    chair,
    checkin,
    desk,
    display,
    door_list,
    kien_nghi,
    meeting_documents,
    passes,
    speakers,
    units,
)
