"""Where the real shared data lies (``../shared/data`` beside the checkout), for tests to import.

Test modules import from here (``from shared_data import shared_path``), never from a conftest:
two conftest modules (tests/ and tests/e2e/) would shadow each other under one module name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def shared_path(*parts: str) -> Path:
    """Path below ../shared/data; skips the test with a reason when it is absent (a user's clone)."""
    p = SHARED_DATA.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"shared data not available: {p} (tests read ../shared/data beside the checkout)")
    return p
