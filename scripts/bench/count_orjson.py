"""Events by name with orjson: the fast-Python peer."""
import sys

import orjson

counts = {}
with open(sys.argv[1], "rb") as f:
    for line in f:
        if line.strip():
            event = orjson.loads(line).get("event")
            counts[event] = counts.get(event, 0) + 1
print(counts)
