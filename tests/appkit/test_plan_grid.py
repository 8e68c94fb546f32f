"""The plan page's grid in choices of columns (issue 14): each fits its screen, none lost."""

from __future__ import annotations

import pytest

from appkit.plan_grid import (
    PHONE_ROOM_PX,
    PROPOSAL_WRAPPED_PX,
    WIDE_ROOM_PX,
    WRAPPED_PX,
    column_choices,
    columns,
    fitted,
)


@pytest.mark.parametrize("proposal", [False, True])
@pytest.mark.parametrize("phone", [False, True])
def test_each_choice_of_columns_fits_the_screen_and_every_column_is_in_one(proposal, phone):
    """At 1366 px (the widest a proposal's wrapped columns grow to) and on a phone, the columns of
    each choice fit the grid's room: no sideways scroll inside the grid; every column the editor
    has is in some choice (black-box: 17 columns, 2,657 px in a 904-px column)."""
    most = {c: most for c, (_px, most) in (PROPOSAL_WRAPPED_PX if proposal else WRAPPED_PX).items()}
    config = columns(proposal, most)
    choices = column_choices(proposal, phone, config)
    room = PHONE_ROOM_PX if phone else WIDE_ROOM_PX
    for label, order in choices.items():
        fit = fitted(config, order, phone)
        assert sum(fit[c]["width"] for c in order) <= room, (label, order)
    shown = {c for order in choices.values() for c in order}
    assert shown == {c for c, cfg in config.items() if cfg is not None}
