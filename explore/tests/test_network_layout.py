"""The network's positions (explore/network_layout.py): parts found as a walk finds them, every
node placed once, apart from the others, each part in a box of its own."""

import random

from explore.network_layout import SPACING
from explore.network_layout import components
from explore.network_layout import layout


def _random_graph(seed: int, nodes: int, edges: int):
    rng = random.Random(seed)
    adjacency = {node: set() for node in range(nodes)}
    for _ in range(edges):
        a, b = rng.randrange(nodes), rng.randrange(nodes)
        if a != b:
            adjacency[a].add(b)
            adjacency[b].add(a)
    return list(range(nodes)), adjacency


def test_components_are_the_connected_parts_largest_first():
    nodes, adjacency = _random_graph(1, 300, 200)
    parts = components(nodes, adjacency)
    assert sorted(node for part in parts for node in part) == nodes
    assert [len(part) for part in parts] == sorted((len(part) for part in parts), reverse=True)
    where = {node: number for number, part in enumerate(parts) for node in part}
    assert all(where[a] == where[b] for a in adjacency for b in adjacency[a])


def test_every_node_has_a_place_of_its_own():
    for seed in range(5):
        nodes, adjacency = _random_graph(seed, 400, 350)
        positions = layout(nodes, adjacency)
        assert set(positions) == set(nodes)
        points = sorted(positions.values())
        closest = min(
            abs(x1 - x2) + abs(y1 - y2)
            for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False)
        )
        assert closest > 0
        assert len(set(points)) == len(points)


def test_parts_do_not_overlap():
    nodes, adjacency = _random_graph(7, 200, 150)
    positions = layout(nodes, adjacency)
    boxes = []
    for part in components(nodes, adjacency):
        xs = [positions[node][0] for node in part]
        ys = [positions[node][1] for node in part]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    for number, (left, top, right, bottom) in enumerate(boxes):
        for other in boxes[number + 1 :]:
            apart = (
                right + SPACING / 2 <= other[0]
                or other[2] + SPACING / 2 <= left
                or bottom + SPACING / 2 <= other[1]
                or other[3] + SPACING / 2 <= top
            )
            assert apart
