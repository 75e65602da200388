"""Where the network's nodes are drawn, computed on the server so the browser only places them
(cytoscape's "preset" layout: instant at thousands of nodes, where a force layout takes
seconds). Each connected part is laid out as a radial tree from its most connected node (rings
by distance, each subtree in a slice of the circle as wide as its size), and the parts are packed
in rows, the largest first. Plain Python, linear in nodes and edges."""

import math
from collections import deque

SPACING = 40.0  # between neighbouring nodes on a ring, and between rings


def components(nodes, adjacency) -> list[list]:
    """The connected parts of the graph, each a list of nodes, the largest first (then by their
    first node, so the order is stable)."""
    seen = set()
    parts = []
    for start in nodes:
        if start in seen:
            continue
        seen.add(start)
        part, queue = [], deque([start])
        while queue:
            node = queue.popleft()
            part.append(node)
            for other in adjacency.get(node, ()):
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
        parts.append(part)
    parts.sort(key=lambda part: -len(part))
    return parts


def _radial(part, adjacency) -> tuple[dict, float]:
    """Positions of one connected part around (0, 0), and its radius."""
    if len(part) == 1:
        return {part[0]: (0.0, 0.0)}, SPACING / 2
    root = max(part, key=lambda node: (len(adjacency.get(node, ())), node))
    parent, depth, order = {root: None}, {root: 0}, [root]
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for other in sorted(adjacency.get(node, ())):
            if other not in depth:
                parent[other], depth[other] = node, depth[node] + 1
                order.append(other)
                queue.append(other)
    size = dict.fromkeys(order, 1)
    children: dict = {node: [] for node in order}
    for node in reversed(order[1:]):
        size[parent[node]] += size[node]
        children[parent[node]].append(node)
    per_ring: dict[int, int] = {}
    for node in order:
        per_ring[depth[node]] = per_ring.get(depth[node], 0) + 1
    radius = [0.0]
    for ring in range(1, max(per_ring) + 1):
        radius.append(max(radius[-1] + SPACING, per_ring[ring] * SPACING / (2 * math.pi)))
    span = {root: (0.0, 2 * math.pi)}
    positions = {}
    for node in order:
        start, end = span[node]
        r = radius[depth[node]]
        middle = (start + end) / 2
        positions[node] = (r * math.cos(middle), r * math.sin(middle))
        kids = list(reversed(children[node]))
        total = sum(size[kid] for kid in kids) or 1
        at = start
        for kid in kids:
            width = (end - start) * size[kid] / total
            span[kid] = (at, at + width)
            at += width
    return positions, radius[-1] + SPACING


def layout(nodes, adjacency) -> dict:
    """(x, y) of every node: each connected part a radial tree, the parts packed in rows by
    their bounding boxes (a pair takes the room of two nodes, not of a circle around them)."""
    boxes = []
    for part in components(nodes, adjacency):
        placed, _ = _radial(part, adjacency)
        xs = [x for x, _ in placed.values()]
        ys = [y for _, y in placed.values()]
        left, top = min(xs), min(ys)
        boxes.append((placed, left, top, max(xs) - left + SPACING, max(ys) - top + SPACING))
    area = sum(width * height for *_, width, height in boxes)
    row_width = max([width for *_, width, _ in boxes] + [math.sqrt(area) * 1.3])
    positions = {}
    x = y = row_height = 0.0
    for placed, left, top, width, height in boxes:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in placed.items():
            positions[node] = (round(x + px - left), round(y + py - top))
        x += width
        row_height = max(row_height, height)
    return positions
