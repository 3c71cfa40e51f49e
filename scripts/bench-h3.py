#!/usr/bin/env python3
"""Times the reference H3 C library's latLngToCell on points from a file of 'lat,lng' lines (degrees)
at a resolution, and prints JSON.

The loop runs in C (scripts/bench-h3.c, compiled here with the system's `cc`) and calls the
`latLngToCell` that the `h3` package from PyPI ships in its own shared object, so the figure is the
C library's own speed, with no interpreter in the loop. For comparison it also times the package's
per-call Python API.

    python3 scripts/bench-h3.py POINTS_FILE RESOLUTION
"""
import ctypes
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import h3
import h3._cy.latlng

points = []
with open(sys.argv[1]) as handle:
    for line in handle:
        lat, lng = line.split(",")
        points.append((float(lat), float(lng)))
res = int(sys.argv[2])
RADIANS_PER_DEGREE = 0.0174532925199432957692369076848861271111

with tempfile.TemporaryDirectory() as folder:
    library = Path(folder) / "bench-h3.so"
    source = Path(__file__).resolve().parent / "bench-h3.c"
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    harness = ctypes.CDLL(str(library))
    harness.bench_latlng_to_cell.restype = ctypes.c_double
    harness.bench_latlng_to_cell.argtypes = [
        ctypes.c_void_p, ctypes.POINTER(ctypes.c_double), ctypes.c_long, ctypes.c_int,
        ctypes.POINTER(ctypes.c_uint64), ctypes.POINTER(ctypes.c_long)]
    reference = ctypes.CDLL(h3._cy.latlng.__file__)
    function = ctypes.cast(reference.latLngToCell, ctypes.c_void_p)
    coordinates = (ctypes.c_double * (2 * len(points)))()
    for n, (lat, lng) in enumerate(points):
        # The same arithmetic as both libraries: one multiplication by pi / 180.
        coordinates[2 * n] = lat * RADIANS_PER_DEGREE
        coordinates[2 * n + 1] = lng * RADIANS_PER_DEGREE
    checksum = ctypes.c_uint64()
    errors = ctypes.c_long()
    # The fastest of three rounds, as on the Swift side.
    c_seconds = min(harness.bench_latlng_to_cell(function, coordinates, len(points), res,
                                                 ctypes.byref(checksum), ctypes.byref(errors)) for _ in range(3))

convert = h3.api.basic_int.latlng_to_cell
start = time.perf_counter()
for lat, lng in points:
    convert(lat, lng, res)
python_seconds = time.perf_counter() - start

print(json.dumps({"points": len(points), "c_seconds": c_seconds, "python_seconds": python_seconds,
                  "checksum": f"{checksum.value:x}", "errors": errors.value, "h3_version": h3.__version__}))
