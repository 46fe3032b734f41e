from __future__ import annotations

from pathlib import Path

import pytest

from bot.policy.document import PolicyDocument, load_policy
from bot.policy.matcher import PolicyMatcher
from tests.shared import SHARED, need_shared

DEV_PATH = SHARED / "qa" / "dev.jsonl"
PASSAGES_PATH = SHARED / "qa" / "passages.json"
SOURCE_PATH = SHARED / "policy" / "kasuhara-policy.ja.txt"
HELDOUT_PATH = Path(__file__).parent / "heldout.jsonl"


@pytest.fixture(scope="session")
def doc() -> PolicyDocument:
    return load_policy(None)


@pytest.fixture(scope="session")
def matcher(doc: PolicyDocument) -> PolicyMatcher:
    return PolicyMatcher(doc)


def need(path: Path) -> Path:
    return need_shared(*path.relative_to(SHARED).parts) if path.is_relative_to(SHARED) else path
