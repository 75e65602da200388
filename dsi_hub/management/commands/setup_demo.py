import json
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.db import transaction

from accounts import services as account_services
from accounts.models import User
from directory.demo import directory_seed_demo
from directory.models import Organisation
from events.demo import events_seed_demo
from events.models import Event
from funding.demo import opportunities_seed_demo
from funding.models import Opportunity
from stories.demo import stories_seed_demo
from stories.models import Story

DEMO_ADMIN_EMAIL = "admin@example.org"


class Command(BaseCommand):
    help = "Development only: a demo admin (printed) and a small demo directory, once."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("setup_demo is for development: it refuses to run with debug off.")
        credentials_file = settings.BASE_DIR / ".data" / "demo-admin.json"
        with transaction.atomic():
            password = self._demo_admin(credentials_file)
            if not Organisation.objects.exists():
                directory_seed_demo(organisations=24, projects=36, seed=2017)
                self.stdout.write("Loaded a small demo directory.")
            if not Event.objects.exists():
                events_seed_demo(count=40, seed=2017)
                self.stdout.write("Loaded demo events.")
            if not Opportunity.objects.exists():
                opportunities_seed_demo(count=20, seed=2017)
                self.stdout.write("Loaded demo funding opportunities.")
            if not Story.objects.exists():
                stories_seed_demo(case_studies=6, seed=2017)
                self.stdout.write("Loaded demo stories and resources.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo admin: {DEMO_ADMIN_EMAIL} / {password} "
                "(log in at http://127.0.0.1:8000/en/accounts/login/)"
            )
        )

    def _demo_admin(self, credentials_file) -> str:
        stored = json.loads(credentials_file.read_text()) if credentials_file.exists() else {}
        user = User.objects.filter(email=DEMO_ADMIN_EMAIL).first()
        if user and stored.get("password") and user.check_password(stored["password"]):
            return stored["password"]
        password = secrets.token_urlsafe(12)
        account_services.user_ensure_superuser(
            email=DEMO_ADMIN_EMAIL, password=password, name="Demo Admin"
        )
        credentials_file.parent.mkdir(parents=True, exist_ok=True)
        credentials_file.write_text(json.dumps({"email": DEMO_ADMIN_EMAIL, "password": password}))
        return password
