from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts.roles import sync_roles_after_migrate

        # Roles take the permissions of apps as they arrive; plumbing, not a business rule.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")
