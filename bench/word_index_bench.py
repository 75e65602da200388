"""Times core.word_index on a seeded database, beside the search table's GIN (today's cold
search), and checks on the way that both give the same ids. Reads the database only (the
built index is shared in the Redis given, as workers share it).

    DJANGO_DEBUG=true DATABASE_URL=postgres://.../dsi_hub_facets \\
        REDIS_URL=redis://127.0.0.1:6379/15 python -m bench.word_index_bench [--words 200]

The build time per kind, the time the next worker takes to load the copy the build shared,
and the process's resident memory before and after both builds. Per kind, for words drawn
from published titles (bench.distinct.title_words), each searched once through Postgres (no
Redis cache: what a new word costs today) and through the built index (plus the GIN's time
where the index hands the word to Postgres): p50, p95, max. Prefixes of 1-5 letters and
two-word searches of the same words are compared too.
"""

import argparse
import gc
import os
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"p50 {statistics.median(ordered):6.2f} ms  p95 {p95:6.2f} ms  "
        f"max {ordered[-1]:6.2f} ms  (n={len(ordered)})"
    )


def timed(function, *args):
    started = time.perf_counter()
    value = function(*args)
    return value, (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=200)
    parser.add_argument("--seed", type=int, default=15)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsi_hub.settings")
    os.environ.update(FACET_INDEX_BACKGROUND="false", FACET_INDEX_POLL_SECONDS="3600")
    import django

    django.setup()
    from bench.distinct import title_words
    from core import text_index
    from core.facets.live import release_freed_memory
    from core.search import compound_query_text
    from directory.models import Organisation
    from directory.models import Project

    # Both indexes first: the memory they keep, with what earlier work freed given back.
    gc.collect()
    release_freed_memory()
    rss = rss_mb()
    for model in (Organisation, Project):
        words = text_index.text_index(model).words
        words.forget_shared()
        _, build_ms = timed(words.current, None)
        words.reset()  # as the next worker: loaded from the copy the build shared in Redis
        _, load_ms = timed(words.current, None)
        print(
            f"{model._meta.label}: built in {build_ms:.0f} ms (loaded by the next worker in "
            f"{load_ms:.0f} ms), {len(words.state.lexemes)} lexemes, "
            f"{words.state.postings()} postings"
        )
    gc.collect()
    release_freed_memory()
    print(f"RSS {rss:.1f} MB before the builds, {rss_mb():.1f} MB after (+{rss_mb() - rss:.1f})")

    chooser = random.Random(options.seed)
    for model in (Organisation, Project):
        index = text_index.text_index(model)
        titles = list(model.objects.published().values_list("search_title", flat=True))
        words = sorted({word for title in titles for word in title_words(title)})
        drawn = chooser.sample(words, min(options.words, len(words)))
        searches = [[word] for word in drawn]
        extra = [[word[: chooser.randint(1, 5)]] for word in drawn[:100]]
        extra += [chooser.sample(drawn, 2) for _ in range(100)]
        extra += [["fablab"], ["fab", "lab"], ["opendata"], ["open", "data"], ["zzzqx"]]
        print(f"{model._meta.label}: {len(titles)} titles, {len(words)} title words")

        before = []
        for typed in searches:
            query = compound_query_text(typed)
            before.append(timed(text_index._matching_from_db, index, query))

        after, wrong, unanswered = [], 0, 0
        for typed, (expected, postgres_ms) in zip(searches, before, strict=True):
            query = compound_query_text(typed)
            found, took = timed(index.words.matching, typed, query, None)
            if found is None:  # matching_ids asks the GIN then, as before
                unanswered += 1
                after.append(took + postgres_ms)
                continue
            after.append(took)
            wrong += found != expected
        more, more_wrong = [], 0
        for typed in extra:
            query = compound_query_text(typed)
            expected = text_index._matching_from_db(index, query)
            found, took = timed(index.words.matching, typed, query, None)
            if found is None:
                unanswered += 1
                continue
            more.append(took)
            more_wrong += found != expected
        print(f"  title words, Postgres (GIN)  {summary([took for _, took in before])}")
        print(f"  title words, word index (or GIN where it cannot say) {summary(after)}")
        print(f"  prefixes, pairs, compounds   {summary(more)}")
        print(f"  different from Postgres: {wrong + more_wrong}; not answered: {unanswered}")


if __name__ == "__main__":
    main()
