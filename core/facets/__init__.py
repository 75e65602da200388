"""The faceting core: per-worker bitmap indexes of a model's published rows (core.facets.index),
kept in step with Postgres through a change log written by triggers (core.facets.changes); the
life cycle of such an index (build in the background, follow the log) is core.facets.live,
which the word index of the search tables (core.word_index) shares."""
