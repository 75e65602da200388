"""Times core.text_index on a seeded database (issue 15), beside today's queries.

    DATABASE_URL=postgres://.../dsi_hub_facets REDIS_URL=redis://127.0.0.1:6379/13 \\
        python -m bench.text_index_bench [--words 100] [--build]

The database's own tables are left alone: `--build` makes copies of the search tables under the
names fts2_organisation and fts2_project (the shape and settings migration 0012 gives
directory_organisationtext and directory_projecttext, filled the same way, without triggers on
the profile tables) and their matching functions; the run reads those.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

COMMON = ["open", "community", "digital"]
PAGE = 20


def ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):6.1f} ms  p95 {p95:6.1f} ms  (n={len(ordered)})"


def build(cursor, source: str, copy: str) -> None:
    from core.text_index_tables import TOAST_TUPLE_TARGET
    from core.text_index_tables import fill_sql
    from core.text_index_tables import matching_function

    started = time.perf_counter()
    cursor.execute(f"DROP TABLE IF EXISTS {copy} CASCADE")
    cursor.execute(
        f"CREATE TABLE {copy} (id int PRIMARY KEY, title text NOT NULL, vector tsvector NOT NULL, "
        f"title_vector tsvector NOT NULL) WITH (toast_tuple_target = {TOAST_TUPLE_TARGET})"
    )
    cursor.execute(f"ALTER TABLE {copy} ALTER COLUMN vector SET STORAGE EXTERNAL")
    cursor.execute(f"ALTER TABLE {copy} ALTER COLUMN title_vector SET STORAGE MAIN")
    cursor.execute(fill_sql(source, copy))
    cursor.execute(f"CREATE INDEX {copy}_vector ON {copy} USING gin (vector)")
    cursor.execute(f"CREATE INDEX {copy}_title ON {copy} USING gin (title_vector)")
    cursor.execute(f"CREATE INDEX {copy}_name ON {copy} (title, id)")
    cursor.execute(
        f"CREATE OR REPLACE FUNCTION {matching_function(copy)}(query tsquery) RETURNS bytea "
        "LANGUAGE sql STABLE SET enable_seqscan = off AS $$ SELECT string_agg(int4send(id), "
        f"''::bytea) FROM {copy} WHERE vector @@ query $$"
    )
    cursor.execute(f"VACUUM ANALYZE {copy}")
    cursor.execute(f"SELECT pg_relation_size('{copy}'), pg_total_relation_size('{copy}')")
    heap, total = cursor.fetchone()
    print(f"{copy}: built in {ms(started):.0f} ms, heap {heap >> 20} MB, total {total >> 20} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=100)
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--seed", type=int, default=15)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsi_hub.settings")
    # The GIN's own times: the word index is timed by bench/word_index_bench.py.
    os.environ.setdefault("WORD_INDEX", "false")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection

    from core import text_index
    from core.search import search_words
    from directory.models import Organisation
    from directory.models import Project
    from directory.versions import DIRECTORY

    kinds = {Organisation: "fts2_organisation", Project: "fts2_project"}
    with connection.cursor() as cursor:
        for model, copy in kinds.items():
            if options.build:
                build(cursor, model._meta.db_table, copy)
            stand_in = SimpleNamespace(_meta=SimpleNamespace(db_table=copy))
            text_index.register_text_index(model, stand_in, version=DIRECTORY)

    chooser = random.Random(options.seed)
    for model in kinds:
        names = list(
            model.objects.published().order_by("?").values_list("name", flat=True)[: options.words]
        )
        words = [chooser.choice(search_words(name) or ["open"]) for name in names]
        print(f"\n== {model._meta.verbose_name_plural}: {len(words)} random words + {COMMON}")
        for label, batch in (("random words", words), *((word, [word] * 9) for word in COMMON)):
            cold, warm, rel_cold, rel_warm, rel_deep, sizes = [], [], [], [], [], []
            old_ids, old_rank = [], []
            for word in batch:
                DIRECTORY.bump()  # a new content version: nothing of it cached yet
                started = time.perf_counter()
                ids = text_index.matching_ids(model, word)
                cold.append(ms(started))
                sizes.append(len(ids))
                started = time.perf_counter()
                text_index.matching_ids(model, word)
                warm.append(ms(started))
                text_index.relevance_page(model, "", ids, 0, PAGE)  # name order of this version
                started = time.perf_counter()
                text_index.relevance_page(model, word, ids, 0, PAGE)  # title hits not cached
                rel_cold.append(ms(started))
                started = time.perf_counter()
                text_index.relevance_page(model, word, ids, 0, PAGE)
                rel_warm.append(ms(started))
                started = time.perf_counter()
                text_index.relevance_page(model, word, ids, 9 * PAGE, PAGE)
                rel_deep.append(ms(started))
                if label != "random words" or len(old_ids) < 20:
                    published = model.objects.published()
                    started = time.perf_counter()
                    list(published.matching(word).values_list("pk", flat=True))
                    old_ids.append(ms(started))
                    started = time.perf_counter()
                    list(published.by_relevance(word).values_list("pk", flat=True)[:PAGE])
                    old_rank.append(ms(started))
            print(f"  {label} (matches: median {statistics.median(sizes):.0f}, max {max(sizes)})")
            print(f"    matching_ids, from Postgres   {summary(cold)}")
            print(f"    matching_ids, from Redis      {summary(warm)}")
            print(f"    relevance page 1 (new query)  {summary(rel_cold)}")
            print(f"    relevance page 1, cached      {summary(rel_warm)}")
            print(f"    relevance page 10, cached     {summary(rel_deep)}")
            print(f"    today: .matching() ids        {summary(old_ids)}")
            print(f"    today: by_relevance page 1    {summary(old_rank)}")
        DIRECTORY.bump()
        started = time.perf_counter()
        text_index.relevance_page(model, "", text_index.matching_ids(model, "open"), 0, PAGE)
        print(f"  name order, built once per content version: {ms(started):.0f} ms")
        key = text_index._key(text_index.text_index(model), "open:*", "ids")
        print(f"  'open' ids in Redis: {len(cache.get(key)['ids']) / 1024:.1f} kB serialized")


if __name__ == "__main__":
    main()
