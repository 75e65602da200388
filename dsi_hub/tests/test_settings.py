import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-real-secret-" + "k3y" * 20,
    "DJANGO_ALLOWED_HOSTS": "hub.example.org",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "SITE_URL": "https://hub.example.org",
    "DJANGO_SETTINGS_MODULE": "dsi_hub.settings",
}


def _manage(*args, env, unset=()):
    full_env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    full_env.setdefault("REDIS_URL", settings.REDIS_URL)
    full_env.update(env)
    for name in unset:
        full_env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = dict(PRODUCTION_ENV)
    env["DJANGO_SECRET_KEY"] = ""
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_manage_py_says_what_is_missing_even_with_a_bare_environment():
    """With no HOME or locale, Django's checks used to end in "Models aren't loaded yet"."""
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "DJANGO_DEBUG": "false"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    assert "DJANGO_DEBUG=true" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_the_development_key():
    env = dict(PRODUCTION_ENV)
    env["DJANGO_SECRET_KEY"] = "django-insecure-" + "x" * 50
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_deploy_check_is_clean_in_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_email_url_configures_delivery():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.EMAIL_DELIVERY_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS)",
        env=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert "smtp.EmailBackend smtp.example.org 587 True" in result.stdout


def test_only_postgres_is_accepted():
    result = _manage("check", env={**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///hub.db"})
    assert result.returncode != 0
    assert "Postgres" in result.stderr


def test_production_refuses_to_start_without_a_database_url():
    """The embedded Postgres is for development: production must not quietly run on one."""
    result = _manage("check", env=PRODUCTION_ENV, unset=["DATABASE_URL"])
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


def test_production_refuses_to_start_without_a_redis_url():
    env = {**PRODUCTION_ENV, "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://x@y/z")}
    result = _manage("check", env=env, unset=["REDIS_URL"])
    assert result.returncode != 0
    assert "REDIS_URL must be set" in result.stderr


def test_production_refuses_to_start_without_a_site_url():
    """Links in emails, the API, downloads and the sitemap are built on it: no guessing."""
    env = {**PRODUCTION_ENV, "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://x@y/z")}
    result = _manage("check", env=env, unset=["SITE_URL"])
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr
    result = _manage("check", env={**env, "SITE_URL": "hub.example.org"})
    assert result.returncode != 0
    assert "SITE_URL must start with https://" in result.stderr


def test_development_needs_no_site_url():
    env = {
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://x@y/z"),
    }
    show = "from django.conf import settings as s; print(repr(s.SITE_URL))"
    result = _manage("shell", "-c", show, env=env, unset=["SITE_URL"])
    assert result.returncode == 0, result.stderr
    assert "''" in result.stdout


def test_a_deployment_names_its_media_host_and_where_policy_reports_go():
    env = {**PRODUCTION_ENV, "CSP_IMG_SRC": "https://media.example.org", "CSP_REPORT_URI": "/r"}
    show = "from django.conf import settings as s; print(s.CONTENT_SECURITY_POLICY['DIRECTIVES'])"
    result = _manage("shell", "-c", show, env=env)
    assert result.returncode == 0, result.stderr
    assert "'img-src': [\"'self'\", 'data:', 'https://media.example.org']" in result.stdout
    assert "'report-uri': '/r'" in result.stdout
