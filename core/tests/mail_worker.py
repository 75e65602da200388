"""A real Celery worker in a process of its own, for tests that kill it (kill -9) mid-delivery.

It reads the test run's settings, database and broker, and delivers mail by SMTP to a port:

    python -m core.tests.mail_worker <test database name> <SMTP port>

`start_mail_worker` starts one from a test and returns the process.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start_mail_worker(*, database: str, smtp_port: int) -> subprocess.Popen:
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "dsi_hub.settings_test"}
    return subprocess.Popen(
        [sys.executable, "-m", "core.tests.mail_worker", database, str(smtp_port)],
        cwd=ROOT,
        env=env,
    )


def main(database: str, smtp_port: str) -> None:
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = database
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = int(smtp_port)
    settings.EMAIL_TIMEOUT = 60
    django.setup()

    from dsi_hub.celery import app

    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ]
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
