"""Everything a listener or job needs, built once by the composition root."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.config import Settings
from bot.delivery.outbox import Deliverer
from bot.delivery.recent import RecentKeys
from bot.delivery.render import Renderer
from bot.delivery.slack_io import SlackGateway
from bot.messages import Catalog
from bot.policy.document import PolicyDocument
from bot.policy.matcher import PolicyMatcher
from bot.privacy.crypto import Cipher
from storage.db import Sessions

log = logging.getLogger("kasuhara")


@dataclass
class Services:
    settings: Settings
    sessions: Sessions
    cipher: Cipher
    clock: Clock
    catalog: Catalog
    gateway: SlackGateway
    renderer: Renderer
    policy: PolicyDocument
    matcher: PolicyMatcher
    worker_id: str
    deliverer: Deliverer
    recent_keys: RecentKeys = field(default_factory=RecentKeys)

    async def is_member(self, channel: str, user: str) -> bool:
        """Asked of Slack at each click, so someone removed from the channel loses the right."""
        if not channel:
            return False
        return user in await self.gateway.members(channel)
