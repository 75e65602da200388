"""The roles people have on a profile."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("owner")
    ADMIN = "admin", _("admin")
    MEMBER = "member", _("member")


MANAGING_ROLES = (Role.OWNER, Role.ADMIN)
