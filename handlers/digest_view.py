"""HR's weekly digest as a Block Kit message: figures only, within Slack's limits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.digest.figures import DigestFigures
from bot.digest.format import compose
from bot.messages import Catalog
from handlers.slack_limits import MESSAGE_BLOCKS_MAX
from handlers.text import context, header, section

DIVIDER = {"type": "divider"}


def build_digest_message(
    figures: DigestFigures, cat: Catalog, labels: Mapping[int, str]
) -> dict[str, Any]:
    """Header, one section per figure group, small print; never a name or a description."""
    doc = compose(figures, cat, labels)
    blocks: list[dict[str, Any]] = [header(doc.header)]
    for index, paragraph in enumerate(doc.sections):
        if index in (1, len(doc.sections) - 2) and len(doc.sections) > 3:
            blocks.append(DIVIDER)  # set the headline and the case state apart from the detail
        blocks.append(section(paragraph))
    blocks += [context(note) for note in doc.notes]
    if len(blocks) > MESSAGE_BLOCKS_MAX:
        raise ValueError(f"digest has {len(blocks)} blocks; Slack allows {MESSAGE_BLOCKS_MAX}")
    return {"text": doc.fallback, "blocks": blocks}
