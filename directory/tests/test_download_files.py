"""Whole-directory downloads kept as files until the directory changes."""

from pathlib import Path

import pytest
from django.conf import settings

from core.download_files import teed
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from directory.versions import directory_changed

URLS = ["/data/organisations.csv", "/data/organisations.json", "/data/projects.json"]


def kept() -> list[str]:
    folder = Path(settings.DOWNLOAD_FILES_DIR)
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def content(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def directory(db):
    OrganisationFactory.create_batch(3)
    ProjectFactory.create_batch(2)


@pytest.mark.parametrize("url", URLS)
def test_the_whole_download_is_sent_again_from_its_file(
    client, directory, url, django_assert_num_queries
):
    first = client.get(url)
    made = content(first)
    assert "Content-Length" not in first
    assert len(kept()) == 1
    with django_assert_num_queries(0):
        again = client.get(url)
        assert content(again) == made
    assert again["Content-Length"] == str(len(made))
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["Cache-Control"] == first["Cache-Control"]
    head = client.head(url)
    assert head.status_code == 200 and head["Content-Length"] == str(len(made))


def test_a_change_makes_a_new_file_and_removes_the_old_one(
    client, directory, django_capture_on_commit_callbacks
):
    before = content(client.get(URLS[0])).decode()
    old = kept()
    newcomer = OrganisationFactory(name="Newcomer Collective")
    with django_capture_on_commit_callbacks(execute=True):
        directory_changed()
    after = content(client.get(URLS[0])).decode()
    assert "Newcomer Collective" in after and "Newcomer Collective" not in before
    assert len(kept()) == 1 and kept() != old
    assert content(client.get(URLS[0])).decode() == after
    assert newcomer.name in after


def test_filtered_downloads_are_never_kept(client, directory):
    content(client.get("/data/organisations.csv?q=lab"))
    content(client.get("/data/projects.json?sort=newest"))
    assert kept() == []


def test_each_kind_and_format_has_its_own_file(client, directory):
    for url in URLS:
        content(client.get(url))
    assert {name.split("-")[0] + name[name.rindex(".") :] for name in kept()} == {
        "organisations.csv",
        "organisations.json",
        "projects.json",
    }


def test_a_download_cut_short_leaves_nothing(client, directory):
    response = client.get(URLS[0])
    pieces = iter(response.streaming_content)
    next(pieces)
    response.close()  # the client went away
    assert kept() == []
    assert not list(Path(settings.DOWNLOAD_FILES_DIR).glob(".partial-*"))


def test_a_disk_that_refuses_only_means_no_file(client, directory, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.DOWNLOAD_FILES_DIR = str(blocker / "downloads")
    text = content(client.get(URLS[0])).decode()
    assert text.count("\n") == 4  # header and three organisations
    assert content(client.get(URLS[0])).decode() == text


def test_a_file_that_cannot_be_put_in_place_is_discarded(tmp_path, monkeypatch):
    def refuse(*args):
        raise OSError("read-only file system")

    monkeypatch.setattr("core.download_files.os.replace", refuse)
    path = tmp_path / "organisations-1-x.csv"
    assert list(teed(iter([b"a" * 10, b"b" * 10]), path)) == [b"a" * 10, b"b" * 10]
    assert list(tmp_path.iterdir()) == []


def test_the_site_can_keep_no_files(client, directory, settings):
    settings.DOWNLOAD_FILES_DIR = ""
    first = content(client.get(URLS[0]))
    assert content(client.get(URLS[0])) == first
    assert "Content-Length" not in client.get(URLS[0])


def test_a_renamed_term_makes_a_new_file(client, directory, django_capture_on_commit_callbacks):
    from directory.models import Country

    OrganisationFactory(country=Country.objects.get(code="ES"))
    before = content(client.get(URLS[0])).decode()
    spain = Country.objects.get(code="ES")
    with django_capture_on_commit_callbacks(execute=True):
        spain.name = "Reino de España"
        spain.save()
    after = content(client.get(URLS[0])).decode()
    assert "Reino de España" in after and "Reino de España" not in before


def test_a_download_begun_before_a_change_does_not_replace_a_newer_file(tmp_path):
    older = tmp_path / "organisations-100-x.csv"
    newer = tmp_path / "organisations-200-x.csv"
    newer.write_bytes(b"newer")
    assert list(teed(iter([b"older"]), older)) == [b"older"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [newer.name]
    assert newer.read_bytes() == b"newer"
    # and the newer one, made after, replaces the older
    older.write_bytes(b"older")
    newest = tmp_path / "organisations-300-x.csv"
    list(teed(iter([b"newest"]), newest))
    assert sorted(path.name for path in tmp_path.iterdir()) == [newest.name]
