"""A subscriber's circle is covered by its H3 cells: every point within the radius is found by
its own cells, anywhere on Earth (near the poles, across the antimeridian, at 1 and at 200 km),
and a cell marked inside never holds a point beyond the radius (those skip the distance check)."""

from __future__ import annotations

import math

import h3
import pytest
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


# A circle anywhere (poles, antimeridian) of 1 to 200 km, and a direction from its centre.
CIRCLE = {
    "lat": st.floats(-89, 89),
    "lon": st.floats(-180, 180),
    "radius": st.integers(1, 200),
    "bearing": st.floats(0, 360),
}


@settings(max_examples=300, deadline=None)
@given(**CIRCLE, share=st.floats(0, 1))
def test_every_point_within_the_radius_is_in_a_covering_cell(lat, lon, radius, bearing, share):
    covered = {cell for cell, _ in areas.cover(lat, lon, radius)}
    point = destination(lat, lon, bearing, radius * share)
    assert covered & set(areas.cells_of(*point))
    assert areas.within(point, [(7, lat, lon, radius + 0.01)]) == [7]


@settings(max_examples=300, deadline=None)
@given(**CIRCLE, beyond=st.floats(0.002, 3))
def test_no_point_beyond_the_radius_is_in_a_cell_marked_inside(lat, lon, radius, bearing, beyond):
    """Just past the edge (where a loose "inside" would show) and farther out."""
    inside = {cell for cell, whole in areas.cover(lat, lon, radius) if whole}
    point = destination(lat, lon, bearing, radius + beyond)
    assert distance_km((lat, lon), point) > radius
    assert not inside & set(areas.cells_of(*point))


def test_a_circle_is_a_few_dozen_cells_mostly_inside_its_radius():
    for radius in (1, 10, 50, 200):
        cells = areas.cover(19.43, -99.13, radius)
        assert len(cells) <= areas.MAX_CELLS
        assert any(inside for _, inside in cells)  # part of the circle needs no distance check
        resolution = h3.get_resolution(h3.int_to_str(cells[0].cell))
        area = sum(h3.cell_area(h3.int_to_str(cell), "km^2") for cell, _ in cells)
        assert {h3.get_resolution(h3.int_to_str(c)) for c, _ in cells} == {resolution}
        assert area < 3 * math.pi * radius**2  # what an alert looks through: not a whole region
    assert len(areas.cells_of(19.43, -99.13)) == len(areas.RESOLUTIONS)


def test_a_radius_beyond_the_cells_is_refused_not_half_covered():
    with pytest.raises(ValueError, match="too wide"):
        areas.cover(19.43, -99.13, 5000)


def test_a_point_outside_the_circle_is_left_out_by_the_exact_check():
    far = destination(19.43, -99.13, 90, 10.5)
    assert distance_km((19.43, -99.13), far) > 10
    assert areas.within(far, [(1, 19.43, -99.13, 10)]) == []
