"""What changed between two versions (core.version_diff): word diffs, escaped."""

import datetime as dt

from core.version_diff import text_diff
from core.version_diff import version_changes
from events.models import Event


def test_a_word_diff_marks_removed_and_added_words():
    assert str(text_diff("a quick fox", "a slow fox")) == "a <del>quick</del><ins>slow</ins> fox"
    assert str(text_diff("", "new")) == "<ins>new</ins>"
    assert str(text_diff("same", "same")) == "same"


def test_markup_in_the_texts_is_escaped_never_rendered():
    diff = str(text_diff("<p>Hi</p>", '<p>Hi <img src=x onerror="alert(1)"></p>'))
    assert "<img" not in diff and "<p>" not in diff
    assert "<ins> &lt;img src=x onerror=&quot;alert(1)&quot;&gt;</ins>" in diff


def test_long_texts_are_compared_line_by_line():
    before = "\n".join(f"line {number}" for number in range(30_000))
    after = before.replace("line 15000\n", "line fifteen thousand\n")
    diff = str(text_diff(before, after))
    assert "<del>line 15000\n</del><ins>line fifteen thousand\n</ins>" in diff


def test_version_changes_skip_what_did_not_change_and_timestamps():
    changes = version_changes(
        Event,
        {"title": "A", "city": "Rome", "updated_at": 1, "is_free": False},
        {"title": "B", "city": "Rome", "updated_at": 2, "is_free": True},
    )
    labels = [change.label for change in changes]
    assert "title" in labels and "city" not in labels and "updated" not in labels
    online = next(change for change in changes if change.diff is None)
    assert (online.before, online.after) == ("✗", "✓")


def test_dates_and_times_read_as_dates():
    changes = version_changes(
        Event,
        {"submitted_at": None},
        {"submitted_at": dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)},
    )
    assert changes[0].before == "–"
    assert changes[0].after.startswith("March 1, 2026")
