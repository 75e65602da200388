"""core.spam.defang: names shown in plain-text mail keep no link a mail program would follow."""

import pytest

from core.spam import defang


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Verify at https://evil.example/login", "Verify at https[:]//evil[.]example/login"),
        ("HTTP://Evil.Example", "HTTP[:]//Evil[.]Example"),
        ("www.evil.example", "www[.]evil[.]example"),
        ("write to a@evil.example", "write to a@evil[.]example"),
        ("Code.org", "Code[.]org"),
        # What is not a host stays as written.
        ("Web 2.0 Lab", "Web 2.0 Lab"),
        ("Open Data Lab Ltd.", "Open Data Lab Ltd."),
        ("Dr. Ada Lovelace", "Dr. Ada Lovelace"),
        ("", ""),
        (None, ""),
    ],
)
def test_links_and_hosts_are_broken_and_the_rest_kept(text, shown):
    assert defang(text) == shown
