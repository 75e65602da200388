"""Registering a kind of submitted content (events, funding opportunities) with the hub's
shared parts, from its app's AppConfig.ready()."""

import reversion

from core.api.routes import register_api_route
from core.exports import register_export
from core.moderation import register_moderated

# Columns rebuilt from the rest by each kind's reindex service: not kept in history.
UNVERSIONED = ["search_title", "search_body", "search_vector", "facet_keys"]


def register_submitted_kind(
    model,
    *,
    export,
    viewset: type,
    order: int,
    api_prefix: str | None = None,
    basename: str | None = None,
    unversioned=(),
) -> None:
    """Keep the kind's history (without its derived columns, UNVERSIONED and `unversioned`),
    offer its download, serve its API route and queue it for review, all at `order` among
    the kinds. The route is /api/v1/<api_prefix>/, the app's label unless given, and its
    URLs are named after `basename`, the model's name unless given (as DRF's routers do)."""
    reversion.register(model, exclude=[*UNVERSIONED, *unversioned])
    register_export(export)
    register_api_route(
        api_prefix or model._meta.app_label,
        viewset,
        basename=basename or model._meta.model_name,
        order=order,
    )
    register_moderated(model, order=order)
