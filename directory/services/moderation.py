"""Moderation: spam signals on submissions, reports from visitors, the moderators' digest."""

import re

from django.utils import timezone
from django.utils.html import strip_tags

URL = re.compile(r"https?://|www\.", re.IGNORECASE)
SPAM_WORDS = re.compile(
    r"\b(casino|viagra|cialis|porn|escort|loan|payday|crypto ?currency|bitcoin|forex|seo services|"
    r"replica|weight loss|essay writing|buy followers)\b",
    re.IGNORECASE,
)
NEW_ACCOUNT_DAYS = 7


def account_is_new(user) -> bool:
    return user.date_joined > timezone.now() - timezone.timedelta(days=NEW_ACCOUNT_DAYS)


def count_links(*texts: str) -> int:
    return sum(len(URL.findall(text or "")) for text in texts)


def profile_assess_spam(*, profile, user, ip: str | None = None) -> tuple[int, list[str]]:
    """A 0-100 score and the signals behind it, for moderators; it never blocks on its own."""
    text = " ".join(
        strip_tags(part)
        for part in (
            profile.name,
            profile.short_description,
            profile.description,
            getattr(profile, "social_impact", ""),
        )
        if part
    )
    signals: list[tuple[int, str]] = []
    links = count_links(profile.description, getattr(profile, "social_impact", ""))
    if links > 3:
        signals.append((25, f"{links} links in the description"))
    words = SPAM_WORDS.findall(text)
    if words:
        signals.append((min(60, 30 * len(words)), "spam words: " + ", ".join(sorted(set(words)))))
    if user is not None and account_is_new(user):
        signals.append((10, "account less than a week old"))
    letters = [char for char in profile.name if char.isalpha()]
    if len(letters) > 8 and sum(char.isupper() for char in letters) / len(letters) > 0.8:
        signals.append((10, "name in capitals"))
    if len(strip_tags(profile.description or "")) < 40:
        signals.append((10, "little or no description"))
    if not profile.website and not profile.links:
        signals.append((5, "no website"))
    if profile.website and profile.website.lower().startswith("http://"):
        signals.append((5, "website without https"))
    score = min(100, sum(points for points, _ in signals))
    return score, [reason for _, reason in signals]
