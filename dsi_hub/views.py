from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from directory.models import Organisation, Project
from dsi_hub.forms import SearchForm
from dsi_hub.health import health_report

SEARCH_RESULTS_PER_KIND = 20


class HomeView(TemplateView):
    template_name = "dsi_hub/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisations = Organisation.objects.published()
        projects = Project.objects.published()
        context.update(
            organisation_count=organisations.count(),
            project_count=projects.count(),
            latest_organisations=organisations.with_cards().newest()[:4],
            latest_projects=projects.with_cards().newest()[:4],
        )
        return context


@require_GET
def search(request):
    """Site-wide search over published organisations and projects, most relevant first.

    Events and stories join when they exist; each kind links to its own list for the rest.
    """
    form = SearchForm(request.GET)
    context = {"form": form, "query": ""}
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        organisations = Organisation.objects.published().matching(query)
        projects = Project.objects.published().matching(query)
        context.update(
            query=query,
            organisation_count=organisations.count(),
            project_count=projects.count(),
            organisations=organisations.with_cards().by_relevance(query)[:SEARCH_RESULTS_PER_KIND],
            projects=projects.with_cards().by_relevance(query)[:SEARCH_RESULTS_PER_KIND],
        )
    status = 400 if form.errors else 200
    return render(request, "dsi_hub/search.html", context, status=status)


@never_cache
@require_GET
def healthz(request):
    """The state of the database, Redis and the Celery worker, for monitors and load balancers."""
    healthy, report = health_report()
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": report}, status=200 if healthy else 503
    )


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)
