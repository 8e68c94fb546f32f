"""The plan page's targets grid (the plan's, and a read text's proposal) in choices of columns that
each fit the screen: no sideways scroll inside the grid at 1366 px nor on a phone (issue 14;
black-box: 17 columns, 2,657 px in a 904-px column, a caption naming those past the edge).

Every column is in one choice; the key and the name are in each (they say which target a row
is). What a clerk changes in one choice is kept when another is chosen: the grid's rows as last
edited become the data of the next choice's grid.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from appkit.text import GRID_BORDER_PX, ROW_MARKER_PX, WRAPPED_ROW_PX, grid_edge_css
from kpi.domain.plan import DIRECTIONS, GROUPS
from kpi.plans.source import DIRECTION_WORDS
from kpi.words import ACROSS_UNITS_WORDS, COUNTED_FROM_WORDS, GROUP_LABELS, OVER_YEAR_WORDS, WHEN_KNOWN_WORDS

#: The editor's height in px: its heading and seven rows of three lines (it scrolls within;
#: taller rows of a proposal show fewer at a time).
EDITOR_ROWS = 7
#: The columns whose text wraps: their width in px, and the widest a proposal may make them for a
#: long text (the name stays narrow: it is read beside the target at 1366 px). A line is 20 px.
WRAPPED_PX = {"name": (225, 225), "note": (250, 420), "source_text": (380, 560)}
#: A proposal's: narrower, so that what a clerk must read of it — key to note — is in view at
#: 1366 px (black-box: «Khớp mã» and the notes a sideways scroll away); a long note grows its row.
PROPOSAL_WRAPPED_PX = {"name": (185, 185), "note": (230, 250), "source_text": (380, 560)}
#: And its other columns a clerk reads, as narrow as their words (they wrap on the row's lines).
PROPOSAL_PX = {"target": 80, "unit": 80, "match": 95}
#: On a phone the name's column is narrower (its rows taller), beside one other column.
PHONE_NAME_PX = 130
#: The room of a grid's columns (px, its row markers and border left out) in the page's main column
#: at 1366×768 beside the sidebar (906 px measured), and on a 390-px phone in «Sửa trong bảng»
#: (324 px measured).
WIDE_ROOM_PX = 906 - ROW_MARKER_PX - GRID_BORDER_PX
PHONE_ROOM_PX = 324 - ROW_MARKER_PX - GRID_BORDER_PX
#: The key of the choice of columns above each grid (the grids' keys' start → it).
COLUMN_CHOICE_KEYS = {"plan_editor_": "plan_cols", "plan_rd_editor_": "plan_rd_cols"}
#: In every choice of columns, first: which target a row is.
ROW_NAME = ("key", "name")
#: The choices of columns on a wide screen, after :data:`ROW_NAME` (label → columns): what a clerk
#: reads and edits of every target first; then the rest, read less often.
PLAN_CHOICES = {
    "Chỉ tiêu": ("target", "unit", "direction", "when_known", "over_year"),
    "Nhóm, cách cộng": ("group", "across_units", "counted_from"),
    "Số gốc, thứ tự": ("baseline", "parent", "plan_no"),
    "Khen thưởng": ("award", "recipient", "conferred_by"),
    "Câu trong kế hoạch": ("source_text",),
}
#: A proposal's: how its key matched and its note first (black-box at 1366 px: a scroll away).
PROPOSAL_CHOICES = {
    "Chỉ tiêu": ("target", "unit", "direction", "match", "note"),
    "Khi có số, nhóm": ("when_known", "over_year", "group"),
    "Cách cộng, số gốc": ("across_units", "counted_from", "baseline"),
    "Khen thưởng": ("award", "recipient", "conferred_by"),
    "Thứ tự, dòng": ("parent", "plan_no", "line", "direction_from"),
    "Câu trong kế hoạch": ("source_text",),
}


def columns(proposal: bool, widths: dict[str, int] | None = None) -> dict:
    """The editor's columns: Vietnamese labels, choices shown in words, each column as wide as its
    heading and its longest choice (a choice is drawn on one line; a text wraps on three), a wrapped
    text's as ``widths`` says (:func:`appkit.wrapped_layout`; else :data:`WRAPPED_PX`)."""
    px = {column: width for column, (width, _most) in WRAPPED_PX.items()} | (widths or {})
    when, over, counted = WHEN_KNOWN_WORDS, OVER_YEAR_WORDS, COUNTED_FROM_WORDS
    config = {
        "key": st.column_config.TextColumn("Mã", help="Để trống: chỉ tiêu mới, được cấp mã khi lưu.", width=60),
        "name": st.column_config.TextColumn("Chỉ tiêu", required=True, width=px["name"]),
        "target": st.column_config.TextColumn(
            "Kế hoạch", help="Ví dụ 3.300,9 — khoảng: 45–55", required=True, width=95
        ),
        "unit": st.column_config.TextColumn("ĐVT", width=90),
        "direction": st.column_config.SelectboxColumn(
            "Chiều", options=list(DIRECTIONS), format_func=DIRECTION_WORDS.get, required=True, width=110
        ),
        "when_known": st.column_config.SelectboxColumn(
            "Khi có số", options=list(when), format_func=when.get, width=100
        ),
        "over_year": st.column_config.SelectboxColumn("Trong năm", options=list(over), format_func=over.get, width=135),
        "group": st.column_config.SelectboxColumn(
            "Nhóm", options=list(GROUPS), format_func=GROUP_LABELS.get, required=True, width=165
        ),
        "source_text": st.column_config.TextColumn("Câu trong kế hoạch", disabled=True, width=px["source_text"]),
        "across_units": st.column_config.SelectboxColumn(
            "Giữa đơn vị", options=list(ACROSS_UNITS_WORDS), format_func=ACROSS_UNITS_WORDS.get, width=205
        ),
        "baseline": st.column_config.TextColumn(
            "Số năm trước", help="Mức gốc của chỉ tiêu «giảm (điểm %)».", width=120
        ),
        "counted_from": st.column_config.SelectboxColumn(
            "Đếm từ", options=list(counted), format_func=counted.get, width=165
        ),
        "parent": st.column_config.TextColumn("Thuộc mã", width=105),
        "plan_no": st.column_config.TextColumn("Số TT", width=80),
        "award": st.column_config.TextColumn("Danh hiệu / hình thức", width=180),
        "recipient": st.column_config.TextColumn("Đối tượng", width=110),
        "conferred_by": st.column_config.TextColumn("Cơ quan tặng thưởng", width=175),
        "direction_from": st.column_config.TextColumn("Chiều theo", disabled=True, width=120),
        "match": st.column_config.TextColumn("Khớp mã", disabled=True, width=110),
        "note": st.column_config.TextColumn("Ghi chú", disabled=True, width=px["note"]),
        "line": st.column_config.TextColumn(
            "Dòng VB",
            disabled=True,
            width=75,
            help="Dòng của văn bản kế hoạch có chỉ tiêu này (không phải hàng của bảng).",
        ),
    }
    if not proposal:
        for name in ("direction_from", "match", "note", "line"):
            config[name] = None
        return config
    for name, width in PROPOSAL_PX.items():
        config[name]["width"] = width
    config["target"]["label"] = "KH"  # «Kế hoạch»: its help says so; the room is the note's
    config["target"]["help"] = "Kế hoạch (mục tiêu) năm. " + config["target"]["help"]
    return config


def column_choices(proposal: bool, phone: bool, config: dict) -> dict[str, list[str]]:
    """The grid's choices of columns (label → its columns in order). On a wide screen
    :data:`PLAN_CHOICES` (a proposal's :data:`PROPOSAL_CHOICES`), each after the key and the
    name; on a phone the name and one column beside it (the key last: the list above says it),
    labelled by it."""
    if not phone:
        chosen = PROPOSAL_CHOICES if proposal else PLAN_CHOICES
        return {label: [*ROW_NAME, *cols] for label, cols in chosen.items()}
    singles = [c for c in (*(c for cols in PROPOSAL_CHOICES.values() for c in cols), "key") if config.get(c)]
    return {config[c]["label"]: ["name", c] for c in singles}


def fitted(config: dict, order: list[str], phone: bool) -> dict:
    """``config`` with the columns of ``order`` made to fit the room (:data:`WIDE_ROOM_PX`,
    :data:`PHONE_ROOM_PX`): on a phone the column beside the name takes what is left (a text
    wraps in it)."""
    if not phone:
        return config
    fit = dict(config)
    fit["name"] = {**config["name"], "width": PHONE_NAME_PX}
    other = order[-1]
    fit[other] = {**config[other], "width": min(config[other]["width"], PHONE_ROOM_PX - PHONE_NAME_PX)}
    return fit


def held_rows(frame: pd.DataFrame, key: str, choice: str) -> pd.DataFrame:
    """The rows the grid of ``choice`` starts from: ``frame`` at first; once another choice of
    columns is made, the rows as last edited (:func:`plan_grid` keeps them), so that nothing
    changed is lost by looking at other columns."""
    held = st.session_state.get(key + "_held")
    if held is None:
        return frame
    if held[0] != choice:
        held = (choice, st.session_state.get(key + "_last", held[1]))
        st.session_state[key + "_held"] = held
    return held[1]


def plan_grid(frame: pd.DataFrame, proposal: bool, widths: dict, row_px: int, key: tuple[str, str], phone: bool):
    """The targets' editable grid (the plan's, or a read text's proposal), keyed ``key[0] +
    key[1]`` and the choice of columns shown (:func:`column_choices`, chosen above it under
    :data:`COLUMN_CHOICE_KEYS`): it never scrolls sideways. Returns the edited frame, every column."""
    config = columns(proposal, widths)
    choices = column_choices(proposal, phone, config)
    # its own key, not the grid's: the grid's key starts the CSS container of grid_edge_css
    label = st.segmented_control(
        "Cột đang xem", list(choices), default=next(iter(choices)), key=COLUMN_CHOICE_KEYS[key[0]], required=True
    )
    label = label if label in choices else next(iter(choices))
    order = choices[label]
    config = fitted(config, order, phone)
    name = key[0] + key[1]
    rows = held_rows(frame, name, label)
    st.html(grid_edge_css(key[0], [ROW_MARKER_PX, *(config[c]["width"] for c in order)]))
    edited = st.data_editor(
        rows,
        column_config=config,
        column_order=order,
        row_height=row_px,
        height=36 + EDITOR_ROWS * WRAPPED_ROW_PX,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=f"{name}_{list(choices).index(label)}",
        placeholder="",
    )
    st.session_state[name + "_held"] = (label, rows)
    st.session_state[name + "_last"] = edited
    return edited
