import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with every address's tip budget unused (the cache holds the counts)."""
    cache.clear()
    yield
    cache.clear()
