"""DuckDB (one file, or DuckLake shared by several servers): the connection, schema and transactions;
the plan, figures and layouts stored and read back.
Nothing here checks a role or writes an audit row (that is kpi.access and the layers above it)."""
