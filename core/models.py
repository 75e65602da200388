"""What every kind of content shares: its status, licences, absolute links, controlled
vocabularies and the search text that full-text search reads."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchRank
from django.contrib.postgres.search import SearchVector
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import SingleLineCharField
from core.hosts import site_url
from core.mail import delivery_lease_end
from core.mail import new_message_id
from core.search import search_query


class Vocabulary(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    PENDING = "pending", _("pending review")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")
    ARCHIVED = "archived", _("archived")


class Licence(models.TextChoices):
    """Licences a profile's text may be published under."""

    CC_BY_4 = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_SA_4 = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC_BY_NC_SA_4 = "CC-BY-NC-SA-4.0", "CC BY-NC-SA 4.0"
    CC0 = "CC0-1.0", "CC0 1.0"


LICENCE_URLS = {
    Licence.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA_4: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC_SA_4: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


def default_licence() -> str:
    """The licence new contributions are published under (settings.CONTENT_LICENCE)."""
    wanted = settings.CONTENT_LICENCE
    for value, label in Licence.choices:
        if wanted in (value, label):
            return value
    return Licence.CC_BY_4


class SearchableQuerySet(models.QuerySet):
    """Full-text search over a model's stored `search_vector` (see directory.search): every word
    typed, each as a prefix, accents and case ignored. `relevance_then` orders equally relevant
    rows, and all rows when nothing searchable was typed."""

    relevance_then = ("pk",)

    def matching(self, text: str):
        """The rows matching `text`; none when nothing searchable was typed."""
        query = search_query(text)
        if query is None:
            return self.none()
        return self.filter(search_vector=query)

    def by_relevance(self, text: str):
        """Most relevant first (a hit in the weighted title or name outranks one elsewhere),
        then by `relevance_then`."""
        query = search_query(text)
        if query is None:
            return self.order_by(*self.relevance_then)
        return self.annotate(rank=SearchRank(models.F("search_vector"), query)).order_by(
            "-rank", *self.relevance_then
        )


def absolute_url(url: str) -> str:
    """A site path as an absolute URL on the hub's address (core.hosts.site_url: SITE_URL, or
    in development the current request's host)."""
    if url.startswith(("http://", "https://")):
        return url
    return site_url() + url


class SearchText(models.Model):
    """What full-text search reads (SearchableQuerySet): a title and a body, folded (accents and
    case; see directory.search), kept in step by each app's services, and the vector Postgres
    keeps from them, the title weighted above the body."""

    search_title = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")
    search_vector = models.GeneratedField(
        expression=SearchVector("search_title", weight="A", config="simple")
        + SearchVector("search_body", weight="B", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        abstract = True


class Timestamped(models.Model):
    """When a row was created and when it last changed."""

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Titled(models.Model):
    """A title, and the unique slug its address is made of."""

    title = SingleLineCharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title


def optional_foreign_key(to, verbose_name, *, related_name="+", on_delete=models.SET_NULL):
    """A link that may be left empty (and, by default, is emptied when its row goes); with
    no way back from that row unless `related_name` names one (None: Django's default)."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
    )


def short_description_field(help_text) -> models.CharField:
    """The one sentence shown on cards; `help_text` says where else it shows."""
    return models.CharField(_("short description"), max_length=300, blank=True, help_text=help_text)


def published_name(organisation, name_given: str) -> str:
    """The name shown for a directory organisation with a name given beside it: the
    organisation's only while it is published (a draft's name is not public), else the name
    given."""
    if organisation is not None and organisation.is_published:
        return organisation.name
    return name_given


class Reviewed(SearchText, Timestamped):
    """What every moderated kind shares (profiles, events, funding opportunities): the
    lifecycle's fields (core.lifecycle), its dates and its filter keys (core.search)."""

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Kept in step by each app's reindex service: accent-folded text and filter keys.
    facet_keys = ArrayField(models.CharField(max_length=140), default=list, editable=False)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


def published_search_indexes(prefix: str) -> list:
    """The GIN indexes full-text search and the filters read, over published rows only."""
    published = models.Q(status=Status.PUBLISHED)
    return [
        GinIndex(fields=["search_vector"], condition=published, name=f"{prefix}_pub_search"),
        GinIndex(fields=["facet_keys"], condition=published, name=f"{prefix}_pub_facets"),
    ]


class SubmissionQuerySet(SearchableQuerySet):
    """Reads every kind of submitted content shares (events, funding opportunities)."""

    def published(self):
        """What the public may see: published items only, everywhere."""
        return self.filter(status=Status.PUBLISHED)

    def managed_by(self, user):
        """Items the user may edit: those they submitted."""
        return self.filter(created_by=user)


class Submission(Reviewed, Titled):
    """What practitioners submit for review (events, funding opportunities): a title, the
    lifecycle's fields (Reviewed) and who submitted it."""

    created_by = optional_foreign_key(settings.AUTH_USER_MODEL, _("submitted by"))

    class Meta:
        abstract = True

    def get_permanent_url(self) -> str:
        return absolute_url(self.get_absolute_url())


def submission_indexes(prefix: str) -> list:
    """The indexes every kind of submission has: search and filters over published rows, and
    the review queue (by status, latest submitted first)."""
    return [
        *published_search_indexes(prefix),
        models.Index(fields=["status", "-submitted_at"], name=f"{prefix}_status"),
    ]


# --- Outgoing email (core.mail, core.outbox) ---------------------------------------------------


class OutgoingEmailQuerySet(models.QuerySet):
    def sent_before(self, moment):
        """Mail delivered before a moment: kept a while for support, then purged."""
        return self.filter(sent_at__lt=moment)

    def unsent(self):
        """Mail still to be delivered: queued, or being sent."""
        return self.filter(status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING])

    def due(self, moment):
        """Unsent mail whose lease ran out by `moment`: queued but never taken by a worker (the
        broker was down, the task was lost, a retry is due) or taken by an attempt that died."""
        return self.unsent().filter(lease_until__lte=moment)


class OutgoingEmail(models.Model):
    """A message waiting for, or done with, delivery by the mail task.

    The row is written in the same transaction as the change that caused the mail, so a rolled
    back change sends nothing, and the task can tell a message it already delivered. Its
    Message-ID is fixed when it is written, so a message sent again (a worker killed before the
    mail server's reply) is recognisably the same one. The lease says until when the row is
    in someone's hands (the broker's queue, then an attempt's); once it has run out, the sweeper
    (core.outbox.outgoing_email_sweep) queues the row again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    message = models.JSONField(_("message"))
    message_id = models.CharField(
        _("Message-ID"), max_length=255, unique=True, default=new_message_id, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_until = models.DateTimeField(_("lease until"), default=delivery_lease_end)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        # The table it had when the configuration package held it.
        db_table = "dsi_hub_outgoingemail"
        indexes = [
            models.Index(fields=["status", "sent_at"]),
            # The sweeper's and the health check's: unsent rows by lease.
            models.Index(
                fields=["lease_until"],
                condition=models.Q(status__in=["queued", "sending"]),
                name="core_outgoing_unsent",
            ),
        ]

    def __str__(self):
        return f"{self.message.get('subject', '')} → {', '.join(self.message.get('to', []))}"


# --- Notices to moderators (core.notices) -------------------------------------------------------


class ModerationNotice(models.Model):
    """An item that has just arrived in the moderators' queue, to be named in the next notice
    email. Kept in Postgres, in the transaction that put the item in the queue, so a lost or
    killed task loses nothing: the next run sends what is still unsent."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    title = models.CharField(_("title"), max_length=300)
    arrived_at = models.DateTimeField(_("arrived"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("moderation notice")
        verbose_name_plural = _("moderation notices")
        constraints = [
            # One notice per arrival: saving a waiting item again adds none; submitting it
            # again (a new arrival) adds one.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "arrived_at"], name="core_notice_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["arrived_at"],
                condition=models.Q(sent_at__isnull=True),
                name="core_notice_unsent",
            )
        ]

    def __str__(self):
        return self.title


# --- Uploaded images waiting to be re-encoded (core.pending_images) ----------------------------


class PendingImageQuerySet(models.QuerySet):
    def due(self, now):
        """Rows a task should take now: queued or being processed with their lease run out."""
        return self.filter(
            status__in=[PendingImage.Status.QUEUED, PendingImage.Status.PROCESSING],
            lease_until__lte=now,
        )

    def of(self, obj):
        """The rows waiting for a field of `obj` (a join, not a query for its content type)."""
        meta = obj._meta.concrete_model._meta
        return self.filter(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id=obj.pk,
        )


class PendingImage(models.Model):
    """An uploaded image too heavy to re-encode in the request. Its original bytes wait here, in
    the transaction that accepted the upload and never under MEDIA_ROOT, until a task has stored
    the re-encoded file in the field; then the row goes. One row per field: a newer upload
    replaces it (with a new token, so an older task's result is thrown away)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        PROCESSING = "processing", _("being processed")
        FAILED = "failed", _("failed")

    # The field waiting, and the upload (a newer one for the field gets a new token).
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(_("field"), max_length=100)
    token = models.UUIDField(default=uuid.uuid4)
    # Their upload goes with their account (core.pending_images.pending_images_forget).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # What to re-encode and how (core.images.process_image_upload's arguments). The original is
    # emptied when the image fails for good: nothing of the upload is kept for a note.
    original = models.BinaryField(_("original"))
    max_width = models.PositiveIntegerField()
    max_height = models.PositiveIntegerField()
    square = models.BooleanField(default=False)
    name_prefix = models.CharField(max_length=50)
    # The attempts (core.leases).
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_until = models.DateTimeField(_("lease until"))
    last_error = models.TextField(_("last error"), blank=True)

    objects = PendingImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("image being processed")
        verbose_name_plural = _("images being processed")
        # The sweeper's: rows still to process, by lease.
        indexes = [models.Index(fields=["status", "lease_until"], name="core_pending_image_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field"], name="core_pending_image_field"
            )
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id}.{self.field} ({self.status})"


# --- Changes to indexed rows (core.facets) ------------------------------------------------------


class FacetChange(models.Model):
    """A row of an indexed table that changed what its list shows (published or not, its filter
    keys, a sort column). Written by a trigger in the transaction of the change (whatever
    wrote it: a service, the admin, an import), so every worker's facet index can re-read just
    those rows; `xid` (the writing transaction) lets a reader catch a transaction that commits
    after a later one. Old rows are deleted by the trigger itself now and then."""

    seq = models.BigAutoField(primary_key=True)
    label = models.CharField(max_length=100)
    object_id = models.BigIntegerField()
    xid = models.BigIntegerField()
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        indexes = [models.Index(fields=["label", "xid"], name="core_facetchange_xid")]

    def __str__(self):
        return f"{self.label} {self.object_id}"
