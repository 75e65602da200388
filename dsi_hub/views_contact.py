"""The contact page: a message to the people who run the hub, and the thank-you page after it."""

from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods
from django.views.decorators.http import require_safe

from core.ratelimit import posted_form_status
from dsi_hub.contact import CONTACT_MESSAGES_PER_HOUR
from dsi_hub.contact import CONTACT_RATE_PERIOD
from dsi_hub.contact import contact_message_send
from dsi_hub.forms import ContactForm


@require_http_methods(["GET", "POST"])
def contact(request):
    """The contact form; rate limited per client address. A bot filling the honeypot is thanked
    like a person, and nothing is sent."""
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = posted_form_status(
            request,
            form,
            action="contact",
            limit=CONTACT_MESSAGES_PER_HOUR,
            period=CONTACT_RATE_PERIOD,
            refused=gettext(
                "You have sent several messages in a short time. Please try again in an hour."
            ),
        )
        if status == 200:
            if not form.is_bot():
                contact_message_send(
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    subject=form.cleaned_data["subject"],
                    message=form.cleaned_data["message"],
                    language=get_language() or "",
                )
            return redirect("contact_thanks")
    return render(request, "dsi_hub/contact.html", {"form": form}, status=status)


@require_safe
def contact_thanks(request):
    return render(request, "dsi_hub/contact_thanks.html")
