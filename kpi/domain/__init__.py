"""The plan model and the rules, pure: no DuckDB, no files beyond the plan's own data files."""
