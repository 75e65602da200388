"""The API's schema of its lists' query parameters, completed from the FilterSets that read them,
so that what the schema allows is what the filters accept: the values a choice takes (slugs of
rows an admin may add, read when the schema is made), how many values a repeated parameter
takes, the longest text a parameter takes and the decimals a number may have. Without it a
client (or a fuzzer) reading the schema sends `?area=anything` and gets a 400 for a request the
schema called valid. A repeated parameter's description says how its values combine: any of
them will do (OR), while different parameters must all hold (AND)."""

from django import forms
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.plumbing import is_list_serializer
from drf_spectacular.plumbing import is_serializer
from drf_spectacular.utils import OpenApiResponse

from core.api.geojson import FORMAT_PARAMETER
from core.api.geojson import geojson_content
from core.filters import MAX_VALUES_PER_FILTER
from core.geojson import MEDIA_TYPE as GEOJSON

# A choice of rows (free tags, networks) may grow to thousands: past this many values the schema
# says "a string" rather than list them all, so that it stays small and quick to make.
MAX_LISTED_VALUES = 400


def choice_values(field: forms.ChoiceField) -> list[str]:
    """The values `field` accepts, sorted as drf-spectacular sorts enums (the empty choice,
    "any", left out); none when there are more than MAX_LISTED_VALUES, or when the database
    cannot say (`manage.py check` before the tables exist)."""
    try:
        return _values(field)
    except DatabaseError:
        return []


def _values(field) -> list[str]:
    queryset = getattr(field, "queryset", None)
    if queryset is not None and queryset.count() > MAX_LISTED_VALUES:
        return []
    values = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # a group of choices
            values.extend(str(inner) for inner, _label in label)
        elif str(value) != "":
            values.append(str(value))
    return sorted(set(values))


def completed_schema(schema: dict, field: forms.Field) -> dict:
    """`schema`, a query parameter's, made to say what `field` (its filter's) accepts."""
    if "$ref" in schema:
        return schema
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        # No rows to choose from (no tags yet): no value is accepted, and an enum may not be
        # empty; too many rows to list: any string, checked by the filter.
        values = choice_values(field)
        items = {"type": "string", "enum": values} if values else {"type": "string"}
        most = MAX_VALUES_PER_FILTER if values or _has_rows(field) else 0
        return {**schema, "type": "array", "items": items, "maxItems": most}
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        values = choice_values(field)
        described = {key: value for key, value in schema.items() if key not in ("format", "type")}
        return {**described, "type": "string", **({"enum": values} if values else {})}
    if isinstance(field, forms.DecimalField) and field.decimal_places is not None:
        return {**schema, "multipleOf": 10**-field.decimal_places}
    if getattr(field, "max_length", None) and schema.get("type") == "string":
        return {**schema, "maxLength": field.max_length}
    return schema


def _has_rows(field) -> bool:
    queryset = getattr(field, "queryset", None)
    try:
        return queryset is not None and queryset.exists()
    except DatabaseError:
        return False


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, with list parameters completed from the view's FilterSet
    (as a request would build it, so choices set per request are there too)."""

    def _get_parameters(self):
        parameters = super()._get_parameters()
        if self.method == "GET" and GEOJSON in self.map_renderers("media_type"):
            parameters = [*parameters, FORMAT_PARAMETER]
        filterset_class = getattr(self.view, "filterset_class", None)
        if filterset_class is None or not self._is_list_view():
            return parameters
        model = filterset_class._meta.model
        try:
            fields = filterset_class(data={}, queryset=model.objects.none()).form.fields
        except DatabaseError:  # `manage.py check` before the tables exist: the bare schema
            return parameters
        for parameter in parameters:
            field = fields.get(parameter["name"])
            if parameter["in"] == "query" and field is not None:
                parameter["schema"] = completed_schema(parameter["schema"], field)
                if parameter["schema"].get("type") == "array":
                    parameter["description"] = repeated_description(parameter)
        return parameters

    def _get_response_for_code(self, serializer, status_code, *args, **kwargs):
        """drf-spectacular gives every media type the same schema: the GeoJSON of a list or an
        item (core.api.geojson) is described as what its renderer writes, and left out of
        errors, which are JSON whatever the format asked."""
        response = super()._get_response_for_code(serializer, status_code, *args, **kwargs)
        content = response.get("content", {})
        if GEOJSON not in content:
            return response
        if not str(status_code).startswith("2"):
            return {**response, "content": {k: v for k, v in content.items() if k != GEOJSON}}
        found = force_instance(
            serializer.response if isinstance(serializer, OpenApiResponse) else serializer
        )
        many = is_list_serializer(found)
        item = found.child if many else found
        if not is_serializer(item):
            return response
        name = self.resolve_serializer(item, "response").name
        return {**response, "content": {**content, GEOJSON: geojson_content(name, many=many)}}


# How values of one filter combine, and different filters: as in every faceted search.
REPEATED = _(
    "Repeat the parameter for several values: any of them will do (OR), e.g. "
    "country=spain&country=portugal; different parameters must all hold (AND)."
)


def repeated_description(parameter: dict) -> str:
    """A repeated parameter's description, saying how its values combine."""
    described = str(parameter.get("description") or "").strip()
    rule = str(REPEATED)
    if rule in described:
        return described
    if described and not described.endswith("."):
        described += "."
    return f"{described} {rule}".strip()
