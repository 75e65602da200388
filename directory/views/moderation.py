"""Visitors' reports about a published profile, for the moderators."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.ratelimit import client_ip
from core.ratelimit import rate_limit_hit
from directory.models import Organisation
from directory.models import Project
from directory.models import Report
from directory.services.moderation import report_create

MODELS = {"organisation": Organisation, "project": Project}
REPORTS_PER_HOUR = 10
HONEYPOT = "website_url"


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this profile?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Optional: anything that helps the moderators check (at most 2,000 characters)."
        ),
    )
    # People never see this field; bots filling every field do.
    website_url = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "tabindex": "-1", "aria-hidden": "true"}
        ),
    )

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT))


@require_http_methods(["GET", "POST"])
def profile_report(request, slug, kind):
    """Report a published profile: a reason and details; rate limited per address."""
    model = MODELS[kind]
    profile = get_object_or_404(
        model.objects.published().only("pk", "name", "slug", "status"), slug=slug
    )
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not rate_limit_hit(
            action="report", key=client_ip(request), limit=REPORTS_PER_HOUR, period=3600
        ):
            form.add_error(
                None,
                gettext("You have sent many reports in a short time. Please try again in an hour."),
            )
            status = 429
        elif form.is_valid():
            if not form.is_bot():
                report_create(
                    profile=profile,
                    reason=form.cleaned_data["reason"],
                    message=form.cleaned_data["message"],
                    reporter=request.user,
                )
            messages.success(
                request,
                gettext("Thank you: the moderators will look at %(name)s.")
                % {"name": profile.name},
            )
            return redirect(profile)
        else:
            status = 400
    return render(
        request,
        "directory/report_form.html",
        {"profile": profile, "form": form, "honeypot": form[HONEYPOT]},
        status=status,
    )
