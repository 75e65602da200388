from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from accounts import services


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.user_complete_signup(
                user=user,
                name=form.cleaned_data.get("name", ""),
                accepted_terms=form.cleaned_data.get("accept_terms", False),
            )
        return user

    def get_login_redirect_url(self, request):
        return reverse("accounts:profile_edit")
