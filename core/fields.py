"""Model fields that every app may use."""

import re

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


class SingleLineCharField(models.CharField):
    """A CharField whose value is cleaned of control characters (`single_line`) whenever the
    model is validated (forms, the admin) or saved (services, the shell).

    It changes nothing in the database, so it deconstructs as a plain CharField: swapping it in
    needs no migration, and migrations keep naming Django's own field.
    """

    def to_python(self, value):
        return single_line(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = single_line(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
