import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError
from django.core.management import call_command

from accounts.models import User
from directory.models import Organisation
from directory.models import Project


def test_setup_demo_creates_a_usable_admin_and_a_directory_once(db, settings, tmp_path, client):
    settings.DEBUG = True
    settings.BASE_DIR = tmp_path
    call_command("setup_demo")
    admin = User.objects.get(email="admin@example.org")
    assert admin.is_superuser
    assert EmailAddress.objects.get(user=admin).verified
    assert Organisation.objects.published().count() == 24
    assert Project.objects.published().count() == 36
    call_command("setup_demo")
    assert Organisation.objects.count() == 24
    assert User.objects.filter(email="admin@example.org").count() == 1


def test_setup_demo_refuses_to_run_in_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("setup_demo")
