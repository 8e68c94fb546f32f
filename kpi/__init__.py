"""The core of the district KPI dashboard: the plan as data, reports read, figures stored in
DuckDB, attainment judged, charts and exports built — importable and testable without Streamlit.

Modules, one concept each: :mod:`kpi.plan` (the catalogue), :mod:`kpi.vn` (Vietnamese numbers and
text), :mod:`kpi.workbook` (bytes → cells), :mod:`kpi.layout` (finding the table),
:mod:`kpi.reports` and :mod:`kpi.registers` (reading), :mod:`kpi.validate` (problems),
:mod:`kpi.ingest` (prepare → commit), :mod:`kpi.store` (DuckDB), :mod:`kpi.figures` (stored figures
back), :mod:`kpi.attainment` (the rules), :mod:`kpi.report` (the report), :mod:`kpi.charts`,
:mod:`kpi.export`, :mod:`kpi.cli`.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
