"""The newsletter's pages: signing up, confirming, preferences and unsubscribing by signed
links (no log-in), and the one-click unsubscribe of RFC 8058."""

from django.contrib import messages
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.decorators.http import require_safe

from core.ratelimit import posted_form_status
from newsletter import links
from newsletter import services
from newsletter.forms import PreferencesForm
from newsletter.forms import SignUpForm
from newsletter.models import SubscriberStatus

# Sign-ups per client address and hour: enough for a household, too few for a flood.
SIGN_UPS_PER_HOUR = 10
SIGN_UP_RATE_PERIOD = 60 * 60


def invalid_link(request):
    return render(request, "newsletter/invalid_link.html", status=400)


@require_http_methods(["GET", "POST"])
def sign_up(request):
    """The sign-up form; rate limited per client address. Whatever became of the address (new,
    known, or a bot's), the same page follows."""
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = SignUpForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = posted_form_status(
            request,
            form,
            action="newsletter-sign-up",
            limit=SIGN_UPS_PER_HOUR,
            period=SIGN_UP_RATE_PERIOD,
            refused=gettext(
                "You have signed up several times in a short time. Please try again later."
            ),
        )
        if status == 200:
            if not form.is_bot():
                services.subscriber_sign_up(
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["language"],
                    consent_text=form.consent_text(),
                    **form.interests(),
                )
            return redirect("newsletter:thanks")
    return render(request, "newsletter/subscriber_sign_up.html", {"form": form}, status=status)


@require_safe
def thanks(request):
    return render(request, "newsletter/subscriber_thanks.html")


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The emailed link shows a button, and the POST it sends confirms the address: a mail
    scanner that opens links (as some companies' do) confirms nothing for someone else."""
    try:
        subscriber = links.subscriber_from_token(
            token, salt=links.CONFIRM_SALT, max_age=links.CONFIRM_MAX_AGE
        )
    except links.InvalidLink:
        return invalid_link(request)
    if request.method == "GET" and subscriber.status == SubscriberStatus.PENDING:
        return render(request, "newsletter/subscriber_confirm.html", {"subscriber": subscriber})
    if not services.subscriber_confirm(subscriber=subscriber):
        return invalid_link(request)
    return render(
        request,
        "newsletter/subscriber_confirmed.html",
        {"preferences_url": links.preferences_path(subscriber)},
    )


@require_http_methods(["GET", "POST"])
def preferences(request, token):
    try:
        subscriber = links.subscriber_from_token(token, salt=links.MANAGE_SALT)
    except links.InvalidLink:
        return invalid_link(request)
    form = PreferencesForm(request.POST or None, initial=subscriber.preferences())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.subscriber_preferences_update(
                subscriber=subscriber, language=form.cleaned_data["language"], **form.interests()
            )
            messages.success(request, gettext("Your preferences are saved."))
            return redirect(request.path)
        status = 400
    context = {
        "form": form,
        "subscriber": subscriber,
        "subscribed": subscriber.status == SubscriberStatus.CONFIRMED,
        "unsubscribe_url": links.unsubscribe_path(subscriber),
    }
    return render(request, "newsletter/subscriber_preferences.html", context, status=status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks to confirm with a button; a POST unsubscribes. The POST needs no cookie and no
    CSRF token (RFC 8058 one-click: mail clients send `List-Unsubscribe=One-Click`): the
    signed token in the address is the proof."""
    try:
        subscriber = links.subscriber_from_token(token, salt=links.MANAGE_SALT)
    except links.InvalidLink:
        return invalid_link(request)
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber)
        return render(request, "newsletter/subscriber_unsubscribed.html")
    return render(request, "newsletter/subscriber_unsubscribe.html", {"subscriber": subscriber})
