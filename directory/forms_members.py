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
