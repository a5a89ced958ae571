"""Which subscribers' areas cover a case's last-seen point, the same on SQLite and PostgreSQL.

A circle around a subscriber's place is covered by H3 cells (the ``h3`` package: hexagons of
nearly equal area everywhere, unlike a grid of degrees) of the finest resolution at which a
small disk of cells covers it, and each cell is a row of ``SubscriberCell``, indexed. A case's
point has one cell per resolution in use: one indexed lookup of those few cells finds every
circle that may hold it, and an exact distance check keeps those that do. The work is in
proportion to the subscribers near the case, not to all of them. Regions and whole countries
are matched by their columns.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import h3

from sitegen.geo import distance_km

RESOLUTIONS = range(2, 8)  # hexagon edges of about 183 km (res 2) down to 1.4 km (res 7)
MAX_RING = 3  # a disk of at most 37 cells per circle


def _edge_km(cell: str) -> float:
    """The shortest edge of a cell (cells near the icosahedron's vertices are smaller)."""
    return min(h3.edge_length(edge, "km") for edge in h3.origin_to_directed_edges(cell))


def ring_for(radius_km: float, edge_km: float) -> int:
    """How many rings of hexagons of ``edge_km`` around the centre's own cover ``radius_km``.

    A cell k rings away has its centre at least 1.5 edges x k from the centre cell's, and a
    point within the radius is in a cell whose centre is within radius + one edge of it; one
    ring more for the distortion of the grid."""
    return math.ceil((radius_km + edge_km) / (1.5 * edge_km)) + 1


def cover(lat: float, lon: float, radius_km: float) -> list[int]:
    """The H3 cells (as integers) that together cover the circle."""
    for resolution in reversed(RESOLUTIONS):  # the finest first; the coarsest takes any radius
        centre = h3.latlng_to_cell(lat, lon, resolution)
        k = ring_for(radius_km, _edge_km(centre))
        if k <= MAX_RING:
            break
    return sorted(h3.str_to_int(cell) for cell in h3.grid_disk(centre, k))


def cells_of(lat: float, lon: float) -> list[int]:
    """The cells that hold a point, one per resolution a circle may be covered at."""
    return [h3.str_to_int(h3.latlng_to_cell(lat, lon, r)) for r in RESOLUTIONS]


def within(
    point: tuple[float, float], circles: Iterable[tuple[int, float, float, float]]
) -> list[int]:
    """The ids of the circles (id, lat, lon, radius) that hold ``point``."""
    return [key for key, lat, lon, radius in circles if distance_km(point, (lat, lon)) <= radius]
