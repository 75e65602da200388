"""Locking an account's log-in after many failed attempts, whoever made them.

allauth refuses an address after a few failures at one account (`login_failed` in
ACCOUNT_RATE_LIMITS, counted per address and per address and account: accounts.adapters), so a
stranger's guesses never refuse the owner elsewhere. Only many failures in an hour, which take
many addresses, lock the account itself: for the rest of that hour, or until its owner follows
the link they are emailed at once and chooses a new password. Counted per address typed in,
whether it has an account or not, so the answer tells nobody which addresses do. While Redis,
which keeps the counts, cannot be reached, log-in stays open and failures are not counted
(core.cache), like allauth's own limits.
"""

from core.cache import CacheUnavailable
from core.ratelimit import rate_limit_clear
from core.ratelimit import rate_limit_count
from core.ratelimit import rate_limit_exceeded

LOCK_AFTER_FAILURES = 50
LOCK_PERIOD = 60 * 60
_ACTION = "login-lock"


def _key(email: str) -> str:
    return email.strip().lower()


def login_locked(email: str) -> bool:
    """Whether log-ins to this address are locked (too many failures this hour)."""
    try:
        return rate_limit_exceeded(action=_ACTION, key=_key(email), limit=LOCK_AFTER_FAILURES)
    except CacheUnavailable:
        return False


def login_failure_record(email: str) -> bool:
    """Count a wrong password for this address; True when this failure locks it (once per
    lock: a locked address is refused before its password is checked, and not counted)."""
    try:
        count = rate_limit_count(action=_ACTION, key=_key(email), period=LOCK_PERIOD)
    except CacheUnavailable:
        return False
    return count == LOCK_AFTER_FAILURES


def login_unlock(email: str) -> None:
    """Lift the lock (the owner has chosen a new password through an emailed link)."""
    rate_limit_clear(action=_ACTION, key=_key(email))
