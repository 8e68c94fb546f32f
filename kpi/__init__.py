"""The core of the district KPI dashboard: the plan as data, reports read, figures stored in
DuckDB, attainment judged, charts and exports built — importable and testable without Streamlit.

Modules, one concept each: :mod:`kpi.domain.plan` (the catalogue), :mod:`kpi.vn` (Vietnamese numbers and
text), :mod:`kpi.reading.workbook` (bytes → cells), :mod:`kpi.reading.layout` (finding the table),
:mod:`kpi.reading.report_sheets` and :mod:`kpi.reading.registers` (reading), :mod:`kpi.reading.checks` (problems),
:mod:`kpi.ingest` (prepare → commit), :mod:`kpi.storage.database` (DuckDB), :mod:`kpi.storage.figures` (stored figures
back), :mod:`kpi.domain.rules` (the rules), :mod:`kpi.reporting.attainment_report` (the report), :mod:`kpi.output.charts`,
:mod:`kpi.output.export`, :mod:`kpi.cli`.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
