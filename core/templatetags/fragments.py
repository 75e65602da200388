"""Template fragments kept rendered in each worker: `{% fragment "name" value ... %}...
{% endfragment %}` renders its content once per language and values given, then serves the
copy (the site's header and footer, a section's navigation: some forty translations and a
dozen reversed addresses on every page otherwise).

Only for markup that depends on nothing but the language, the values named, settings and the
code (templates, translations, URLs: a release starts new workers): never a user's, a form's
or a request's data. Unlike Django's {% cache %}, nothing goes to Redis and nothing expires;
the copies are bounded (the oldest are dropped) and forgotten when a test changes a setting.
"""

import threading
from collections import OrderedDict

from django import template
from django.core.signals import setting_changed
from django.utils.translation import get_language

register = template.Library()

KEPT = 512
_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


def fragments_forget(**kwargs) -> None:
    with _lock:
        _kept.clear()


setting_changed.connect(fragments_forget)


class FragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        key = (self.name, get_language(), *(value.resolve(context) for value in self.vary_on))
        found = _kept.get(key)
        if found is None:
            found = self.nodelist.render(context)
            with _lock:
                _kept[key] = found
                while len(_kept) > KEPT:
                    _kept.popitem(last=False)
        return found


@register.tag
def fragment(parser, token):
    """{% fragment "name" value ... %}: see the module's docstring."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "'\"" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% fragment %} takes a quoted name, then values.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])
