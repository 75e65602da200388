"""{% load plain_mail %}: for plain-text mail that shows what strangers wrote (names, messages).

    {{ profile.name|defang }}

breaks whatever looks like a link or a host ("https[:]//evil[.]example"), so that mail programs
do not turn it into one (core.spam.defang).
"""

from django import template

from core.spam import defang

register = template.Library()
register.filter("defang", defang)
