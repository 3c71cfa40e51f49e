#!/usr/bin/env python3
"""Times the reference H3 C library (through the `h3` package) on points from a file of
'lat,lng' lines at a resolution, and prints JSON: seconds for the h3 calls and for the same Python
loop calling a function that does nothing, so the caller can subtract the interpreter's share.

    python3 scripts/bench-h3.py POINTS_FILE RESOLUTION
"""
import json
import sys
import time

import h3

points = []
with open(sys.argv[1]) as handle:
    for line in handle:
        lat, lng = line.split(",")
        points.append((float(lat), float(lng)))
res = int(sys.argv[2])
convert = h3.api.basic_int.latlng_to_cell


def nothing(lat, lng, res):
    return 0


start = time.perf_counter()
for lat, lng in points:
    convert(lat, lng, res)
h3_seconds = time.perf_counter() - start

start = time.perf_counter()
for lat, lng in points:
    nothing(lat, lng, res)
loop_seconds = time.perf_counter() - start

print(json.dumps({"points": len(points), "h3_seconds": h3_seconds, "loop_seconds": loop_seconds,
                  "h3_version": h3.__version__}))
