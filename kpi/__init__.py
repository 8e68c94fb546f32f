"""The core of the district KPI dashboard: the plan as data, reports read, figures stored in
DuckDB, attainment judged, charts and exports built — importable and testable without Streamlit.

Subpackages follow the data flow, each importing only downward (``docs/architecture.md``,
``.importlinter``): :mod:`kpi.cli` → :mod:`kpi.output` → :mod:`kpi.reporting` →
:mod:`kpi.rebuild`, :mod:`kpi.demo` → :mod:`kpi.ingest`, :mod:`kpi.bootstrap`, :mod:`kpi.submissions`,
:mod:`kpi.backup` →
:mod:`kpi.reading` | :mod:`kpi.plans` → :mod:`kpi.access` → :mod:`kpi.storage` → :mod:`kpi.domain`
→ :mod:`kpi.words` → :mod:`kpi.vn` → :mod:`kpi.config`, :mod:`kpi.errors`, :mod:`kpi.lru`.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
