"""What happens to a person's account, for the apps that hold things of theirs.

accounts sits below the directory and the stories, so it cannot call them: they connect to these
signals from their AppConfig.ready() and do their part in the same transaction.
"""

from django.dispatch import Signal

# The person's public name changed (sent with user=...).
account_renamed = Signal()
# The person asks for their data (sent with user=...): each receiver returns a dict of the
# download's sections it adds ({"events": [...]}), every date written as ISO 8601.
account_exporting = Signal()
# The account is about to be deleted (sent with user=..., inside the deleting transaction):
# hand over or remove what is theirs, and forget their name where it is shown (and drop what
# was cached of the pages that showed it, on commit).
account_deleting = Signal()
