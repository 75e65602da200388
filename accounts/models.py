from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.models import BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from core.fields import SingleLineCharField
from core.fields import WebAddressesField


class UserQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def receiving_moderation_notices(self):
        """Those who have not switched off the notices of new items to review (core.notices)."""
        return self.filter(moderation_notices=True)

    def with_profile(self):
        """What a profile page shows, in one query."""
        return self.select_related("country")


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: logs in with their email address; their profile lives here."""

    email = models.EmailField(_("email address"), unique=True)
    name = SingleLineCharField(_("name"), max_length=150, blank=True)
    slug = models.SlugField(_("profile address"), max_length=160, unique=True, null=True)
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        "directory.Country",
        verbose_name=_("country"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    skills = ArrayField(
        models.CharField(max_length=50), verbose_name=_("skills"), default=list, blank=True
    )
    languages = ArrayField(
        models.CharField(max_length=10),
        verbose_name=_("languages"),
        default=list,
        blank=True,
    )
    links = WebAddressesField(max_length=200, verbose_name=_("links"), default=list, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)
    show_email = models.BooleanField(_("show my email address on my profile"), default=False)
    moderation_notices = models.BooleanField(
        _("email me when something new waits for review"),
        default=True,
        help_text=_(
            "For moderators: a short email a few minutes after something is submitted or "
            "reported. The daily summary comes either way."
        ),
    )
    terms_accepted_at = models.DateTimeField(
        _("terms and privacy policy accepted"), null=True, blank=True
    )

    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the person can log into the administration."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.name or self.email

    def get_absolute_url(self):
        return reverse("accounts:profile", kwargs={"slug": self.slug})

    def language_names(self) -> list[str]:
        """The languages a person speaks, named in the current language; unknown codes skipped."""
        names = []
        for code in self.languages:
            try:
                names.append(get_language_info(code)["name_translated"])
            except KeyError:
                continue
        return names

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else ""
