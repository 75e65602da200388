"""The lists' filters as the Explore pages' form fields (the map, the network): a drop-down per
vocabulary and one for live or closed projects, with the query's values chosen; the template
explore/partials/filter_fields.html writes them with the city field."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from directory.vocabularies import vocabulary


def given(params) -> QueryDict:
    """The query without its empty values (a form's "Any" sends `area=`)."""
    kept = QueryDict(mutable=True)
    for key, values in params.lists():
        kept.setlist(key, [value for value in values if value != ""])
    return kept


def select_labels() -> dict[str, str]:
    return {
        "country": _("Country"),
        "area": _("Social area"),
        "tech": _("Technology"),
        "focus": _("DSI focus"),
        "type": _("Organisation type"),
        "size": _("Organisation size"),
        "live": _("Projects live or closed"),
    }


def filter_selects(params, *, names=None) -> list[dict]:
    """The drop-downs of the filters in `names` (all by default), the values of `params` (a
    QueryDict) selected."""
    selects = []
    for name, label in select_labels().items():
        if names is not None and name not in names:
            continue
        chosen = set(params.getlist(name))
        if name == "live":
            options = [("live", _("Live")), ("closed", _("Closed"))]
        else:
            options = [(term.slug, term.name) for term in vocabulary(name)]
        selects.append(
            {
                "name": name,
                "label": label,
                "options": [(value, text, value in chosen) for value, text in options],
            }
        )
    return selects
