"""Events by name with DuckDB's NDJSON reader (all cores)."""
import sys

import duckdb

path = sys.argv[1].replace("'", "''")
print(duckdb.sql(f"select event, count(*) from read_ndjson('{path}') group by 1").fetchall())
