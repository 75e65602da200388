"""The copies of email a person may download, and those that go with their account."""

from django.core.mail import EmailMessage
from django.utils import timezone

from core.models import OutgoingEmail
from core.personal_data import outgoing_emails_export
from core.personal_data import outgoing_emails_forget


def _send(**fields) -> None:
    EmailMessage(**{"subject": "Hi", "body": "Text", **fields}).send()


def test_only_mail_to_or_from_the_address_itself_is_theirs(db):
    _send(subject="To them", to=["Ada Lovelace <Ada@Example.org>"])
    _send(subject="Answers to them", to=["team@hub.org"], reply_to=["ada@example.org"])
    _send(subject="Look-alike", to=["bada@example.org", "ada@example.org.evil"])
    _send(subject="Copied", to=["x@hub.org"], bcc=["ada@example.org"])

    subjects = [row["subject"] for row in outgoing_emails_export(addresses=["ada@example.org"])]

    assert subjects == ["To them", "Answers to them", "Copied"]


def test_forgetting_takes_mail_about_them_but_not_mail_still_on_its_way(db):
    _send(subject="To them", to=["ada@example.org"])
    _send(subject="Named", body="Ada Lovelace asks to join", to=["owner@hub.org"])
    _send(subject="Someone else", body="Adalovelace fans unite", to=["owner@hub.org"])
    OutgoingEmail.objects.update(status=OutgoingEmail.Status.SENT, sent_at=timezone.now())
    _send(subject="Queued", body="Ada Lovelace invites you", to=["friend@hub.org"])
    _send(subject="Queued to them", to=["ADA@example.org"])

    deleted = outgoing_emails_forget(addresses=["ada@example.org"], names=["Ada Lovelace"])

    assert deleted == 3
    assert sorted(OutgoingEmail.objects.values_list("message__subject", flat=True)) == [
        "Queued",
        "Someone else",
    ]


def test_an_item_deleted_with_its_account_leaves_files_other_rows_still_name(
    db, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from core.models import Status
    from core.personal_data import item_delete
    from directory.models import Organisation
    from directory.tests.factories import OrganisationFactory

    gone = OrganisationFactory(status=Status.DRAFT)
    gone.logo.save("shared.png", ContentFile(b"a logo"), save=True)
    kept = OrganisationFactory()
    Organisation.objects.filter(pk=kept.pk).update(logo=gone.logo.name)
    own = OrganisationFactory(status=Status.DRAFT)
    own.logo.save("own.png", ContentFile(b"its own logo"), save=True)

    with django_capture_on_commit_callbacks(execute=True):
        item_delete(gone)
        item_delete(own)

    assert default_storage.exists(gone.logo.name)  # the kept profile still shows it
    assert not default_storage.exists(own.logo.name)


def _queries_to_forget(user, revisions: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from reversion.models import Revision

    from core.personal_data import history_forget

    made = Revision.objects.bulk_create(
        Revision(date_created=timezone.now(), user=user, comment="Checked the dates")
        for _ in range(revisions)
    )
    with CaptureQueriesContext(connection) as queries:
        history_forget(user=user, terms=["Ada Lovelace", "ada@example.org"])
    assert not Revision.objects.filter(user=user).exists()
    kept = Revision.objects.filter(pk__in=[revision.pk for revision in made], user=None)
    assert kept.filter(comment="Checked the dates").count() == revisions  # the note stays
    return len(queries)


def test_forgetting_history_takes_the_same_queries_however_many_revisions_they_made(db):
    from accounts.tests.factories import UserFactory

    _queries_to_forget(UserFactory(), 0)  # content types cached
    few = _queries_to_forget(UserFactory(), 2)
    many = _queries_to_forget(UserFactory(), 20)

    assert many == few


def _queries_to_forget_drafts(drafts: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.tests.factories import UserFactory
    from core.models import Status
    from core.personal_data import SubmittedItems
    from events.models import Event
    from events.tests.factories import EventFactory

    user = UserFactory()
    published = EventFactory(created_by=user, status=Status.PUBLISHED)
    for _ in range(drafts):
        EventFactory(created_by=user, status=Status.DRAFT)
    with CaptureQueriesContext(connection) as queries:
        SubmittedItems(Event, section="events").forget(user=user)
    assert list(Event.objects.filter(created_by=user)) == [published]
    return len(queries)


def test_forgetting_submitted_items_takes_the_same_queries_however_many(db):
    _queries_to_forget_drafts(1)  # content types cached
    assert _queries_to_forget_drafts(6) == _queries_to_forget_drafts(2)
