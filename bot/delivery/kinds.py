"""The kinds of outbox rows, and which of them carry report content."""

from __future__ import annotations

ALERT = "alert"  # rendered when sent, from the case as it is then
ALERT_UPDATE = "alert_update"
ALERT_PART = "alert_part"  # payload {"part": n}: the n-th part of a description too long
THREAD = "thread"
RECEIPT = "receipt"  # the reporter's receipt, rendered when the alert's fate is known
DM = "dm"
STAFF_DM = "staff_dm"  # a DM that waits out quiet hours in the recipient's own time zone
POST = "post"
HOME = "home"  # views.publish of a person's Home (channel = user id), drawn when sent
# Report content: only ever to a private channel kept inside the organisation.
CASE_CONTENT = (ALERT, ALERT_UPDATE, ALERT_PART, THREAD)
