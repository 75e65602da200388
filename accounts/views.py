import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.forms import AccountDeleteForm
from accounts.forms import ProfileForm
from accounts.models import User


@require_GET
def profile_detail(request, slug):
    person = get_object_or_404(User.objects.active().with_profile(), slug=slug)
    return render(request, "accounts/user_detail.html", {"person": person})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(
            user=request.user,
            data=form.profile_changes(),
            avatar=form.new_avatar(),
            remove_avatar=form.avatar_removed(),
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile_edit")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/user_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def data_download(request):
    """GET shows what the download holds; POST (with CSRF) delivers it."""
    if request.method == "GET":
        return render(request, "accounts/user_data.html")
    data = services.user_export_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    filename = f"dsi-hub-my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.user_delete(user=user)
        messages.success(request, _("Your account and your personal data have been deleted."))
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/user_confirm_delete.html", {"form": form}, status=status)
