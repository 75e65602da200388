"""Which indexed rows changed: a trigger writes one `core_facetchange` row per change to a
published row's filter keys, status or sort columns (FacetChange), in the transaction of the
change, whatever made it. A worker reads the rows logged since its last look and re-reads those
profiles' current state.

A transaction that commits after a later one must not be missed: a look reads every change
written by a transaction not yet finished at the previous look (`xid >= ` that look's
snapshot's xmin, the oldest transaction then running), so a late commit is read at the next
look after it; a change seen already is skipped by its `seq`.
"""

FUNCTION = "core_facet_change"
# Old changes go now and then (at one write in PRUNE_EVERY); a worker that has not looked for
# longer than KEEP rebuilds from the table instead of reading them.
PRUNE_EVERY = 1000
KEEP = "1 day"
KEEP_SECONDS = 24 * 60 * 60

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
DECLARE
    changed bigint;
    number bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN changed := OLD.id; ELSE changed := NEW.id; END IF;
    INSERT INTO core_facetchange (label, object_id, xid)
    VALUES (TG_ARGV[0], changed, pg_current_xact_id()::text::bigint)
    RETURNING seq INTO number;
    IF number % {PRUNE_EVERY} = 0 THEN
        DELETE FROM core_facetchange WHERE created_at < now() - interval '{KEEP}';
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""
FUNCTION_DROP_SQL = f"DROP FUNCTION IF EXISTS {FUNCTION}() CASCADE;"


def _row_triggers_sql(
    name: str, table: str, label: str, *, inserted: str, deleted: str, updated: str
) -> tuple[str, str]:
    """Row triggers logging `table`'s inserts, deletes and updates under `label` when their
    conditions hold, and the SQL that drops them."""
    create = f"""
        CREATE TRIGGER {name}_ins AFTER INSERT ON {table} FOR EACH ROW
            WHEN ({inserted}) EXECUTE FUNCTION {FUNCTION}('{label}');
        CREATE TRIGGER {name}_del AFTER DELETE ON {table} FOR EACH ROW
            WHEN ({deleted}) EXECUTE FUNCTION {FUNCTION}('{label}');
        CREATE TRIGGER {name}_upd AFTER UPDATE ON {table} FOR EACH ROW
            WHEN ({updated}) EXECUTE FUNCTION {FUNCTION}('{label}');
    """
    drop = "".join(
        f"DROP TRIGGER IF EXISTS {name}_{op} ON {table};" for op in ("ins", "del", "upd")
    )
    return create, drop


def change_triggers_sql(table: str, label: str, columns: list[str]) -> tuple[str, str]:
    """The SQL that logs the changes of `table`'s rows (and undoes it) for a migration: rows
    inserted or deleted while published, and updates of a row published before or after in
    which `status`, `facet_keys` or one of `columns` (the sort columns) changed."""
    watched = ["status", "facet_keys", *columns]
    differs = " OR ".join(f"OLD.{name} IS DISTINCT FROM NEW.{name}" for name in watched)
    return _row_triggers_sql(
        f"{table}_facets",
        table,
        label,
        inserted="NEW.status = 'published'",
        deleted="OLD.status = 'published'",
        updated=f"(OLD.status = 'published' OR NEW.status = 'published') AND ({differs})",
    )


def text_change_label(model_label: str) -> str:
    """The label under which a model's search table (core.text_index_tables) logs changes."""
    return f"text:{model_label}"


def vector_change_triggers_sql(table: str, model_label: str) -> tuple[str, str]:
    """The SQL that logs every row of `model_label`'s search table (core.text_index_tables)
    inserted, deleted or given another vector (and undoes it), for the word index
    (core.word_index)."""
    return _row_triggers_sql(
        f"{table}_words",
        table,
        text_change_label(model_label),
        inserted="true",
        deleted="true",
        updated="OLD.vector IS DISTINCT FROM NEW.vector",
    )


# One statement, so the changes and the horizon come from one snapshot.
CHANGES_SQL = """
    SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,
           coalesce(array_agg(seq), '{}'), coalesce(array_agg(object_id), '{}'),
           coalesce(max(seq), 0)
    FROM core_facetchange WHERE label = %s AND xid >= %s
"""
HORIZON_SQL = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
