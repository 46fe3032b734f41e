"""The read-only ../shared folder (Slack specs, policy source, Q&A sets) beside the checkout.

A clone without it still runs every other test; the ones that need it skip with
MISSING_REASON, and the run's summary counts them (tests/conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
MISSING_REASON = "../shared not found"


def need_shared(*parts: str) -> Path:
    """The path under ../shared, or skip the calling test saying which file was missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{MISSING_REASON}: {path}")
    return path


requires_shared = pytest.mark.skipif(not SHARED.exists(), reason=f"{MISSING_REASON}: {SHARED}")
