"""The names of what changes, as services announce it to the live layer (meetingday/live.py).

A service says *what* changed, never which screen element shows it: after its commit it calls
``live.publish(meeting_id, topics.AGENDA)`` or ``live.refresh(meeting_id, topics.PERSON_CHECKIN,
invitee_ids=[...])``; a revoked display key or pass ends its screens' connections
(``live.disconnect_display``, ``live.disconnect_passes``). The regions (meetingday/regions/) say which fragments follow which topic.

Shared topics: every region registered on one is rendered once per language and pushed to the
meeting's screens of its audience.
Personal topics: the regions registered on one hold content private to one person; they are
not pushed, their screens are told to fetch them again over HTTP.
"""
from __future__ import annotations

# --- shared: rendered once and pushed
AGENDA = "agenda"            # the meeting's flow: current item, times, breaks, the end; its title and place
ATTENDANCE = "attendance"    # check-ins, absences, the check-in window
SPEAKERS = "speakers"        # the speaker queues: who asked, who has the floor, the timers
CLOSING = "closing"          # the closing conclusion (kết luận Hội nghị): its text, tasks, publication
MINUTES = "minutes"          # the minutes' own state: numbers, dates, finalized or reopened
KIEN_NGHI = "kien_nghi"      # the communes' recommendations and their answers
UNITS = "units"              # the reporting units: what each has sent, their contacts and links, closed or open

SHARED = (AGENDA, ATTENDANCE, SPEAKERS, CLOSING, MINUTES, KIEN_NGHI, UNITS)

# --- personal: screens fetch their own copy again
PERSON_CHECKIN = "person_checkin"  # one person's check-in (and so whether they may ask to speak)
PERSON_QUEUE = "person_queue"      # one person's place in the speaker queue

PERSONAL = (PERSON_CHECKIN, PERSON_QUEUE)
