"""List filters of the admin declared as a table of choices.

For: a changelist filter offering a few fixed choices, each one a condition on the rows (e.g.
"has open reports" / "none"). The filter's class names its `title`, `parameter_name` and
`options`; this base lists them and applies the chosen one's condition.
"""

from django.contrib import admin


class ChoicesFilter(admin.SimpleListFilter):
    """Subclasses set `options`: (value in the URL, label, Q applied) rows, in the order shown.
    (Not `choices`: that is SimpleListFilter's method rendering the links.)

    Any other value in the URL leaves the list unfiltered.
    """

    options = ()

    def lookups(self, request, model_admin):
        return [(value, label) for value, label, _condition in self.options]

    def queryset(self, request, queryset):
        for value, _label, condition in self.options:
            if self.value() == value:
                return queryset.filter(condition)
        return queryset
