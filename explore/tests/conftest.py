import pytest

from explore.clusters import FINE_GRIDS
from explore.clusters import filters_forget


@pytest.fixture(autouse=True)
def _map_reset():
    """Each worker keeps its fine map grids and the filters it validated: each test starts
    with none."""
    for grid in FINE_GRIDS.values():
        grid.reset()
    filters_forget()
    yield
    for grid in FINE_GRIDS.values():
        grid.reset()
    filters_forget()
