"""What events' forms are sent in tests: the practitioners' form and the admin's change form."""

import datetime as dt
import zoneinfo

from django.utils import timezone

from core.tests.admin_forms import admin_form_data as profile_form_data


def in_a_month() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


def form_data(**overrides) -> dict:
    day = in_a_month()
    data = {
        "title": "Open data breakfast",
        "short_description": "Coffee and open data.",
        "description": "<p>Bring a laptop.</p><script>alert(1)</script>",
        "start_date": day.isoformat(),
        "start_time": "18:00",
        "end_date": "",
        "end_time": "20:30",
        "time_zone": "Europe/Lisbon",
        "repeat": "",
        "repeat_until": "",
        "recurrence": "",
        "attendance": "in_person",
        "venue": "Biblioteca",
        "address": "Rua Augusta 1",
        "city": "Lisboa",
        "country": "",
        "link": "example.org/breakfast",
        "price_note": "",
        "organiser": "",
        "organiser_name": "Open Knowledge PT",
        "tags_text": "open data, breakfast",
        "fax_number": "",
        **overrides,
    }
    return {key: value for key, value in data.items() if value is not None}


def admin_form_data(response) -> dict:
    """The change form's POST data, with its times split into date and time in the event's
    own zone, as the form shows them."""
    data = profile_form_data(response)
    form = response.context["adminform"].form
    zone = zoneinfo.ZoneInfo(form["time_zone"].value())
    for name in ("starts_at", "ends_at"):
        data.pop(name, None)
        local = timezone.localtime(form.initial[name], zone)
        data[f"{name}_0"] = local.date().isoformat()
        data[f"{name}_1"] = local.strftime("%H:%M:%S")
    return data
