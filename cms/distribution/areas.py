"""Which subscribers' areas cover a case's last-seen point, the same on SQLite and PostgreSQL.

A circle around a subscriber's place is covered by H3 cells (the ``h3`` package: hexagons of
nearly equal area everywhere, unlike a grid of degrees) of the finest resolution at which at
most ``MAX_CELLS`` of them cover it, and each cell is a row of ``SubscriberCell``, indexed,
marked **inside** when the whole cell lies within the circle. A case's point has one cell per
resolution in use: one indexed lookup of those few cells finds every circle that may hold it;
a point in an inside cell is within the circle, and only the cells on the circle's edge need
the exact distance check. The work is in proportion to the subscribers near the case, not to
all of them. Regions and whole countries are matched by their columns.

Why it is exact: an H3 cell's edges are arcs of great circles, and a circle on the sphere
(smaller than a hemisphere) is convex, so a cell whose corners are all within the radius lies
within it; a cell whose centre is farther than the radius plus its own reach cannot touch it.
The rings of cells are walked outwards until a whole ring is clear of the circle: a circle is
connected, so nothing beyond that ring can touch it either.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

import h3

from sitegen.geo import distance_km

RESOLUTIONS = range(2, 10)  # hexagon edges of about 183 km (res 2) down to 0.2 km (res 9)
MAX_CELLS = 60  # per circle: about 1.7 times its area to look through, a third needing no check
HEXAGON_AREA = 3 * math.sqrt(3) / 2  # a regular hexagon's area over its edge squared
MARGIN_KM = 0.001  # a metre, against rounding: "inside" only when surely inside


class Cell(NamedTuple):
    cell: int
    inside: bool


def _classify(centre: tuple[float, float], radius_km: float, cell: str) -> tuple[bool, bool] | None:
    """(touches the circle, lies wholly within it), or None when it is clear of it."""
    middle = h3.cell_to_latlng(cell)
    corners = h3.cell_to_boundary(cell)
    reach = max(distance_km(middle, corner) for corner in corners)
    if distance_km(centre, middle) - reach > radius_km + MARGIN_KM:
        return None
    return True, max(distance_km(centre, c) for c in corners) <= radius_km - MARGIN_KM


def _cover_at(lat: float, lon: float, radius_km: float, resolution: int) -> list[Cell] | None:
    """The cells of ``resolution`` that touch the circle, or None if more than MAX_CELLS do."""
    origin = h3.latlng_to_cell(lat, lon, resolution)
    found: list[Cell] = []
    seen: set[str] = set()
    k = 0
    while True:
        ring = set(h3.grid_disk(origin, k)) - seen  # a ring, pentagons included
        seen |= ring
        touching = 0
        for cell in ring:
            result = _classify((lat, lon), radius_km, cell)
            if result:
                touching += 1
                found.append(Cell(h3.str_to_int(cell), result[1]))
        if not touching:
            return found
        if len(found) > MAX_CELLS:
            return None
        k += 1


def cover(lat: float, lon: float, radius_km: float) -> list[Cell]:
    """The H3 cells (as integers, each marked inside or on the edge) that cover the circle."""
    for resolution in reversed(RESOLUTIONS):  # the finest that stays within MAX_CELLS
        edge = h3.average_hexagon_edge_length(resolution, "km")
        if math.pi * (radius_km + edge) ** 2 > 2 * MAX_CELLS * HEXAGON_AREA * edge**2:
            continue  # surely too many: not worth walking
        cells = _cover_at(lat, lon, radius_km, resolution)
        if cells is not None:
            return sorted(cells)
    raise ValueError(f"a radius of {radius_km} km is too wide for the alerts' cells")


def cells_of(lat: float, lon: float) -> list[int]:
    """The cells that hold a point, one per resolution a circle may be covered at."""
    return [h3.str_to_int(h3.latlng_to_cell(lat, lon, r)) for r in RESOLUTIONS]


def within(
    point: tuple[float, float], circles: Iterable[tuple[int, float, float, float]]
) -> list[int]:
    """The ids of the circles (id, lat, lon, radius) that hold ``point``."""
    return [key for key, lat, lon, radius in circles if distance_km(point, (lat, lon)) <= radius]
