from __future__ import annotations

from pathlib import Path

import pytest

from bot.policy.document import PolicyDocument, load_policy
from bot.policy.matcher import PolicyMatcher

SHARED = Path(__file__).parents[2].parent / "shared"
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
    if not path.exists():
        pytest.skip(f"{path} is not there (the shared/ folder sits beside the repo checkout)")
    return path
