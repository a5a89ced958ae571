"""Where active cases are on the map, as small static files a browser or a partner's page reads.

**Tiles.** Cases are bucketed by their last-seen point into a grid of whole degrees of latitude
and longitude: tile ``19/-100`` holds the cases with 19 <= lat < 20 and -100 <= lon < -99. A
grid of degrees rather than H3 cells or geohashes because the visitor's browser must name the
tiles around it, and here that is one ``Math.floor`` per coordinate, with no library: H3 in a
browser needs h3-js (hundreds of KB) and the partner widget must stay under 10 KB. A tile is
111 km tall and 111 × cos(latitude) km wide (about 55 km at 60°). Each tile's file holds the cases
of its cell **and of the eight cells around it**, so that a circle of up to 55 km around a point
(the whole of it, up to 60° of latitude) is answered by the file of the point's own cell: a
near-me lookup is the index, then one file per site around the point (two near a border). A
wider circle takes the files of a few cells three apart. Only files that hold a case are
written, and the index names them. (The push side, subscribers alerted by radius, is computed
on the server, where H3's equal areas are worth the library.)

**Points** leave the snapshot rounded to 0.01° (about 1 km): enough to sort cases by distance
and to draw a circle around the place, and not the doorstep where a child was last seen.
"""

from __future__ import annotations

import math
from functools import lru_cache

PRECISION = 2  # decimals of a degree in every public file: about 1.1 km of latitude
EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
LATEST = 24  # the newest cases of a site in ``geo/latest.json``, for a widget with no place


def public_point(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    """The last-seen point as public files show it, or None when the case has none."""
    if lat is None or lon is None:
        return None
    return (round(lat, PRECISION), round(lon, PRECISION))


def tile_of(point: tuple[float, float]) -> str:
    """The tile that holds a point: ``tile_of((19.43, -99.13))`` → ``"19/-100"``."""
    lat, lon = point
    # The pole's row is the last one (89); longitude 180 is -180, as the neighbours say it.
    return f"{min(math.floor(lat), 89)}/{((math.floor(lon) + 180) % 360) - 180}"


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine), as the near-me page and the widget compute it."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


@lru_cache(maxsize=65536)
def neighbourhood(tile: str) -> tuple[str, ...]:
    """The cells whose cases the file of ``tile`` holds: its own and the eight around it."""
    lat, lon = (int(part) for part in tile.split("/"))
    return tuple(
        f"{y}/{((x + 180) % 360) - 180}"
        for y in range(lat - 1, lat + 2)
        if -90 <= y < 90
        for x in range(lon - 1, lon + 2)
    )


def tiles_near(point: tuple[float, float], radius_km: float) -> list[str]:
    """Every tile a circle touches (by its bounding box): what a lookup would fetch."""
    lat, lon = point
    dlat = radius_km / 111.195
    dlon = radius_km / max(111.195 * math.cos(math.radians(lat)), 1e-6)
    south, north = max(-90.0, lat - dlat), min(89.999999, lat + dlat)
    return [
        f"{y}/{((x + 180) % 360) - 180}"
        for y in range(math.floor(south), math.floor(north) + 1)
        for x in range(math.floor(lon - dlon), math.floor(lon + dlon) + 1)
    ]


def files_near(point: tuple[float, float], radius_km: float) -> list[str]:
    """The tile files a lookup fetches (as the widget does): the point's own, then, for a wider
    circle, any cell of ``tiles_near`` that no file fetched so far holds."""
    covered: set[str] = set()
    files = []
    for tile in [tile_of(point), *tiles_near(point, radius_km)]:
        if tile not in covered:
            files.append(tile)
            covered.update(neighbourhood(tile))
    return files
