"""Where things are: the project folder and the tests folder (the same from every test module,
whatever its depth in the tree)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
PROJECT = TESTS.parent
