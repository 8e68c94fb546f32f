"""The reviewer's choices on a proposal (:mod:`kpi.plans.parse`) before it is confirmed: a new
target that may be one of last year's («có thể là TD06 hoặc TD07 năm 2024») is offered those keys,
and the key the reviewer accepts goes into what is stored, as if typed in the «Mã» cell; a text of another
district than the plans stored is said so (:func:`other_district`), the admin may still go on."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd

from kpi.domain.places import other_place
from kpi.plans.parse import PlanProposal
from kpi.vn import match_key

__all__ = ["key_suggestions", "with_chosen_keys", "other_district", "OTHER_DISTRICT"]

#: The warning on a proposal whose text names another district (or issuing body) than the plans stored.
OTHER_DISTRICT = (
    "**Văn bản này có vẻ là của {theirs}, còn các kế hoạch đã lưu là của {ours}.** Nếu tải nhầm văn bản "
    "của địa phương khác, đừng xác nhận — chỉ nên dùng để tham khảo cách viết. Nếu đúng là kế hoạch của "
    "đơn vị mình, hãy kiểm tra ô «Địa bàn», «Cơ quan ban hành» bên dưới rồi xác nhận như thường."
)
_PLACE_FIELDS = ("district", "place", "authority")


def other_district(con: duckdb.DuckDBPyConnection, proposal: PlanProposal) -> str:
    """:data:`OTHER_DISTRICT` when the text names its district or issuing body (``proposal.meta``)
    and none of its names (district, place, authority) is one of the plans stored (``plans``); ""
    when it names none, when no plan is stored, or when one of them is its own."""
    theirs = [proposal.meta.get(f) for f in _PLACE_FIELDS]
    stored = con.execute(
        "SELECT district, place, authority FROM plans ORDER BY year DESC",
    ).fetchall()
    if not other_place(theirs, [v for row in stored for v in row]):  # the report reader's rule too
        return ""
    named = next(v for row in stored for v in row if match_key(v))
    written = proposal.meta.get("district") or proposal.meta.get("authority") or proposal.meta.get("place")
    return OTHER_DISTRICT.format(theirs=f"«{written}»", ours=f"«{named}»")


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
