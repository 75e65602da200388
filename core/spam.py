"""Signs of spam that every kind of submission is checked for."""

import re

from django.utils import timezone

URL = re.compile(r"https?://|www\.", re.IGNORECASE)
# A dot between a letter or digit and two letters: "evil.example", "www.x", "a.b@c.org".
_DOMAIN_DOT = re.compile(r"(?<=[^\W_])\.(?=[^\W\d_]{2})")
_SCHEME = re.compile(r"(?<![^\W_])([a-z][a-z0-9+.-]*)://", re.IGNORECASE)


NEW_ACCOUNT_DAYS = 7


def account_is_new(user) -> bool:
    return user.date_joined > timezone.now() - timezone.timedelta(days=NEW_ACCOUNT_DAYS)


def count_links(*texts: str) -> int:
    return sum(len(URL.findall(text or "")) for text in texts)


def defang(text: str) -> str:
    """Text someone chose (a name), with whatever looks like a link or a host broken so that
    mail programs do not make it clickable: "https://evil.example" becomes
    "https[:]//evil[.]example". For plain-text mail that shows strangers' names."""
    return _DOMAIN_DOT.sub("[.]", _SCHEME.sub(r"\1[:]//", text or ""))
