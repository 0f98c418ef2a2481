"""Project-level pages: the home page per role (assembled from the apps' panels), error pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from blkportal.core.contributions import HOME, collect
from blkportal.registry import access


@login_required
def home(request):
    return render(
        request,
        "home.html",
        {"panels": collect(HOME, request), "roles": sorted(access.roles_of(request.user))},
    )


def health(request):
    """Health for the load balancer and the operator: database, migrations, Redis and the facts'
    freshness (age of the last refresh, tasks waiting in the outbox). 503 when one is wrong."""
    from django.http import JsonResponse

    from blkportal.core.deploy import health as check

    ok, checks = check()
    return JsonResponse({"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503)


def error_400(request, exception=None):
    from django.utils.translation import gettext as _

    from blkportal.middleware import api_error, is_api

    if is_api(request):
        return api_error(400, "invalid", _("Permintaan tidak valid."))
    return render(request, "400.html", status=400)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    """The last resort. API clients get JSON in the API's error shape; pages a plain page with no
    template logic (the failure may be in the templates or the database)."""
    from django.utils.translation import gettext as _

    from blkportal.middleware import api_error, is_api

    if is_api(request):
        return api_error(500, "server_error", _("Terjadi kesalahan pada server."))
    return render(request, "500.html", status=500)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)
