import pytest

from explore.clusters import FINE_GRIDS


@pytest.fixture(autouse=True)
def _fine_grids_reset():
    """Each worker keeps its fine map grids: each test starts with none."""
    for grid in FINE_GRIDS.values():
        grid.reset()
    yield
    for grid in FINE_GRIDS.values():
        grid.reset()
