"""Heavy uploads re-encoded by a Celery task (core.pending_images): the page answers at once with
the previous image, the task stores the WebP, and it is safe to run twice, late, or never."""

import io
import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import psycopg
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import User
from accounts.tests.images import jpeg_with_exif
from core.models import PendingImage
from core.pending_images import LEASE
from core.pending_images import MAX_ATTEMPTS
from core.pending_images import pending_image_process
from core.pending_images import pending_images_sweep
from core.tests.mail_worker import start_mail_worker
from core.tests.outages import free_port
from directory.tests.factories import OrganisationFactory

PROFILE = "/en/account/profile/"
Status = PendingImage.Status


@pytest.fixture
def heavy_above(settings):
    """Images over half a megapixel go to the task (the default is 4): small test images."""
    settings.IMAGE_INLINE_MAX_PIXELS = 500_000


def _png(size, colour=(0, 90, 200)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")


def _corrupt_png(size=(1200, 900)) -> SimpleUploadedFile:
    """A header that passes every check, and pixel data cut short."""
    data = _png(size).read()
    return SimpleUploadedFile("broken.png", data[: len(data) // 2], content_type="image/png")


def _with_old_avatar(user) -> str:
    user.avatar.save("old.webp", ContentFile(b"old avatar"), save=True)
    return user.avatar.name


def _post_avatar(client, upload):
    return client.post(PROFILE, {"name": "Ada", "avatar": upload, "languages": []})


def _images_step(profile) -> str:
    return reverse(
        "directory:organisation_edit_step", kwargs={"slug": profile.slug, "step": "images"}
    )


def _process(pending) -> bool:
    return pending_image_process(pending_id=pending.pk, token=str(pending.token))


def test_a_heavy_avatar_waits_and_the_old_one_is_shown_until_the_task_stores_it(
    client, user, heavy_above, django_capture_on_commit_callbacks
):
    old = _with_old_avatar(user)
    client.force_login(user)
    response = _post_avatar(client, jpeg_with_exif(size=(1200, 800)))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar.name == old
    pending = PendingImage.objects.get()
    assert (pending.field, pending.object_id, pending.status) == ("avatar", user.pk, Status.QUEUED)
    assert pending.uploaded_by == user
    page = client.get(PROFILE).content.decode()
    assert "Your new image is being processed" in page
    assert user.avatar.url in page

    with django_capture_on_commit_callbacks(execute=True):
        assert _process(pending) is True
    user.refresh_from_db()
    assert user.avatar.name.startswith("avatars/avatar-") and user.avatar.name.endswith(".webp")
    with Image.open(user.avatar) as stored:
        assert stored.format == "WEBP" and stored.size == (512, 512)
        assert not stored.getexif() and "exif" not in stored.info
    assert not default_storage.exists(old)
    assert not PendingImage.objects.exists()
    assert "being processed" not in client.get(PROFILE).content.decode()


def test_a_light_avatar_is_still_stored_in_the_request(client, user, heavy_above):
    client.force_login(user)
    assert _post_avatar(client, jpeg_with_exif(size=(600, 500))).status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.endswith(".webp")
    assert not PendingImage.objects.exists()


def test_running_the_task_twice_is_harmless(client, user, heavy_above):
    client.force_login(user)
    _post_avatar(client, jpeg_with_exif(size=(1200, 800)))
    pending = PendingImage.objects.get()
    assert _process(pending) is True
    user.refresh_from_db()
    stored = user.avatar.name
    assert _process(pending) is False
    user.refresh_from_db()
    assert user.avatar.name == stored
    assert default_storage.exists(stored)


def test_an_older_upload_never_overwrites_a_newer_one(client, user, heavy_above):
    client.force_login(user)
    _post_avatar(client, jpeg_with_exif(size=(1200, 800)))
    older = PendingImage.objects.get()
    # A second heavy upload replaces the waiting one: the first one's task finds nothing.
    _post_avatar(client, _png((1000, 1000), colour=(0, 200, 0)))
    newer = PendingImage.objects.get()
    assert newer.pk == older.pk and newer.token != older.token
    assert _process(older) is False
    assert PendingImage.objects.get().status == Status.QUEUED
    # Then a light upload, stored in the request, replaces both.
    _post_avatar(client, _png((400, 400), colour=(250, 250, 0)))
    user.refresh_from_db()
    light = user.avatar.name
    assert not PendingImage.objects.exists()
    assert _process(newer) is False
    user.refresh_from_db()
    assert user.avatar.name == light
    with Image.open(user.avatar) as stored:
        red, green, blue = stored.convert("RGB").getpixel((10, 10))
        # Yellow (250, 250, 0): not the first upload's red (200, 40, 40) nor the green waiting one.
        assert red > 200 and green > 200 and blue < 60, (red, green, blue)


def test_clearing_the_field_drops_the_waiting_image(client, user, heavy_above):
    _with_old_avatar(user)
    client.force_login(user)
    _post_avatar(client, jpeg_with_exif(size=(1200, 800)))
    pending = PendingImage.objects.get()
    client.post(PROFILE, {"name": "Ada", "avatar-clear": "on", "languages": []})
    user.refresh_from_db()
    assert not user.avatar
    assert not PendingImage.objects.exists()
    assert _process(pending) is False
    user.refresh_from_db()
    assert not user.avatar


def test_the_sweeper_sends_again_a_row_left_by_a_killed_worker(
    client, user, heavy_above, django_capture_on_commit_callbacks
):
    old = _with_old_avatar(user)
    client.force_login(user)
    _post_avatar(client, jpeg_with_exif(size=(1200, 800)))
    # What a worker killed while decoding leaves: an attempt taken, its lease running.
    PendingImage.objects.update(
        status=Status.PROCESSING, attempts=1, lease_until=timezone.now() + timedelta(minutes=2)
    )
    assert pending_images_sweep() == 0
    pending = PendingImage.objects.get()
    assert _process(pending) is False  # in the dead attempt's hands until its lease runs out
    with django_capture_on_commit_callbacks(execute=True):
        assert pending_images_sweep(now=timezone.now() + timedelta(minutes=3)) == 1
    user.refresh_from_db()
    assert user.avatar.name != old and user.avatar.name.endswith(".webp")
    assert not PendingImage.objects.exists()


def test_a_row_whose_attempts_all_died_fails_and_the_field_is_unchanged(client, user, heavy_above):
    old = _with_old_avatar(user)
    client.force_login(user)
    _post_avatar(client, jpeg_with_exif(size=(1200, 800)))
    PendingImage.objects.update(
        status=Status.PROCESSING, attempts=MAX_ATTEMPTS, lease_until=timezone.now()
    )
    assert pending_images_sweep(now=timezone.now() + timedelta(seconds=1)) == 0
    pending = PendingImage.objects.get()
    assert pending.status == Status.FAILED and "killed" in pending.last_error
    assert bytes(pending.original) == b""
    user.refresh_from_db()
    assert user.avatar.name == old


def test_a_corrupt_heavy_image_fails_for_good_and_the_field_keeps_its_image(
    client, user, heavy_above
):
    old = _with_old_avatar(user)
    client.force_login(user)
    assert _post_avatar(client, _corrupt_png()).status_code == 302
    pending = PendingImage.objects.get()
    assert _process(pending) is False
    pending.refresh_from_db()
    assert pending.status == Status.FAILED
    assert pending.last_error.startswith("permanent:") and pending.attempts == 1
    assert bytes(pending.original) == b""  # nothing of the upload is kept for the note
    user.refresh_from_db()
    assert user.avatar.name == old
    assert default_storage.exists(old)
    assert "We could not process the image you uploaded" in client.get(PROFILE).content.decode()
    assert _process(pending) is False  # failed rows are not tried again


def test_a_heavy_logo_waits_for_the_task_and_published_pages_move_on(
    client, user, heavy_above, django_capture_on_commit_callbacks
):
    from directory.versions import DIRECTORY

    organisation = OrganisationFactory(owner=user)
    client.force_login(user)
    url = _images_step(organisation)
    response = client.post(url, {"logo": _png((1500, 1000)), "links": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation.refresh_from_db()
    assert not organisation.logo
    pending = PendingImage.objects.get()
    assert pending.field == "logo" and pending.name_prefix == "logo"
    assert "Your new image is being processed" in client.get(url).content.decode()
    before = DIRECTORY.current()
    with django_capture_on_commit_callbacks(execute=True):
        assert _process(pending) is True
    organisation.refresh_from_db()
    assert organisation.logo.name.startswith("directory/logos/logo-")
    with Image.open(organisation.logo) as stored:
        assert max(stored.size) <= 512
    assert DIRECTORY.current() != before


def test_a_deleted_profile_takes_its_waiting_images_with_it(client, user, heavy_above):
    organisation = OrganisationFactory(owner=user)
    client.force_login(user)
    url = _images_step(organisation)
    client.post(url, {"header_image": _png((2000, 1000)), "links": ""})
    pending = PendingImage.objects.get()
    organisation.delete()
    assert not PendingImage.objects.exists()
    assert _process(pending) is False


def test_the_data_download_lists_waiting_images_and_deletion_removes_them(
    client, user, heavy_above
):
    from accounts.services import user_delete

    organisation = OrganisationFactory()
    client.force_login(user)
    _post_avatar(client, jpeg_with_exif(size=(1200, 800)))
    # An image they uploaded for someone else's field goes with them too.
    PendingImage.objects.create(
        content_type_id=PendingImage.objects.get().content_type_id,
        object_id=organisation.pk + 10_000,
        field="avatar",
        original=b"x" * 10,
        max_width=512,
        max_height=512,
        name_prefix="avatar",
        uploaded_by=user,
        lease_until=timezone.now(),
    )
    data = json.loads(client.post("/en/account/data/").content)
    waiting = data["images_being_processed"]
    assert [(row["kind"], row["field"], row["status"]) for row in waiting] == [
        ("accounts.user", "avatar", "queued"),
        ("accounts.user", "avatar", "queued"),
    ]
    assert waiting[0]["bytes"] > 1000 and waiting[1]["bytes"] == 10
    user_delete(user=User.objects.get(pk=user.pk))
    assert not PendingImage.objects.exists()


def test_an_editor_s_heavy_featured_image_is_processed_by_the_task_too(
    client, db, heavy_above, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from accounts.roles import EDITORIAL_ADMINS
    from accounts.tests.factories import UserFactory
    from stories.models import Story

    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORIAL_ADMINS))
    client.force_login(editor)
    data = {
        "kind": "news",
        "title": "Pictures",
        "slug": "pictures",
        "featured_image": _png((1500, 1000)),
        "featured_image_alt": "A blue square",
        "status": "draft",
        "publish_at_0": timezone.localdate().isoformat(),
        "publish_at_1": "08:00:00",
    }
    response = client.post("/en/admin/stories/story/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    story = Story.objects.get(slug="pictures")
    assert not story.featured_image
    pending = PendingImage.objects.get()
    assert pending.uploaded_by == editor
    change = f"/en/admin/stories/story/{story.pk}/change/"
    assert "Your new image is being processed" in client.get(change).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert _process(pending) is True
    story.refresh_from_db()
    assert story.featured_image.name.startswith("stories/story-")
    assert story.featured_image_alt == "A blue square"


@pytest.mark.worker
def test_a_real_worker_re_encodes_a_heavy_upload_after_the_page_answered(client, celery_worker):
    """Default settings: a 12-megapixel PNG is over IMAGE_INLINE_MAX_PIXELS."""
    from accounts.tests.factories import UserFactory

    user = UserFactory()
    old = _with_old_avatar(user)
    client.force_login(user)
    response = _post_avatar(client, _png((4000, 3000)))
    assert response.status_code == 302
    deadline = time.monotonic() + 30
    while PendingImage.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not PendingImage.objects.exists()
    user.refresh_from_db()
    assert user.avatar.name != old
    with Image.open(user.avatar) as stored:
        assert stored.format == "WEBP" and stored.size == (512, 512)
    deadline = time.monotonic() + 10  # the old file goes once the task's transaction commits
    while default_storage.exists(old) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not default_storage.exists(old)


# Run in a fresh interpreter against the test database: the peak resident memory (VmHWM) that
# the task adds while it re-encodes one waiting image.
MEMORY_PROBE = """
import sys
import django
from django.conf import settings
settings.DATABASES["default"]["NAME"] = sys.argv[1]
django.setup()
from core.pending_images import pending_image_process
def peak():  # VmHWM, not ru_maxrss: that one keeps the forking pytest's peak across exec
    status = open("/proc/self/status").read()
    return int(status.split("VmHWM:")[1].split()[0]) // 1024
before = peak()
done = pending_image_process(pending_id=int(sys.argv[2]), token=sys.argv[3])
print(done, peak() - before)
"""


@pytest.mark.parametrize(
    "image, image_format",
    [
        # The largest PNG accepted (16 megapixels of RGB) and a 40-megapixel photo.
        (Image.new("RGB", (4000, 4000), (0, 90, 200)), "PNG"),
        (Image.new("RGB", (7300, 5450), (0, 90, 200)), "JPEG"),
    ],
    ids=["largest-png", "40-megapixel-jpeg"],
)
def test_the_task_takes_bounded_memory(
    django_db_serialized_rollback, transactional_db, user, image, image_format
):
    buffer = io.BytesIO()
    image.save(buffer, image_format)
    image.close()
    organisation = OrganisationFactory(owner=user)
    # The row a header image's upload leaves (committed: the probe is another process).
    pending = PendingImage.objects.create(
        content_type=ContentType.objects.get_for_model(organisation),
        object_id=organisation.pk,
        field="header_image",
        original=buffer.getvalue(),
        max_width=2000,
        max_height=800,
        name_prefix="header-image",
        uploaded_by=user,
        lease_until=timezone.now(),
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dsi_hub.settings_test"}
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, connection.settings_dict["NAME"], str(pending.pk)]
        + [str(pending.token)],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
    )
    done, megabytes = result.stdout.split()
    assert done == "True", result.stderr[-2000:]
    limit = settings.IMAGE_DECODE_MAX_BYTES // 2**20 + 36
    assert int(megabytes) < limit, f"{megabytes} MB to re-encode the image"
    print(f"{image_format}: peak RSS growth {megabytes} MB (limit {limit} MB)")


@pytest.mark.worker
def test_a_worker_killed_before_it_stores_the_image_leaves_a_row_the_sweeper_sends_again(
    django_db_serialized_rollback, transactional_db, client, django_capture_on_commit_callbacks
):
    """The worker (a process of its own) decodes the image, then waits for the account's row,
    which the test holds locked, and is killed there with kill -9."""
    from accounts.tests.factories import UserFactory
    from dsi_hub.celery import app

    user = UserFactory()
    old = _with_old_avatar(user)
    client.force_login(user)
    app.conf.task_always_eager = False
    try:
        assert _post_avatar(client, _png((4000, 3000))).status_code == 302
    finally:
        app.conf.task_always_eager = True
    holder = psycopg.connect(
        **{
            "dbname": connection.settings_dict["NAME"],
            "host": connection.settings_dict["HOST"],
            "port": connection.settings_dict["PORT"] or 5432,
            "user": connection.settings_dict["USER"],
        }
    )
    try:
        holder.execute("SELECT 1 FROM accounts_user WHERE id = %s FOR UPDATE", [user.pk])
        worker = start_mail_worker(database=connection.settings_dict["NAME"], smtp_port=1)
        try:
            deadline = time.monotonic() + 60
            while not _waiting_for_a_lock(holder) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _waiting_for_a_lock(holder), "the worker never reached the account's row"
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
    finally:
        holder.rollback()
        holder.close()

    pending = PendingImage.objects.get()
    assert (pending.status, pending.attempts) == (Status.PROCESSING, 1)
    user.refresh_from_db()
    assert user.avatar.name == old
    assert pending_images_sweep() == 0  # its lease still runs: the attempt might be alive
    with django_capture_on_commit_callbacks(execute=True):
        assert pending_images_sweep(now=timezone.now() + LEASE) == 1
    user.refresh_from_db()
    assert user.avatar.name != old and user.avatar.name.endswith(".webp")
    assert not PendingImage.objects.exists()
    assert not default_storage.exists(old)


def _waiting_for_a_lock(holder) -> bool:
    """Whether another session of the test database waits for a row lock (the worker's)."""
    # Statistics are read once per transaction, and the holder's stays open: read them afresh.
    holder.execute("SELECT pg_stat_clear_snapshot()")
    row = holder.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
    ).fetchone()
    return row[0] > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_upload_while_the_broker_is_down_waits_in_postgres_for_the_sweeper(
    client, django_capture_on_commit_callbacks
):
    from accounts.tests.factories import UserFactory
    from dsi_hub.celery import app

    user = UserFactory()
    old = _with_old_avatar(user)
    client.force_login(user)
    url, timeout = app.conf.broker_url, app.conf.broker_connection_timeout
    _use_broker(f"redis://127.0.0.1:{free_port()}/0", timeout=0.5)
    app.conf.task_always_eager = False
    try:
        response = _post_avatar(client, _png((4000, 3000)))
    finally:
        app.conf.task_always_eager = True
        _use_broker(url, timeout=timeout)
    assert response.status_code == 302  # the refused task is only logged
    pending = PendingImage.objects.get()
    assert (pending.status, pending.attempts) == (Status.QUEUED, 0)
    user.refresh_from_db()
    assert user.avatar.name == old
    with django_capture_on_commit_callbacks(execute=True):
        assert pending_images_sweep(now=timezone.now() + LEASE) == 1
    user.refresh_from_db()
    assert user.avatar.name.endswith(".webp")
    assert not PendingImage.objects.exists()


def _use_broker(url, *, timeout):
    from dsi_hub.celery import app

    app.conf.broker_url = url
    app.conf.broker_connection_timeout = timeout
    # Celery keeps its connection pools: new ones for the new address.
    app._pool = None
    app.amqp._producer_pool = None
