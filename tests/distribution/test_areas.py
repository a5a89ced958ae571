"""A subscriber's circle is covered by its H3 cells: every point within the radius is found by
its own cells, anywhere on Earth (near the poles, across the antimeridian, at 1 and at 200 km)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from cms.distribution import areas
from sitegen.geo import EARTH_RADIUS_KM, distance_km


def destination(lat: float, lon: float, bearing: float, km: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) in the direction ``bearing`` (degrees), on the sphere."""
    d = km / EARTH_RADIUS_KM
    p1, l1, b = math.radians(lat), math.radians(lon), math.radians(bearing)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
    )
    return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180


@settings(max_examples=300, deadline=None)
@given(
    lat=st.floats(-89, 89),
    lon=st.floats(-180, 180),
    radius=st.integers(1, 200),
    bearing=st.floats(0, 360),
    share=st.floats(0, 1),
)
def test_every_point_within_the_radius_is_in_a_covering_cell(lat, lon, radius, bearing, share):
    covered = set(areas.cover(lat, lon, radius))
    point = destination(lat, lon, bearing, radius * share)
    assert covered & set(areas.cells_of(*point))
    assert areas.within(point, [(7, lat, lon, radius + 0.01)]) == [7]


def test_a_circle_is_a_few_dozen_cells_and_a_point_a_few_lookups():
    for radius in (1, 10, 50, 200):
        assert len(areas.cover(19.43, -99.13, radius)) <= 37
    assert len(areas.cells_of(19.43, -99.13)) == len(areas.RESOLUTIONS)


def test_a_point_outside_the_circle_is_left_out_by_the_exact_check():
    far = destination(19.43, -99.13, 90, 10.5)
    assert distance_km((19.43, -99.13), far) > 10
    assert areas.within(far, [(1, 19.43, -99.13, 10)]) == []
