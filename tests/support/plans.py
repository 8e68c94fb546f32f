"""Reading a plan as the plan page does, for the plan-reading tests: the seed and the second plan,
a plan file's proposal, one line's one target (the catalogue a test matches against is the
``catalogue`` fixture of ``tests/plans/conftest.py``)."""

from __future__ import annotations

from pathlib import Path

from kpi.domain.plan import Catalogue
from kpi.plans.parse import PlanProposal, ProposedTarget, parse_plan
from kpi.plans.text import PlanDocument, read_plan_document, text_document
from kpi.plans.vocabulary import PlanVocabulary
from tests.support.paths import PROJECT

#: The 2024 plan the app starts with, and a second plan written differently by another district.
SEED = PROJECT / "data" / "plans" / "2024" / "ke-hoach.md"
SECOND = PROJECT / "tests" / "data" / "ke-hoach-thanh-van-2025.md"


def plan_file(path: Path) -> PlanDocument:
    """A plan file read as an upload of it is (its bytes and its name)."""
    return read_plan_document(path.read_bytes(), path.name)


def read_plan_file(path: Path, catalogue: Catalogue | None = None, vocab: PlanVocabulary | None = None) -> PlanProposal:
    """The targets the plan file at ``path`` proposes, matched against ``catalogue``."""
    return parse_plan(plan_file(path), catalogue, vocab)


def one_target(text: str, catalogue: Catalogue | None = None, vocab: PlanVocabulary | None = None) -> ProposedTarget:
    """The one target read from the pasted ``text`` (a line, or a section heading and its line: with
    no heading the whole text is read); fails, naming what was read and what was not understood,
    unless there is exactly one."""
    proposal = parse_plan(text_document(text), catalogue, vocab)
    assert len(proposal.targets) == 1, ([t.name for t in proposal.targets], proposal.unparsed)
    return proposal.targets[0]
