from django.contrib.auth.models import Group

from accounts.roles import COMMUNITY_ADMINS
from accounts.roles import EDITORIAL_ADMINS
from accounts.roles import sync_roles


def test_roles_exist_with_the_permissions_of_their_apps(db):
    community = Group.objects.get(name=COMMUNITY_ADMINS)
    codenames = set(community.permissions.values_list("codename", flat=True))
    assert {"change_organisation", "change_project", "change_socialarea"} <= codenames
    assert "view_user" in codenames
    assert "change_user" not in codenames
    editorial = Group.objects.get(name=EDITORIAL_ADMINS)
    assert "change_organisation" not in set(
        editorial.permissions.values_list("codename", flat=True)
    )


def test_syncing_roles_twice_changes_nothing(db):
    before = {g.name: g.permissions.count() for g in Group.objects.all()}
    sync_roles()
    assert {g.name: g.permissions.count() for g in Group.objects.all()} == before


def test_a_community_admin_can_moderate_in_the_admin(client, db):
    from accounts.tests.factories import UserFactory

    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    client.force_login(moderator)
    assert client.get("/en/admin/directory/organisation/").status_code == 200
    assert client.get("/en/admin/accounts/user/").status_code == 200
    assert client.get("/en/admin/auth/group/").status_code == 403
