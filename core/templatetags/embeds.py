"""{% share_embed label %}: the "Share or embed" box of a page that has an embed version
(core.embeds): its address, and the iframe code of its embed, ready to copy."""

from django import template
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext

from core.embeds import embed_path
from core.models import absolute_url

register = template.Library()
IFRAME_HEIGHT = 600


@register.inclusion_tag("partials/share_embed.html", takes_context=True)
def share_embed(context, label: str = "") -> dict:
    request = context["request"]
    # The embed starts at the first page, whatever page is shown here.
    query = urlencode([(k, v) for k, values in request.GET.lists() for v in values if k != "page"])
    embed_url = absolute_url(embed_path(request.path, query))
    title = label or gettext("From the DSI Hub")
    iframe = (
        f'<iframe src="{escape(embed_url)}" title="{escape(title)}" width="100%" '
        f'height="{IFRAME_HEIGHT}" '
        'loading="lazy"></iframe>'
    )
    return {"page_url": absolute_url(request.get_full_path()), "iframe": iframe}
