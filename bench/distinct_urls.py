"""List URLs that no one asked before: what real researchers send, for the uncached benchmark.

Each URL is drawn from the data: a random published row gives a word of its name (the search,
half of the time) and up to three of its filter values (so the results are rarely empty), with
a random sort and a page from 1 to 10. Every URL is new within a run, so neither the whole-page
cache nor the cached counts of a result set can answer it.

    python -m bench.distinct_urls --count 20      # prints URLs (needs DATABASE_URL)
"""

import argparse
import os
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

SORTS = ["", "", "name", "newest", "updated", "relevance"]
# URL parameter of each kind of filter key (directory.search), per list.
PARAMS = {
    "organisations": {"country", "city", "type", "size", "tag", "network"},
    "projects": {"area", "tech", "focus", "country", "city", "live", "tag", "network"},
}
SAMPLE_ROWS = 4000


def _slugs() -> dict[str, dict[str, str]]:
    """Slug of every vocabulary term and tag, by the key's kind and value (the row's pk)."""
    from directory.models import Tag
    from directory.vocabularies import VOCABULARIES
    from directory.vocabularies import vocabulary

    slugs = {kind: {str(term.pk): term.slug for term in vocabulary(kind)} for kind in VOCABULARIES}
    tags = {str(pk): slug for pk, slug in Tag.objects.values_list("pk", "slug")}
    slugs["tag"] = slugs["network"] = tags
    slugs["live"] = {"1": "live", "0": "closed"}
    return slugs


def _url_value(kind: str, value: str, slugs: dict) -> str | None:
    if kind == "city":
        return value  # the folded name: the filter folds what it is given the same way
    return slugs.get(kind, {}).get(value)


def sample_rows(model, rng: random.Random, count: int = SAMPLE_ROWS) -> list[tuple[str, list]]:
    """(search_title, facet_keys) of `count` random published rows."""
    ids = list(model.objects.published().values_list("pk", flat=True))
    chosen = rng.sample(ids, min(count, len(ids)))
    rows = model.objects.filter(pk__in=chosen).values_list("search_title", "facet_keys")
    return list(rows)


def distinct_urls(count: int, *, seed: int = 15, common_word: str | None = None) -> list[str]:
    """`count` distinct list URLs, organisations and projects alternating (see the module)."""
    from directory.models import Organisation
    from directory.models import Project

    rng = random.Random(seed)
    slugs = _slugs()
    rows = {
        "organisations": sample_rows(Organisation, rng),
        "projects": sample_rows(Project, rng),
    }
    seen, urls = set(), []
    kinds = ["organisations", "projects"]
    attempts = 0
    while len(urls) < count and attempts < count * 50:
        attempts += 1
        kind = kinds[len(urls) % 2]
        title, keys = rng.choice(rows[kind])
        params = []
        words = [word for word in title.split() if len(word) > 2 and word.isalpha()]
        if common_word:
            params.append(("q", common_word))
        elif words and rng.random() < 0.5:
            params.append(("q", rng.choice(words)))
        usable = [key for key in keys if key.partition(":")[0] in PARAMS[kind]]
        for key in rng.sample(usable, min(len(usable), rng.randint(0, 3))):
            name, _, value = key.partition(":")
            url_value = _url_value(name, value, slugs)
            if url_value:
                params.append((name, url_value))
        sort = rng.choice(SORTS)
        if sort:
            params.append(("sort", sort))
        page = rng.randint(1, 10)
        if page > 1:
            params.append(("page", str(page)))
        url = f"/en/{kind}/" + (f"?{urlencode(params)}" if params else "")
        if url not in seen:
            seen.add(url)
            urls.append(url)
    return urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsi_hub.settings")
    import django

    django.setup()
    for url in distinct_urls(args.count, seed=args.seed):
        print(url)


if __name__ == "__main__":
    main()
