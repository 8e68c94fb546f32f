"""The reviewer's choices on a proposal (:mod:`kpi.plans.parse`) before it is confirmed: a new
target that may be one of last year's («có thể là TD06 hoặc TD07 năm 2024») is offered those keys,
and the key the reviewer accepts goes into what is stored, as if typed in the «Mã» cell."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kpi.plans.parse import PlanProposal

__all__ = ["key_suggestions", "with_chosen_keys"]


def key_suggestions(proposal: PlanProposal) -> dict[int, tuple[str, ...]]:
    """The keys each new target may be, by its place in ``proposal.targets`` (only the targets
    given no key that the catalogue has near keys for: :attr:`ProposedTarget.maybe`)."""
    return {i: t.maybe for i, t in enumerate(proposal.targets) if t.maybe and not t.key}


def with_chosen_keys(
    frame: pd.DataFrame, choices: Mapping[int, str | None], suggestions: Mapping[int, tuple[str, ...]]
) -> pd.DataFrame:
    """The proposal's editor frame (:func:`kpi.plans.source.editor_frame`, as edited: its index is
    the target's place in the proposal, rows added get new ones) with the keys the reviewer chose:
    row ``i`` gets ``choices[i]`` when it is one of ``suggestions[i]`` and its «Mã» cell is still
    empty — a key typed by hand wins, and a row deleted takes nothing. The rest is unchanged."""
    out = frame.copy()
    for i, key in choices.items():
        if not key or key not in suggestions.get(i, ()) or i not in out.index:
            continue
        typed = out.at[i, "key"]
        if typed is None or (isinstance(typed, float) and pd.isna(typed)) or not str(typed).strip():
            out.at[i, "key"] = key
    return out
