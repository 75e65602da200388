from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmailQuerySet(models.QuerySet):
    def sent_before(self, moment):
        """Mail delivered before a moment: kept a while for support, then purged."""
        return self.filter(sent_at__lt=moment)


class OutgoingEmail(models.Model):
    """A message waiting for, or done with, delivery by the mail task.

    The row is written in the same transaction as the change that caused the mail, so a rolled
    back change sends nothing, and the task can tell a message it already delivered.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    message = models.JSONField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        indexes = [models.Index(fields=["status", "sent_at"])]

    def __str__(self):
        return f"{self.message.get('subject', '')} → {', '.join(self.message.get('to', []))}"
