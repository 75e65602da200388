"""Model fields (and their form fields) that every app may use."""

import re
from urllib.parse import quote
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.db import models

# The C0 and C1 control characters (tab, CR, LF, NUL...: Unicode's category Cc), and the line
# and paragraph separators.
CONTROL_CHARACTERS = re.compile(r"\s*[\x00-\x1f\x7f-\x9f\u2028\u2029]+\s*")


def single_line(value: str) -> str:
    """The text with every run of control characters (CR, LF, tab, NUL...), and the spaces
    around it, made one space.

    A name or title ends up in email headers (subjects, display names), where a line break
    makes Django refuse the whole message (BadHeaderError) or, worse, lets text add a header.
    """
    if not value:
        return value
    return CONTROL_CHARACTERS.sub(" ", value).strip()


class CleanedField:
    """Mixed into a model field before it: its value goes through `clean_value` whenever the
    model is validated (forms, the admin) or saved (services, imports, the shell).

    It changes nothing in the database, so it deconstructs as Django's own field
    (`plain_path`): swapping it in needs no migration, and migrations keep naming Django's field.
    """

    plain_path = ""

    @staticmethod
    def clean_value(value):
        return value

    def to_python(self, value):
        return self.clean_value(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = self.clean_value(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, self.plain_path, args, kwargs


class SingleLineCharField(CleanedField, models.CharField):
    """A CharField whose value is cleaned of control characters (`single_line`)."""

    plain_path = "django.db.models.CharField"
    clean_value = staticmethod(single_line)


# What RFC 3986 lets stand unescaped in a path, and in a query or fragment; anything else
# (spaces, quotes, angle brackets, non-ASCII letters...) is percent-encoded.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = _PATH_SAFE + "?"
# A "%" that does not start an escape (%XX) stands for itself.
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def web_address(value: str) -> str:
    """`value`, a web address as people type or paste it, as an RFC 3986 URI: non-ASCII host
    names in their IDNA form, and every character a URI may not hold (spaces, `"`, `<`, `>`,
    non-ASCII letters...) percent-encoded, so that it is the same page to a browser and a valid
    `format: uri` to the API's readers. What cannot be made one (an invalid host) is returned
    as it is, for URLValidator to refuse."""
    if not value:
        return value
    try:
        parts = urlsplit(single_line(value))
        netloc = parts.netloc
        if not netloc.isascii():
            userinfo, at, host = netloc.rpartition("@")
            netloc = userinfo + at + host.encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        return value

    def encoded(part: str, safe: str) -> str:
        return quote(_STRAY_PERCENT.sub("%25", part), safe=safe)

    return urlunsplit(
        (
            parts.scheme,
            netloc,
            encoded(parts.path, _PATH_SAFE),
            encoded(parts.query, _QUERY_SAFE),
            encoded(parts.fragment, _QUERY_SAFE),
        )
    )


class WebAddressFormField(forms.URLField):
    """A form's web address (https:// when no scheme is given), made an RFC 3986 URI
    (`web_address`) before it is validated."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)

    def to_python(self, value):
        return web_address(super().to_python(value))


class WebAddressField(CleanedField, models.URLField):
    """A URLField whose value is always an RFC 3986 URI (`web_address`)."""

    plain_path = "django.db.models.URLField"
    clean_value = staticmethod(web_address)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebAddressFormField, **kwargs})


class WebAddressesField(CleanedField, ArrayField):
    """A list of web addresses (WebAddressField), each an RFC 3986 URI."""

    plain_path = "django.contrib.postgres.fields.ArrayField"

    def __init__(self, *, max_length=500, **kwargs):
        kwargs.setdefault("base_field", WebAddressField(max_length=max_length))
        super().__init__(**kwargs)

    @staticmethod
    def clean_value(value):
        return [web_address(item) for item in value or []]
