"""A person's newsletter subscriptions in their data download, and gone with their account."""

from allauth.account.models import EmailAddress

from accounts.services import user_delete
from accounts.services import user_export_data
from accounts.tests.factories import UserFactory
from newsletter.models import Subscriber
from newsletter.models import SubscriberStatus
from newsletter.tests.helpers import subscriber


def test_the_download_has_the_subscriptions_of_confirmed_addresses(db):
    person = UserFactory(email="ada@example.org")
    EmailAddress.objects.create(user=person, email="typed@example.org", verified=False)
    subscriber("ADA@example.org", status=SubscriberStatus.CONFIRMED, content_kinds=["events"])
    subscriber("typed@example.org")  # not shown to be theirs
    subscriber("someone@example.org")
    [row] = user_export_data(user=person)["newsletter"]
    assert row["email"] == "ADA@example.org"
    assert row["status"] == "confirmed"
    assert row["content_kinds"] == ["events"]
    assert row["consent_text"] == "I agree."
    assert row["consent_given"]


def test_deleting_the_account_forgets_its_subscriptions(db):
    person = UserFactory(email="ada@example.org")
    subscriber("Ada@Example.org", status=SubscriberStatus.CONFIRMED)
    subscriber("someone@example.org")
    user_delete(user=person)
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["someone@example.org"]
