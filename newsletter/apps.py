from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from accounts.signals import account_deleting
        from accounts.signals import account_exporting
        from newsletter import personal_data

        account_exporting.connect(
            personal_data.subscriptions_export, dispatch_uid="newsletter_export_person"
        )
        account_deleting.connect(
            personal_data.subscriptions_forget, dispatch_uid="newsletter_forget_person"
        )
