"""“Kirim pengingat via WhatsApp”: a wa.me link with a prefilled Indonesian message to a centre's
managers who have a phone number. The portal sends nothing itself and calls no external API: the
reviewer's own WhatsApp opens with the text, and the reviewer decides."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.db.models import F
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from blkportal.core import links, months
from blkportal.core.phones import phone_or_none
from blkportal.registry import access
from blkportal.registry.models import Role

from .policy import month_label


def message(*, manager_name: str, centre, period: dt.date, sender) -> str:
    deadline = months.deadline_for(centre, period)
    url = links.absolute(reverse("reporting:report_open", args=[centre.pk, period.year, period.month]))
    return _(
        "Yth. %(name)s, kami mengingatkan bahwa laporan bulanan %(centre)s untuk %(month)s belum diajukan. "
        "Tenggatnya %(deadline)s %(zone)s. Mohon segera diisi dan diajukan melalui portal: %(url)s\n"
        "Terima kasih.\n%(sender)s"
    ) % {
        "name": manager_name,
        "centre": centre.name,
        "month": month_label(period),
        "deadline": date_format(deadline, "j F Y H:i"),
        "zone": centre.province.get_timezone_display(),
        "url": url,
        "sender": sender.display_name,
    }


def wa_url(phone: str, text: str) -> str:
    """https://wa.me/<digits>?text=<url-encoded text> (wa.me takes the number without "+")."""
    return f"https://wa.me/{phone.lstrip('+')}?text={quote(text, safe='')}"


def reminder_links(*, centres, period: dt.date, sender) -> dict[int, list[dict]]:
    """{centre id: [{name, phone, url}]} for the managers of `centres` who have a usable number."""
    by_id = {c.pk: c for c in centres}
    result: dict[int, list[dict]] = {pk: [] for pk in by_id}
    if not by_id:
        return result
    rows = (
        access.users_with_role(Role.MANAGER, centre_ids=by_id)
        .exclude(phone="")
        # Reuses the join of the role filter: the centre each manager role is held on.
        .annotate(centre_id=F("role_assignments__centre_id"))
        .order_by("full_name", "username")
    )
    seen = set()
    for user in rows:
        phone = phone_or_none(user.phone)
        if phone is None or user.centre_id not in by_id or (user.centre_id, user.pk) in seen:
            continue
        seen.add((user.centre_id, user.pk))
        centre = by_id[user.centre_id]
        text = message(manager_name=user.display_name, centre=centre, period=period, sender=sender)
        result[centre.pk].append({"name": user.display_name, "phone": phone, "url": wa_url(phone, text)})
    return result
