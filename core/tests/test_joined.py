"""{% joined %} (core/templatetags/joined.py): a line of facts without stray separators."""

import pytest
from django.template import Context
from django.template import Template
from django.template import TemplateSyntaxError

LINE = Template(
    '{% load joined %}{% joined " · " %}{{ city }}{% part %} {{ kind }} {% part %}'
    "{% if free %}Free{% endif %}{% endjoined %}"
)


@pytest.mark.parametrize(
    ("values", "line"),
    [
        ({"city": "Milan", "kind": "Lab", "free": True}, "Milan · Lab · Free"),
        ({"city": "", "kind": "Lab", "free": True}, "Lab · Free"),
        ({"city": "Milan", "kind": "", "free": True}, "Milan · Free"),
        ({"city": "Milan", "kind": "Lab", "free": False}, "Milan · Lab"),
        ({"city": "", "kind": "", "free": False}, ""),
        ({"city": "<b>Rome</b>", "kind": "", "free": False}, "&lt;b&gt;Rome&lt;/b&gt;"),
    ],
)
def test_only_the_parts_that_are_there_are_joined(values, line):
    assert LINE.render(Context(values)) == line


def test_it_needs_a_separator():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load joined %}{% joined %}a{% endjoined %}")
