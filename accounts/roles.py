"""The hub's roles, as groups with the permissions of the apps they look after.

Roles are defined by the apps they manage, so an app that arrives later (events, funding,
stories) hands its models' permissions to its role as soon as it is migrated.
"""

from django.apps import apps as global_apps
from django.utils.translation import gettext_noop

COMMUNITY_ADMINS = gettext_noop("Community admins")
EDITORIAL_ADMINS = gettext_noop("Editorial admins")

ROLES = {
    # Moderate the directory, events and funding opportunities.
    COMMUNITY_ADMINS: {
        "apps": ["directory", "events", "funding"],
        "extra": ["accounts.view_user"],
    },
    # Write stories and case studies, and keep clusters and resources.
    EDITORIAL_ADMINS: {
        "apps": ["stories"],
        "extra": ["accounts.view_user"],
    },
}


def sync_roles(apps=global_apps) -> None:
    """Create the role groups and give each the permissions of its apps (idempotent)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, role in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = set(
            Permission.objects.filter(content_type__app_label__in=role["apps"]).values_list(
                "pk", flat=True
            )
        )
        for dotted in role["extra"]:
            app_label, codename = dotted.split(".")
            permissions.update(
                Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).values_list("pk", flat=True)
            )
        group.permissions.add(*permissions)


def sync_roles_after_migrate(sender, apps=global_apps, **kwargs):
    # Runs once per migrated app; contenttypes and permissions are created by then.
    try:
        apps.get_model("auth", "Group")
    except LookupError:
        return
    sync_roles(apps)
