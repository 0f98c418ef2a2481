"""Dashboards: national (the user's scope), province, kab/kota, centre. Thin: scope, filters, selectors.

Each page runs a fixed number of queries whatever the data size (tests assert the bound). The body
of a page (everything below the navigation) is rendered once per facts version, scope, language and
query string and kept in the cache; any fact write changes the version (monitoring.facts), so a
cached body never outlives the data it shows.
"""

import hashlib
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from blkportal.core import dbrouting
from blkportal.core import months as clock
from blkportal.core.forms import compact
from blkportal.core.views import paginate
from blkportal.registry import access
from blkportal.registry.access import Perm, perm_required
from blkportal.registry.models import TimeZone

from .. import facts, indicators, selectors
from ..filters import FactFilter
from ..indicators import INCUBATOR, OUTCOMES, REPORTING, TRAINING

CENTRES_PER_PAGE = 25


def _page(request, view: str, title: str, build):
    """Render the dashboard shell around the (cached) body that `build()` -> (template, context) makes.
    The body's data is read from the read replica when there is one (blkportal.core.dbrouting); the
    object the URL names and the user's scope were read from the primary before."""
    seconds = selectors.cache_seconds()
    can_export = access.has_perm(request.user, Perm.EXPORT_DATA)
    key = version = None
    if seconds:
        scope = access.scope_for(request.user, Perm.VIEW_DASHBOARD)
        version = facts.version()
        raw = "|".join(
            [
                version,
                # The page's default month moves when a deadline passes, and its wording ("belum
                # melapor", days left) with the day: neither is in the query string.
                clock.today().isoformat(),
                selectors.latest_closed_month().isoformat(),
                view,
                get_language() or "",
                "n" if scope.national else ",".join(sorted(scope.province_codes)),
                "x" if can_export else "",
                ",".join(str(c) for c in sorted(scope.centre_ids)),
                request.path,
                "&".join(sorted(f"{k}={v}" for k, values in request.GET.lists() for v in values)),
            ]
        )
        key = "monitoring:page:" + hashlib.sha256(raw.encode()).hexdigest()
        body = cache.get(key)
        if body is not None:
            return render(request, "monitoring/dashboard_page.html", {"title": title, "body": body})

    def make_body():
        template, context = build()
        context["can_export"] = can_export
        return render_to_string(template, context, request=request)

    # From the read replica when there is one; a body kept under a facts version is built only from
    # a replica that already holds those facts (else from the primary).
    body = dbrouting.read_from_replica(make_body, request=request, at_least=facts.version_lsn(version) if key else None)
    if key:
        cache.set(key, body, seconds)
    return render(request, "monitoring/dashboard_page.html", {"title": title, "body": body})


def _filters(request):
    data = request.GET
    if not data.get("month"):
        # Show the month the page is about in the month field, not an empty one.
        data = data.copy()
        data["month"] = selectors.latest_closed_month().strftime("%Y-%m")
    filterset = FactFilter(data, queryset=selectors.facts_for(request.user))
    filterset.is_valid()
    compact(filterset.form)
    month = filterset.chosen_month or selectors.latest_closed_month()
    params = filterset.clean_params()
    params["month"] = month.strftime("%Y-%m")
    return filterset, month, params


def _qs(params, **extra):
    return urlencode({**params, **extra})


def _export_query(month, **scope) -> str:
    """Query string of the export page: monthly reports of the 12 months shown, for this level."""
    first = selectors.months_back(month, selectors.TREND_MONTHS)[0]
    return urlencode({"jenis": "reports", "dari": first.strftime("%Y-%m"), "sampai": month.strftime("%Y-%m"), **scope})


def _training(request, filterset, **where):
    """Per-kejuruan training facts of the chosen batch kejuruan (same scope, filters and `where`), or None."""
    training = filterset.training_qs(selectors.kejuruan_facts_for(request.user))
    return None if training is None else training.filter(**where)


def _tiles(figures, anchor, batch_kejuruan=None):
    """KPI tiles: each links one level down (the breakdown table of this page)."""
    training_title = (
        _("Pelatihan: angkatan kejuruan %(name)s") % {"name": batch_kejuruan.name} if batch_kejuruan else _("Pelatihan")
    )
    groups = [
        (_("Pelaporan"), REPORTING),
        (training_title, TRAINING),
        (_("Alumni dan kemandirian"), OUTCOMES),
        (_("Inkubator wirausaha"), INCUBATOR),
    ]
    return [
        {"title": title, "tiles": [{"figure": figures[code], "href": f"#{anchor}"} for code in codes]}
        for title, codes in groups
    ]


def _chart(trend, month_link):
    data = selectors.chart_series(trend, REPORTING + ["completion_rate", "placement_rate"])
    data["href"] = month_link
    return data


def _columns():
    return [indicators.get(code) for code in REPORTING + ["completion_rate", "placement_rate", "kemandirian_score"]]


def _bars(rows, name_field):
    code = "reporting_rate"
    figures = [r["figures"][code] for r in rows]
    return {
        "labels": [r[name_field] for r in rows],
        "series": [
            {
                "code": code,
                "label": str(indicators.get(code).label),
                "values": [None if f.value is None else float(f.value) for f in figures],
                "num": [f.numerator for f in figures],
                "den": [f.denominator for f in figures],
            }
        ],
        "links": [r.get("href") for r in rows],
        "height": 80 + 22 * len(rows),
    }


@login_required
def methodology(request):
    """Every indicator's formula, what counts, source, month and rounding, and the shared rules (the
    deadline rule among them), from monitoring.indicators: the same text as the exports and the API."""
    return render(
        request,
        "monitoring/methodology.html",
        {"rules": indicators.methodology_rules(), "rows": indicators.methodology_rows()},
    )


@perm_required(Perm.VIEW_DASHBOARD)
def dashboard(request):
    """National dashboard: the whole network for national users, their provinces for regional ones."""
    centre_id = selectors.single_centre(request.user)
    if centre_id is not None:
        url = reverse("monitoring:dashboard_centre", args=[centre_id])
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    scope = access.scope_for(request.user, Perm.VIEW_DASHBOARD)
    title = _("Dasbor nasional") if scope.national else _("Dasbor wilayah")

    def build():
        filterset, month, params = _filters(request)
        qs = filterset.qs
        training = _training(request, filterset)
        rows, total = selectors.breakdown(qs, month, "province_id", "province__name", training)
        trend = selectors.trend(qs, month, training=training)
        for row in rows:
            row["href"] = reverse("monitoring:dashboard_province", args=[row["province_id"]]) + "?" + _qs(params)
        return "monitoring/_dashboard_national.html", {
            "filter": filterset,
            "month": month,
            "params": params,
            "query": _qs(params),
            "national": scope.national,
            "total": total,
            "groups": _tiles(total["figures"], "tabel-provinsi", filterset.batch_kejuruan),
            "batch_kejuruan": filterset.batch_kejuruan,
            "rows": rows,
            "trend": trend,
            "chart": _chart(trend, reverse("monitoring:dashboard") + "?" + _qs(params, month="")),
            "bars": _bars(rows, "province__name"),
            "columns": _columns(),
            "export_query": _export_query(month),
        }

    return _page(request, "national", title, build)


@perm_required(Perm.VIEW_DASHBOARD)
def dashboard_province(request, code):
    """One province: its kab/kota and its centres."""
    province = selectors.province_or_404(request.user, code)

    def build():
        filterset, month, params = _filters(request)
        qs = filterset.qs.filter(province_id=province.code)
        training = _training(request, filterset, province_id=province.code)
        rows, total = selectors.breakdown(qs, month, "regency_id", "regency__name", training)
        for row in rows:
            row["href"] = reverse("monitoring:dashboard_regency", args=[row["regency_id"]]) + "?" + _qs(params)
        trend = selectors.trend(qs, month, training=training)
        base = reverse("monitoring:dashboard_province", args=[province.code])
        return "monitoring/_dashboard_province.html", {
            "filter": filterset,
            "month": month,
            "params": params,
            "query": _qs(params),
            "province": province,
            "total": total,
            "groups": _tiles(total["figures"], "tabel-kabupaten", filterset.batch_kejuruan),
            "batch_kejuruan": filterset.batch_kejuruan,
            "rows": rows,
            "trend": trend,
            "chart": _chart(trend, base + "?" + _qs(params, month="")),
            "bars": _bars(rows, "regency__name"),
            "columns": _columns(),
            "page": paginate(request, selectors.centre_rows(qs, month, filterset.batch_kejuruan), CENTRES_PER_PAGE),
            "export_query": _export_query(month, provinsi=province.code),
        }

    return _page(request, "province", province.name, build)


@perm_required(Perm.VIEW_DASHBOARD)
def dashboard_regency(request, code):
    """One kabupaten/kota: its centres."""
    regency = selectors.regency_or_404(request.user, code)

    def build():
        filterset, month, params = _filters(request)
        qs = filterset.qs.filter(regency_id=regency.code)
        training = _training(request, filterset, regency_id=regency.code)
        _rows, total = selectors.breakdown(qs, month, "regency_id", "regency__name", training)
        trend = selectors.trend(qs, month, training=training)
        base = reverse("monitoring:dashboard_regency", args=[regency.code])
        return "monitoring/_dashboard_regency.html", {
            "filter": filterset,
            "month": month,
            "params": params,
            "query": _qs(params),
            "regency": regency,
            "province": regency.province,
            "total": total,
            "groups": _tiles(total["figures"], "tabel-blk", filterset.batch_kejuruan),
            "batch_kejuruan": filterset.batch_kejuruan,
            "trend": trend,
            "chart": _chart(trend, base + "?" + _qs(params, month="")),
            "page": paginate(request, selectors.centre_rows(qs, month, filterset.batch_kejuruan), CENTRES_PER_PAGE),
            # The export has no kab/kota filter: offer the province the kab/kota belongs to.
            "export_query": _export_query(month, provinsi=regency.province_id),
        }

    return _page(request, "regency", regency.name, build)


@perm_required(Perm.VIEW_DASHBOARD)
def dashboard_centre(request, centre_id):
    """One centre's history (24 months ending the chosen month)."""
    centre = access.get_centre_or_404(request.user, Perm.VIEW_DASHBOARD, centre_id)

    def build():
        filterset, month, params = _filters(request)
        history = selectors.centre_history(centre, month)
        shown = history
        while len(shown) > 1 and shown[0].get("missing"):
            shown = shown[1:]  # months before the centre's first fact (activation, start of monitoring)
        scope = access.scope_for(request.user, Perm.VIEW_DASHBOARD)
        base = reverse("monitoring:dashboard_centre", args=[centre.pk])
        return "monitoring/_dashboard_centre.html", {
            "filter": filterset,
            "month": month,
            "params": params,
            "query": _qs(params),
            "centre": centre,
            "history": list(reversed(shown)),
            "current": history[-1],
            "year": selectors.total_of(history[-12:], REPORTING)["figures"],
            "chart": _chart(history[-12:], base + "?month="),
            "activity": _activity(history[-12:]),
            "can_see_province": scope.national or centre.province_id in scope.province_codes,
            "tz_label": TimeZone(centre.province.timezone).label,
            "export_query": _export_query(month, blk=centre.reg_code),
        }

    return _page(request, "centre", centre.name, build)


def _activity(rows):
    from django.utils.formats import date_format

    return {
        "labels": [date_format(r["month"], "M Y") for r in rows],
        "months": [r["month"].strftime("%Y-%m") for r in rows],
        "series": [
            {
                "code": "trainees_active",
                "label": _("Peserta angkatan berjalan"),
                "values": [r.get("trainees_active", 0) for r in rows],
            },
            {"code": "graduated", "label": _("Lulus"), "values": [r.get("graduated", 0) for r in rows]},
        ],
    }
