"""meetingday: runs the day of a council conference."""
from .app import create_app

__all__ = ["create_app"]
