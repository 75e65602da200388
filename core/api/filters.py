"""The API's filter backend, shared by every app's viewsets."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class ApiFilterBackend(DjangoFilterBackend):
    """django-filter's backend, which also reports what is found while filtering (too many
    values for one filter) as a 400 with a message per parameter."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        results = filterset.qs
        if filterset.errors:
            raise ValidationError(
                {
                    name: [str(error) for error in errors]
                    for name, errors in filterset.errors.items()
                }
            )
        view.filterset = filterset
        return results
