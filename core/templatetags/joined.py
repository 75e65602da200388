"""{% load joined %}: a line of facts (a card's place, type, price...) whose missing parts leave
no stray separator.

    {% joined " · " %}{{ city }}{% part %}{{ type }}{% part %}{{ price }}{% endjoined %}

renders the parts that are not empty (once stripped), joined by the separator: never a line that
starts with "·", ends with one or has two in a row.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


class JoinedNode(template.Node):
    def __init__(self, separator, parts):
        self.separator = separator
        self.parts = parts

    def render(self, context) -> str:
        separator = conditional_escape(self.separator.resolve(context))
        rendered = (str(part.render(context)).strip() for part in self.parts)
        # Each part was rendered by the template engine, so escaped already.
        return mark_safe(separator.join(text for text in rendered if text))  # noqa: S308


@register.tag
def joined(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% joined %} takes one argument: the separator.")
    separator = parser.compile_filter(bits[1])
    parts = []
    while True:
        parts.append(parser.parse(("part", "endjoined")))
        if parser.next_token().contents == "endjoined":
            return JoinedNode(separator, parts)
