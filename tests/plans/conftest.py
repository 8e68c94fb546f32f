"""The plan-reading tests' one fixture: the catalogue a plan's targets are matched against."""

from __future__ import annotations

import pytest

from kpi.storage.catalogue import load_catalogue


@pytest.fixture
def catalogue(con):
    """Last year's catalogue: the 2024 plan, loaded into the test's own database as on first start."""
    return load_catalogue(con, 2024)
