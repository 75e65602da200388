"""Public pages of the directory: lists with search and filters, and detail pages."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from directory.models import Organisation, Project


def _detail(request, model, slug):
    profile = get_object_or_404(model.objects.published().with_details(), slug=slug)
    return render(request, f"directory/{model._meta.model_name}_detail.html", {"profile": profile})


@require_GET
def organisation_detail(request, slug):
    return _detail(request, Organisation, slug)


@require_GET
def project_detail(request, slug):
    return _detail(request, Project, slug)


@require_GET
def organisation_list(request):
    return render(request, "directory/organisation_list.html", {})


@require_GET
def project_list(request):
    return render(request, "directory/project_list.html", {})
