"""The open-data API's routes, registered by each app from its AppConfig.ready() and collected
into one router by the configuration package (dsi_hub/urls_api.py)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ApiRoute:
    prefix: str
    viewset: type
    basename: str
    order: int


_routes: list[ApiRoute] = []


def register_api_route(prefix: str, viewset: type, *, basename: str, order: int) -> None:
    """Serve `viewset` under /api/v1/<prefix>/ (the API root lists routes by `order`)."""
    _routes[:] = [route for route in _routes if route.prefix != prefix]
    _routes.append(ApiRoute(prefix, viewset, basename, order))


def api_routes() -> list[ApiRoute]:
    return sorted(_routes, key=lambda route: route.order)
