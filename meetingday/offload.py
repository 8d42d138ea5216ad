"""Work that would hold up every other connection, run elsewhere while this greenlet waits."""
from __future__ import annotations

import sys
from collections.abc import Callable


def off_the_hub(work: Callable, *args):
    """``work(*args)``, run where it cannot hold up the other connections.

    `meetingday serve` runs on gevent: one OS thread whose greenlets take turns only when one
    waits, so a second of work (reading a spreadsheet, drawing QR codes) is a second in which no
    other screen is answered. There the work goes to gevent's pool of native threads
    (``get_hub().threadpool``): this greenlet waits for it like for a socket, the others run
    meanwhile (the thread lets go of the GIL every few milliseconds), and its result or
    exception comes back here. Unpatched (the threaded server, the tests) it runs here and now.
    ``work`` must not need the request or the application context: a pool thread has neither.
    """
    monkey = sys.modules.get("gevent.monkey")
    if monkey is None or not monkey.is_module_patched("threading"):
        return work(*args)
    from gevent import get_hub
    return get_hub().threadpool.apply(work, args)
