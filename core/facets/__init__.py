"""The faceting core: per-worker bitmap indexes of a model's published rows (core.facets.index),
kept in step with Postgres through a change log written by triggers (core.facets.changes)."""
