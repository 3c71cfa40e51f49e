#!/usr/bin/env python3
"""Writes Tests/GeoTests/Vectors/h3-index.json from the reference H3 library (the `h3` package on
PyPI, which wraps Uber's C library): cells at every resolution for random points, points near
the poles and the antimeridian, every base cell and every pentagon, with their parents, center
children, child counts and string forms; strings that are not cells; great-circle distances.

    pip install h3
    python3 scripts/h3-vectors.py
"""
import json
import random
from pathlib import Path

import h3

rng = random.Random(20261125)
points = [(rng.uniform(-90, 90), rng.uniform(-180, 180)) for _ in range(150)]
points += [(89.9999, rng.uniform(-180, 180)) for _ in range(10)]
points += [(-89.9999, rng.uniform(-180, 180)) for _ in range(10)]
points += [(rng.uniform(-60, 60), s * 179.9999) for s in (1, -1) for _ in range(10)]

cells = set()
for lat, lng in points:
    for res in range(16):
        cells.add(h3.latlng_to_cell(lat, lng, res))
for base in h3.get_res0_cells():
    cells.add(base)
for res in range(16):
    cells.update(h3.get_pentagons(res))


def describe(cell):
    res = h3.get_resolution(cell)
    return {
        "cell": cell,
        "resolution": res,
        "base_cell": h3.get_base_cell_number(cell),
        "pentagon": h3.is_pentagon(cell),
        "parents": [h3.cell_to_parent(cell, r) for r in range(res)],
        "center_children": [h3.cell_to_center_child(cell, r) for r in range(res + 1, min(res + 3, 16))],
        "children_next": sorted(h3.cell_to_children(cell, res + 1)) if res < 15 and res % 3 == 0 else [],
        "children_counts": [h3.cell_to_children_size(cell, r) for r in range(res, min(res + 4, 16))],
    }


invalid = [
    "", "0", "ffffffffffffffff", "zz", "89283082803fffg", "89283082803ffff0",
    # mode 2 (an edge), a reserved bit set, base cell 122, a digit 7 inside the resolution,
    # a deleted pentagon subsequence (digit 1 right after a pentagon base cell at res 1).
    "1189283082803ffff", "99283082803ffff", "80f5fffffffffff", "8928308287fffff", "81087ffffffffff",
]


def is_cell(text):
    try:
        return h3.is_valid_cell(text)
    except (ValueError, OverflowError, TypeError):
        return False


assert not any(is_cell(s) for s in invalid), [s for s in invalid if is_cell(s)]

distances = []
for _ in range(200):
    a = (rng.uniform(-90, 90), rng.uniform(-180, 180))
    b = (rng.uniform(-90, 90), rng.uniform(-180, 180))
    distances.append({"a": a, "b": b, "km": h3.great_circle_distance(a, b, unit="km"),
                      "m": h3.great_circle_distance(a, b, unit="m")})

# latLngToCell and cellToLatLng: [lat, lng, resolution, cell, centre lat, centre lng] rows, for
# random points, points near the poles and the antimeridian, and every pentagon's centre.
rows = []
latlng_rng = random.Random(20261126)
latlng_points = points + [(latlng_rng.uniform(-90, 90), latlng_rng.uniform(-180, 180)) for _ in range(1850)]


# Points on icosahedron face edges: from a random point, bisect towards a point whose
# resolution-15 cell lies on other faces until the two are a few nanodegrees apart.
edge_points = []
while len(edge_points) < 400:
    lat, lng = latlng_rng.uniform(-89, 89), latlng_rng.uniform(-180, 180)
    faces = set(h3.get_icosahedron_faces(h3.latlng_to_cell(lat, lng, 15)))
    dlat, dlng = latlng_rng.uniform(-1, 1), latlng_rng.uniform(-1, 1)
    far = (max(-89.0, min(89.0, lat + dlat * 40)), lng + dlng * 40)
    if set(h3.get_icosahedron_faces(h3.latlng_to_cell(*far, 15))) == faces:
        continue
    near = (lat, lng)
    for _ in range(40):
        middle = ((near[0] + far[0]) / 2, (near[1] + far[1]) / 2)
        if set(h3.get_icosahedron_faces(h3.latlng_to_cell(*middle, 15))) == faces:
            near = middle
        else:
            far = middle
    edge_points.append((near[0], (near[1] + 180) % 360 - 180))
latlng_points += edge_points
for lat, lng in latlng_points:
    for res in range(16):
        cell = h3.latlng_to_cell(lat, lng, res)
        rows.append([lat, lng, res, cell, *h3.cell_to_latlng(cell)])
for res in range(16):
    for pentagon in h3.get_pentagons(res):
        centre = h3.cell_to_latlng(pentagon)
        rows.append([centre[0], centre[1], res, pentagon, centre[0], centre[1]])
latlng_out = Path(__file__).resolve().parent.parent / "Tests/GeoTests/Vectors/h3-latlng.json"
latlng_out.write_text(json.dumps(rows, separators=(",", ":")) + "\n")
print(f"wrote {latlng_out}: {len(rows)} rows")

# gridDisk and gridDistance, pentagons included.
grid_rng = random.Random(11)
disk_cells = [h3.latlng_to_cell(grid_rng.uniform(-89, 89), grid_rng.uniform(-180, 180), grid_rng.randint(0, 12))
              for _ in range(60)]
for res in [0, 1, 2, 5, 9]:
    disk_cells += h3.get_pentagons(res)[:4]
disks = []
for cell in disk_cells:
    k = 1 if h3.get_resolution(cell) < 2 else grid_rng.randint(1, 3)
    disks.append([cell, k, sorted(h3.grid_disk(cell, k))])
grid_distances = []
for _ in range(40):
    a = h3.latlng_to_cell(grid_rng.uniform(-60, 60), grid_rng.uniform(-180, 180), grid_rng.randint(3, 10))
    b = grid_rng.choice(sorted(h3.grid_disk(a, 4)))
    grid_distances.append([a, b, h3.grid_distance(a, b)])
grid_out = Path(__file__).resolve().parent.parent / "Tests/GeoTests/Vectors/h3-grid.json"
grid_out.write_text(json.dumps({"disks": disks, "distances": grid_distances}) + "\n")
print(f"wrote {grid_out}: {len(disks)} disks, {len(grid_distances)} distances")

# cellToBoundary and cellArea: every base cell, the 12 pentagons at every resolution, and cells of
# random points at every resolution (many of them cross icosahedron edges at Class III
# resolutions, where the boundary gains crossing vertices).
boundary_rng = random.Random(20261127)
boundary_cells = set(h3.get_res0_cells())
for res in range(16):
    boundary_cells.update(h3.get_pentagons(res))
    for _ in range(150):
        boundary_cells.add(h3.latlng_to_cell(boundary_rng.uniform(-90, 90), boundary_rng.uniform(-180, 180), res))
for lat, lng in edge_points[:120]:
    boundary_cells.update(h3.latlng_to_cell(lat, lng, res) for res in range(16))
# Neighbours of pentagons straddle several faces.
for res in (1, 2, 3, 4, 5):
    for pentagon in h3.get_pentagons(res):
        boundary_cells.update(h3.grid_disk(pentagon, 1))
boundaries = [[cell, h3.cell_to_boundary(cell), h3.cell_area(cell, unit="rads^2"), h3.cell_area(cell, unit="km^2"),
               h3.cell_area(cell, unit="m^2")] for cell in sorted(boundary_cells)]
boundary_out = Path(__file__).resolve().parent.parent / "Tests/GeoTests/Vectors/h3-boundary.json"
boundary_out.write_text(json.dumps(boundaries, separators=(",", ":")) + "\n")
print(f"wrote {boundary_out}: {len(boundaries)} cells, "
      f"{sum(len(b[1]) not in (5, 6) for b in boundaries)} with face-crossing vertices")

out = Path(__file__).resolve().parent.parent / "Tests/GeoTests/Vectors/h3-index.json"
out.write_text(json.dumps({
    "h3_version": h3.__version__,
    "cells": [describe(c) for c in sorted(cells)],
    "invalid": invalid,
    "distances": distances,
}, indent=0) + "\n")
print(f"wrote {out}: {len(cells)} cells")
