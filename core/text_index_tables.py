"""The narrow search tables of core.text_index: one per searchable model, holding only its
published rows' ids, folded titles and search vectors, and kept in step by Postgres itself.

Why a table beside the model's own `search_vector`: the model's rows are wide (descriptions,
links, facet keys), so a word found in most of them ("open": 86 % of organisations) made the
planner read and de-TOAST every row (300-700 ms). Here a row holds only the id, the titles and
the vector, and a bitmap scan of the GIN gives the ids with no recheck for plain and prefix
words: 10-50 ms for a word in a quarter to half of 100,000 rows, most of it visiting the heap
pages of the matches. (The vector is marked STORAGE EXTERNAL with a toast_tuple_target of 128
bytes, but Postgres only moves values out of line from rows over about 2 kB, so a typical row of
1-2 kB keeps its vector inline.) `title_vector` (the title alone) ranks title hits for
relevance, and `(title, id)` gives the name order.

Triggers, not services, keep the table in step: every way a row is written (services, the
admin, bulk imports, the seed's COPY, `.update()`, cascades and account deletion) passes through
them, in the same transaction. A row is indexed while its status is published and removed when
it is anything else or deleted.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import migrations
from django.db import models

from core.facets.changes import vector_change_triggers_sql

# Rows' heads stay this small: anything larger (the vector) goes to the TOAST table.
TOAST_TUPLE_TARGET = 128


class TextIndexRow(models.Model):
    """One published row of a searchable model (SearchText): its id, folded title, search
    vector (a copy of the model's) and title-only vector. Written by the triggers that
    `text_index_operations` installs, never by Django."""

    id = models.IntegerField(primary_key=True)
    title = models.TextField()
    vector = SearchVectorField()
    title_vector = SearchVectorField()

    class Meta:
        abstract = True
        indexes = [
            GinIndex(fields=["vector"], name="%(class)s_vector"),
            GinIndex(fields=["title_vector"], name="%(class)s_title"),
            models.Index(fields=["title", "id"], name="%(class)s_name"),
        ]


def _names(index_table: str) -> dict:
    return {
        "index": index_table,
        "added": f"{index_table}_added",
        "removed": f"{index_table}_removed",
        "changed": f"{index_table}_changed",
        "emptied": f"{index_table}_emptied",
        "matching": f"{index_table}_matching",
    }


def _statement_trigger(name: str, table: str, event: str, transition: str, body: str) -> str:
    """A trigger function running `body` once per statement, and its trigger on `table`;
    `transition` names the rows it saw (REFERENCING ...), where the event has them."""
    referencing = f" REFERENCING {transition}" if transition else ""
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN{body}
    RETURN NULL;
END $$;
CREATE TRIGGER {name} AFTER {event} ON {table}{referencing}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


def matching_function(index_table: str) -> str:
    """The SQL function that gives the ids matching a tsquery (see core.text_index)."""
    return _names(index_table)["matching"]


def text_index_sql(
    source_table: str,
    index_table: str,
    *,
    status_column="status",
    published="published",
    model_label: str | None = None,
) -> tuple[str, str]:
    """SQL that makes `index_table` narrow, installs the triggers on `source_table` that keep it
    in step, installs its matching function and fills it; and the SQL that undoes it. With
    the searched model's `model_label` ("app.model"), the table's changes are logged for the
    word index (core.word_index) too: new tables pass it; the tables made before log them
    from a migration of their own (core.facets.changes.vector_change_triggers_sql)."""
    n = _names(index_table)
    logged, unlogged = ("", "")
    if model_label:
        logged, unlogged = vector_change_triggers_sql(index_table, model_label)
    columns = "id, title, vector, title_vector"
    values = "id, search_title, search_vector, to_tsvector('simple', search_title)"
    is_published = f"{status_column} = '{published}'"
    forward = f"""
ALTER TABLE {index_table} SET (toast_tuple_target = {TOAST_TUPLE_TARGET});
ALTER TABLE {index_table} ALTER COLUMN vector SET STORAGE EXTERNAL;
ALTER TABLE {index_table} ALTER COLUMN title_vector SET STORAGE MAIN;

{
        _statement_trigger(
            n["added"],
            source_table,
            "INSERT",
            "NEW TABLE AS added",
            f'''
    INSERT INTO {index_table} ({columns})
    SELECT {values} FROM added WHERE {is_published};''',
        )
    }
{
        _statement_trigger(
            n["removed"],
            source_table,
            "DELETE",
            "OLD TABLE AS removed",
            f'''
    DELETE FROM {index_table} WHERE id IN (SELECT id FROM removed);''',
        )
    }
CREATE FUNCTION {n["changed"]}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.{is_published} THEN
        INSERT INTO {index_table} ({columns})
        VALUES (NEW.id, NEW.search_title, NEW.search_vector,
                to_tsvector('simple', NEW.search_title))
        ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, vector = EXCLUDED.vector,
            title_vector = EXCLUDED.title_vector;
    ELSE
        DELETE FROM {index_table} WHERE id = OLD.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER {n["changed"]} AFTER UPDATE OF {status_column}, search_title, search_body
    ON {source_table} FOR EACH ROW
    WHEN (OLD.{status_column} IS DISTINCT FROM NEW.{status_column}
          OR OLD.search_title IS DISTINCT FROM NEW.search_title
          OR OLD.search_body IS DISTINCT FROM NEW.search_body)
    EXECUTE FUNCTION {n["changed"]}();

{
        _statement_trigger(
            n["emptied"],
            source_table,
            "TRUNCATE",
            "",
            f'''
    DELETE FROM {index_table};''',
        )
    }
-- A word in most rows would make the planner read every vector back (a sequential scan
-- de-TOASTs them all); through the GIN the ids come without one. The ids as big-endian int4s
-- in one bytea: a single value to send and parse, not a row per id.
CREATE FUNCTION {n["matching"]}(query tsquery) RETURNS bytea LANGUAGE sql STABLE
    SET enable_seqscan = off AS $$
    SELECT string_agg(int4send(id), ''::bytea) FROM {index_table} WHERE vector @@ query
$$;

{fill_sql(source_table, index_table, status_column=status_column, published=published)}
{logged}
"""
    backward = f"""{unlogged}
DROP TRIGGER {n["added"]} ON {source_table};
DROP TRIGGER {n["removed"]} ON {source_table};
DROP TRIGGER {n["changed"]} ON {source_table};
DROP TRIGGER {n["emptied"]} ON {source_table};
DROP FUNCTION {n["added"]}(), {n["removed"]}(), {n["changed"]}(), {n["emptied"]}(),
    {n["matching"]}(tsquery);
"""
    return forward, backward


def fill_sql(source_table: str, index_table: str, *, status_column="status", published="published"):
    """SQL that indexes every published row of `source_table` that `index_table` lacks."""
    return f"""
INSERT INTO {index_table} (id, title, vector, title_vector)
SELECT id, search_title, search_vector, to_tsvector('simple', search_title)
FROM {source_table} WHERE {status_column} = '{published}'
ON CONFLICT (id) DO NOTHING;
"""


def text_index_operations(source_table: str, index_table: str, **published) -> list:
    """The migration operations after a TextIndexRow model's CreateModel (created without its
    indexes, which follow the fill: building a GIN at once is faster than row by row)."""
    forward, backward = text_index_sql(source_table, index_table, **published)
    return [migrations.RunSQL(forward, backward)]
