"""Events by name with DuckDB's NDJSON reader: all cores, or as many threads as argv[2]."""
import sys

import duckdb

path = sys.argv[1].replace("'", "''")
con = duckdb.connect()
if len(sys.argv) > 2:
    con.execute(f"set threads = {int(sys.argv[2])}")
print(con.sql(f"select event, count(*) from read_ndjson('{path}') group by 1").fetchall())
