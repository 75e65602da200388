"""The lists' FilterSets (core.filters.ListFilterSet): each FilterSet has filters of its own
though they are copied shallowly, a method filter calls its own FilterSet, the form class is
made once per FilterSet class, and validating needs no queryset."""

from django.http import QueryDict

from directory.filters import OrganisationFilterSet
from directory.filters import ProjectFilterSet
from directory.models import Organisation
from funding.filters import OpportunityFilterSet


def _filterset(query: str, filterset_class=OrganisationFilterSet):
    return filterset_class(QueryDict(query), queryset=Organisation.objects.none())


def test_each_filterset_has_filters_of_its_own(db):
    first, second = _filterset("q=open"), _filterset("q=data")
    assert first.filters["q"] is not second.filters["q"]
    assert first.filters["q"] is not OrganisationFilterSet.base_filters["q"]
    first.filters["country"].extra["choices"] = []
    assert second.filters["country"].extra.get("choices") != []
    assert OrganisationFilterSet.base_filters["country"].extra.get("choices") != []
    assert first.filters["q"].parent is first and second.filters["q"].parent is second


def test_a_method_filter_calls_its_own_filterset(db):
    calls = []
    filterset = _filterset("q=open")
    filterset.filter_search = lambda queryset, name, value: calls.append(value) or queryset
    filterset.qs  # noqa: B018
    assert calls == ["open"]


def test_the_form_class_is_made_once_per_filterset_class(db):
    assert type(_filterset("").form) is type(_filterset("q=x").form)
    assert type(_filterset("").form) is not type(_filterset("", ProjectFilterSet).form)
    # Funding's choices are read per FilterSet: its form class is not shared.
    funding = [OpportunityFilterSet(QueryDict("")) for _ in range(2)]
    assert type(funding[0].form) is not type(funding[1].form)


def test_validating_reports_too_many_values_without_a_queryset(db):
    filterset = _filterset("&".join(["area=health-and-care"] * 11) + "&country=spain")
    filterset.validate()
    assert "area" in filterset.errors and "area" not in filterset.cleaned_data
    assert filterset.cleaned_data["country"] == ["spain"]
    assert not hasattr(filterset, "_qs")


def test_no_tag_is_an_empty_list(db):
    filterset = _filterset("")
    filterset.validate()
    assert filterset.cleaned_data["tag"] == [] and filterset.chosen_keys() == {}
