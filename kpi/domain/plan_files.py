"""The plan's files under ``data/plans/<year>/`` read as tables (the database side is
:mod:`kpi.storage.catalogue`; the model is :mod:`kpi.domain.plan`)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd

from kpi.domain.plan import DIRECTIONS, GROUPS, parse_target, target_problems
from kpi.errors import PlanError

__all__ = ["plan_years", "read_plan_dir"]


def read_plan_dir(data_dir: Path, year: int) -> dict[str, pd.DataFrame | dict]:
    """Read one year's plan files and the shared alias tables.

    :returns: ``{"meta": dict, "indicators": DataFrame, "units": DataFrame}``; DataFrames keep
        every column as text, as written in the files.
    :raises PlanError: a file is missing or a row is inconsistent (unknown direction, range
        without "lo-hi", duplicate key).
    """
    folder = data_dir / "plans" / str(year)
    try:
        meta = tomllib.loads((folder / "plan.toml").read_text(encoding="utf-8"))
        indicators = pd.read_csv(folder / "indicators.csv", dtype=str, keep_default_na=False)
        units = pd.read_csv(folder / "units.csv", dtype=str, keep_default_na=False)
    except FileNotFoundError as exc:
        raise PlanError(f"Thiếu tệp kế hoạch năm {year}: {exc.filename}") from exc
    problems = []
    if indicators["key"].duplicated().any():
        problems.append("trùng mã chỉ tiêu: " + ", ".join(indicators.loc[indicators["key"].duplicated(), "key"]))
    for row in indicators.itertuples():
        if row.direction not in DIRECTIONS:
            problems.append(f"{row.key}: chiều đánh giá «{row.direction}» không hợp lệ")
        if row.group not in GROUPS:
            problems.append(f"{row.key}: nhóm «{row.group}» không hợp lệ")
        wrong = target_problems(row.target, row.unit, data_dir)
        problems += [f"{row.key} «{row.name}»: {p}" for p in wrong]
        if wrong:
            continue
        target, lo, hi, _ = parse_target(row.target)
        if row.direction == "range" and (lo is None or hi is None):
            problems.append(f"{row.key}: khoảng mục tiêu «{row.target}» phải viết «thấp-cao»")
        if row.direction != "range" and target is None:
            problems.append(f"{row.key}: thiếu giá trị mục tiêu")
    if problems:
        raise PlanError(f"Kế hoạch năm {year} không hợp lệ: " + "; ".join(problems))
    return {"meta": meta, "indicators": indicators, "units": units}


def plan_years(data_dir: Path) -> list[int]:
    """Years with a plan folder under ``data/plans``."""
    base = data_dir / "plans"
    return sorted(int(p.name) for p in base.iterdir() if p.is_dir() and p.name.isdigit()) if base.exists() else []
