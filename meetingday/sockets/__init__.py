"""The Socket.IO side: who joins which rooms of a meeting (rooms.py), the door's scans over its
live connection (door.py), and the staff connections whose session ended, cut (sessions.py). The handlers are declared when this package is imported, which
create_app does before Socket.IO is set up."""
from __future__ import annotations

from . import door, rooms, sessions  # noqa: F401
