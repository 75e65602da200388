"""Signs of spam that every kind of submission is checked for."""

import re

from django.utils import timezone

URL = re.compile(r"https?://|www\.", re.IGNORECASE)


NEW_ACCOUNT_DAYS = 7


def account_is_new(user) -> bool:
    return user.date_joined > timezone.now() - timezone.timedelta(days=NEW_ACCOUNT_DAYS)


def count_links(*texts: str) -> int:
    return sum(len(URL.findall(text or "")) for text in texts)
