"""Uploaded files: their sizes as people read them."""

import math

from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import ngettext

UNITS = ((1024**3, "%s GB"), (1024**2, "%s MB"), (1024, "%s KB"))


def file_size(num_bytes: int, *, round_up: bool = False) -> str:
    """A size as people read it: "5 MB", "5.2 MB" (one decimal where it is not whole).

    With `round_up`, a size is never shown smaller than it is, so a file over a limit never
    reads as the limit itself ("5.1 MB" against "5 MB", not "5.0 MB" against "5.0 MB")."""
    for unit, text in UNITS:
        if num_bytes >= unit:
            tenths = num_bytes * 10 / unit
            value = (math.ceil(tenths) if round_up else round(tenths)) / 10
            return gettext(text) % number_format(value, 0 if value.is_integer() else 1)
    return ngettext("%(size)d byte", "%(size)d bytes", num_bytes) % {"size": num_bytes}
