"""Shared fixtures: the sibling `shared/` folder (when present) and small stores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wiredesk.store import Store

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path | None:
    """`../shared` beside the checkout, or $WIREDESK_SHARED; None when absent."""
    candidate = Path(os.environ.get("WIREDESK_SHARED") or REPO.parent / "shared")
    return candidate if candidate.is_dir() else None


@pytest.fixture
def shared() -> Path:
    found = shared_dir()
    if found is None:
        pytest.skip("the shared data folder (../shared or $WIREDESK_SHARED) is not here")
    return found


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(str(tmp_path / "test.db"))
    yield opened
    opened.close()
