"""DuckDB: the connection, schema and transactions; figures, submissions, backups stored and read back."""
