#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsi_hub.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings, which check the environment
    except ImproperlyConfigured as error:
        # Without this, Django carries on and fails later with a less helpful message.
        sys.exit(
            f"manage.py: {error}\n"
            "For development, `make run` writes a git-ignored .env with DJANGO_DEBUG=true; "
            "or set DJANGO_DEBUG=true yourself."
        )
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
