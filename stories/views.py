"""Public pages of stories: the list (newest first, filtered and searched) and a story's page.

Anonymous visitors get whole pages from the cache (core.page_cache), stamped with the
stories' version, which every admin save moves on. A story is public only once its publication
moment has come, a moment no save marks: so a cached page is kept at most a few minutes, and
never past the moment the next scheduled story comes out (see stories_for_visitors).
"""

import functools
import math

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.html import sanitize_html
from core.listing import page_links, page_number, query_errors, valid_query
from core.page_cache import cache_for_visitors
from stories.filters import StoryFilterSet
from stories.jsonld import story_jsonld_script
from stories.models import Kind, Story
from stories.services import seconds_until, stories_cache, stories_cached

PAGE_SIZE = 20
PAGE_CACHE_SECONDS = 5 * 60
FILTER_PARAMS = ("q", "kind", "category", "area")
LIST_PARAMS = {*FILTER_PARAMS, "page"}


def seconds_until_next_story(now, timeout: int) -> int:
    """How long something made at `now` may be kept: `timeout`, or less if a scheduled story
    comes out before then (0 if it already has: then it is not kept at all)."""
    return seconds_until(Story.objects.next_publish_at(now), timeout)


def stories_cache_until(now):
    """stories_cache, keeping an entry rendered at `now` no longer than seconds_until_next_story."""

    def store(key, entry, *, version, timeout):
        timeout = seconds_until_next_story(now, timeout)
        if timeout <= 0:
            return entry
        return stories_cache(key, entry, version=version, timeout=timeout)

    return store


def stories_for_visitors(*, params=()):
    """cache_for_visitors for stories' pages: the page is rendered against one `now`
    (request.stories_now) and kept no later than the next scheduled story's moment."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            now = timezone.now()
            request.stories_now = now
            cached_view = cache_for_visitors(
                stories_cached,
                stories_cache_until(now),
                params=params,
                timeout=PAGE_CACHE_SECONDS,
            )(view)
            return cached_view(request, *args, **kwargs)

        return wrapped

    return decorator


def _now(request):
    return getattr(request, "stories_now", None) or timezone.now()


@require_safe
@stories_for_visitors(params=LIST_PARAMS)
def story_list(request):
    """Published stories newest first (featured case studies first when nothing is filtered),
    filtered, searched and in pages of PAGE_SIZE."""
    filterset = StoryFilterSet(request.GET, queryset=Story.objects.published(_now(request)))
    results = filterset.qs  # validates, filters, orders
    errors = query_errors(filterset)
    status = 400 if errors else 200
    page = page_number(request.GET.get("page"))
    if page is None:
        errors.append(_("The page number must be a whole number from 1 upwards."))
        status, page = 400, 1

    total = results.count()
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if page > pages:
        errors.append(
            _("There is no page %(page)s: these results have %(pages)s page(s).")
            % {"page": page, "pages": pages}
        )
        status = 404 if status == 200 else status
        stories = []
    else:
        start = (page - 1) * PAGE_SIZE
        stories = list(results.with_cards()[start : start + PAGE_SIZE])

    query = valid_query(request, filterset, LIST_PARAMS)
    filters = [(key, value) for key, value in query if key in FILTER_PARAMS]
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "stories": stories,
        "total": total,
        "page": page,
        "pages": pages,
        "page_links": page_links(query, page, pages),
        "query_errors": errors,
        "clear_url": request.path,
        "filtered": bool(filters),
        "kinds": Kind,
    }
    return TemplateResponse(request, "stories/story_list.html", context, status=status)


@require_safe
@stories_for_visitors()
def story_detail(request, slug):
    """A published story: its text cleaned again, and for a case study the project and
    organisations it is about, linked while they are published."""
    story = (
        Story.objects.published(_now(request))
        .with_cards()
        .select_related("project")
        .prefetch_related("organisations")
        .filter(slug=slug)
        .first()
    )
    if story is None:
        raise Http404
    organisations = list(story.organisations.all())
    project = story.project
    context = {
        "story": story,
        "is_case_study": story.kind == Kind.CASE_STUDY,
        "project": project if project is not None and project.is_published else None,
        "organisations": [org for org in organisations if org.is_published],
        "list_url": reverse("stories:story_list"),
        # Cleaned again here: an admin save or a revert may have stored any HTML.
        "body": mark_safe(sanitize_html(story.body)),  # noqa: S308
        "jsonld": story_jsonld_script(story, organisations=organisations),
    }
    return TemplateResponse(request, "stories/story_detail.html", context)
