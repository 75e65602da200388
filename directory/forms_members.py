"""Forms of the members' pages: invitations, requests to join, and the small action forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import Role


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We email them a link; if they have no account yet, they can sign up."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=[(Role.MEMBER, Role.MEMBER.label)])

    def __init__(self, *args, can_invite_admins: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(Role.MEMBER, Role.MEMBER.label)]
        if can_invite_admins:
            choices.append((Role.ADMIN, Role.ADMIN.label))
        self.fields["role"].choices = choices


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the profile's admins"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: who you are and how you are involved (at most 1,000 characters)."),
    )


class ClaimForm(forms.Form):
    """What a claimant tells the community admins; the address at the website's domain is the
    evidence the hub can check by itself."""

    role = forms.CharField(
        label=_("Your role there"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        help_text=_("For example: director, co-founder, communications lead."),
    )
    message = forms.CharField(
        label=_("Why is this profile yours?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who you are and how you are involved (at most 2,000 characters)."),
    )
    evidence_url = forms.URLField(
        label=_("A link that shows it"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Optional: for example a team page that names you."),
    )
    evidence_email = forms.EmailField(
        label=_("Your address at the organisation"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, domain: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["evidence_email"]
        if domain:
            field.help_text = _(
                "Optional: an address ending in @%(domain)s. We email it a link; once you follow "
                "it, your claim is marked verified and can be approved at once."
            ) % {"domain": domain}
        else:
            # The website cannot confirm an address: nothing to ask.
            del self.fields["evidence_email"]


class TargetForm(forms.Form):
    """Which row an action is about (a member, an invitation, a request)."""

    target = forms.IntegerField(min_value=1)


class RoleForm(TargetForm):
    role = forms.ChoiceField(
        choices=[(Role.ADMIN, Role.ADMIN.label), (Role.MEMBER, Role.MEMBER.label)]
    )


class VisibilityForm(forms.Form):
    is_public = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )


class InvitationAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])
