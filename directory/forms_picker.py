"""The organisations behind a project: the project form's picker, which works without
JavaScript (static/js/picker.js only makes it faster)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation
from directory.models import ProjectOrganisation

MAX_ORGANISATIONS_ADDED = 20


class ProjectOrganisationsForm(forms.Form):
    """Current links (role, remove), a search box, and organisations to add.

    Field names are stable for the JavaScript picker: `q` searches, `add` (repeated) holds the
    ids of organisations to add, `add_role` their role, `role_<id>`/`remove_<id>` the current ones.
    """

    q = forms.CharField(
        label=_("Find an organisation"),
        required=False,
        max_length=100,
        help_text=_("Type part of its name or its city, then choose “Find”."),
    )
    add_role = forms.ChoiceField(
        label=_("Role of the organisations you add"),
        choices=ProjectOrganisation.Role.choices,
        initial=ProjectOrganisation.Role.PARTNER,
    )

    def __init__(self, *args, project, user, links, **kwargs):
        self.project = project
        self.user = user
        self.links = list(links)
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for link in self.links:
            self.fields[f"role_{link.organisation_id}"] = forms.ChoiceField(
                label=_("Role of %(name)s") % {"name": link.organisation.name},
                choices=ProjectOrganisation.Role.choices,
                initial=link.role,
            )
            self.fields[f"remove_{link.organisation_id}"] = forms.BooleanField(
                label=_("Remove %(name)s") % {"name": link.organisation.name}, required=False
            )

    def rows(self):
        """Each current link with its two fields, for the template."""
        return [
            (link, self[f"role_{link.organisation_id}"], self[f"remove_{link.organisation_id}"])
            for link in self.links
        ]

    def added_ids(self) -> list[int]:
        """The ids ticked under "add", as numbers (anything else is dropped)."""
        if not self.is_bound:
            return []
        ids = []
        for value in self.data.getlist("add")[:MAX_ORGANISATIONS_ADDED]:
            try:
                number = int(value)
            except (TypeError, ValueError):
                continue
            if 0 < number < 2**31 and number not in ids:
                ids.append(number)
        return ids

    @staticmethod
    def _checked_search_text(query: str) -> str:
        if any(ord(char) < 32 or ord(char) == 127 for char in query):
            raise ValidationError(_("Please type letters, digits or spaces."), code="control")
        return query.strip()

    def clean_q(self):
        return self._checked_search_text(self.cleaned_data["q"])

    def search_text(self) -> str:
        """What was typed in the search box, checked alone (for "Find"); may raise."""
        return self._checked_search_text(self.fields["q"].clean(self.data.get("q", "")))

    def clean(self):
        cleaned = super().clean()
        raw_add = self.data.getlist("add") if self.is_bound else []
        if len(raw_add) > MAX_ORGANISATIONS_ADDED:
            raise ValidationError(
                _("Please add at most %(max)s organisations at a time.")
                % {"max": MAX_ORGANISATIONS_ADDED},
                code="too_many",
            )
        ids = self.added_ids()
        if len(ids) != len(set(raw_add)):
            raise ValidationError(_("Please choose organisations from the list."), code="invalid")
        added = list(Organisation.objects.linkable_by(self.user).filter(pk__in=ids))
        if len(added) != len(ids):
            raise ValidationError(
                _("One of the organisations you chose cannot be linked. Please search again."),
                code="unavailable",
            )
        cleaned["add"] = added
        if self.errors:
            return cleaned
        wanted = self.wanted_links(cleaned)
        leads = [org for org, role in wanted if role == ProjectOrganisation.Role.LEAD]
        if len(leads) > 1:
            raise ValidationError(
                _("A project has one lead organisation; please make the others partners."),
                code="leads",
            )
        cleaned["wanted"] = wanted
        return cleaned

    def wanted_links(self, cleaned) -> list[tuple[Organisation, str]]:
        wanted = {}
        for link in self.links:
            if not cleaned.get(f"remove_{link.organisation_id}"):
                wanted[link.organisation_id] = (
                    link.organisation,
                    cleaned[f"role_{link.organisation_id}"],
                )
        for organisation in cleaned.get("add", []):
            wanted.setdefault(organisation.pk, (organisation, cleaned["add_role"]))
        return list(wanted.values())
