from django.core.cache import cache

from core.versions import ContentVersion


def test_an_entry_is_stale_once_its_version_moves_on(db):
    cache.delete_many(["test:a", "test:entry"])
    a = ContentVersion("test:a")
    version, entry = a.cached("test:entry")
    assert entry is None and isinstance(version, int)
    a.cache("test:entry", {"value": 1}, version=version, timeout=60)
    assert a.cached("test:entry") == (version, {"value": 1, "version": version})
    a.bump()
    assert a.cached("test:entry")[1] is None


def test_an_entry_following_another_kind_is_stale_when_either_moves_on(
    db, django_assert_num_queries
):
    cache.delete_many(["test:a", "test:b", "test:entry"])
    followed = ContentVersion("test:a")
    follower = ContentVersion("test:b", follows=(followed,))
    version, entry = follower.cached("test:entry")
    assert entry is None and version == (follower.current(), followed.current())
    follower.cache("test:entry", {"value": 1}, version=version, timeout=60)
    with django_assert_num_queries(0):
        assert follower.cached("test:entry")[1]["value"] == 1
    followed.bump()
    version, entry = follower.cached("test:entry")
    assert entry is None
    follower.cache("test:entry", {"value": 2}, version=version, timeout=60)
    follower.bump()
    assert follower.cached("test:entry")[1] is None
    assert follower.current() == version[0] + 1  # its own number, for file names and tests
