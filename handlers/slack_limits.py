"""Slack's size limits on what the app sends, in one place (characters unless noted).

Source: Slack's Block Kit reference (blocks, composition objects, elements, views) and the
chat.postMessage page. The stand-in enforces its own copy: it imports nothing of the app.
"""

from __future__ import annotations

SECTION_TEXT_MAX = 3000  # section block text
FIELD_TEXT_MAX = 2000  # each of a section's fields
CONTEXT_TEXT_MAX = 2000  # a context block's text element
HEADER_MAX = 150  # header block text
BUTTON_TEXT_MAX = 75  # a button's label
OPTION_TEXT_MAX = 75  # an option's text
MODAL_TITLE_MAX = 24  # a modal's title, submit and close labels
INPUT_LABEL_MAX = 2000  # an input block's label
INPUT_HINT_MAX = 2000  # an input block's hint
PLACEHOLDER_MAX = 150  # an input element's placeholder
CONFIRM_TITLE_MAX = 100  # a confirmation dialog's title
CONFIRM_TEXT_MAX = 300  # a confirmation dialog's text
CONFIRM_BUTTON_MAX = 30  # a confirmation dialog's confirm and deny labels
MESSAGE_BLOCKS_MAX = 50  # blocks in one message
VIEW_BLOCKS_MAX = 100  # blocks in a modal or a Home tab
