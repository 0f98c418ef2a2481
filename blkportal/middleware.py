"""Language choice: Indonesian unless the user picked English.

Django's LocaleMiddleware would follow the browser's Accept-Language, and most phones in Indonesia
still send English; the portal is Indonesian first. Pages use the language cookie (set by the
footer switch) or Indonesian. The API honours Accept-Language, as integrations expect.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _ in settings.LANGUAGES}


class PortalLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if request.path.startswith("/api/"):
            header = translation.get_language_from_request(request, check_path=False)
            language = header if "HTTP_ACCEPT_LANGUAGE" in request.META else language
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        return response


def client_ip(request) -> str | None:
    """The client's address for lockouts and throttling.

    With PORTAL_TRUSTED_PROXY_COUNT = 0 only REMOTE_ADDR counts: X-Forwarded-For is whatever the
    client wrote. With N trusted proxies in front, each appends the address it saw, so the client is
    the N-th entry from the right; anything further left was written by the client and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.PORTAL_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote
    return addresses[-min(count, len(addresses))]


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def api_error(status: int, code: str, message: str):
    """A JSON answer in the API's one error shape (see blkportal.api.errors)."""
    from django.http import JsonResponse

    return JsonResponse({"code": code, "message": str(message), "errors": {}}, status=status)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


class RejectNulMiddleware:
    """A NUL byte (%00) in the path, the query or a form field is never valid input: PostgreSQL text
    cannot hold it, so it would fail deep in a query. Refuse it up front with 400, for every URL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = "\x00" in request.path_info or _has_nul(request.GET)
        if not bad and request.method == "POST" and request.content_type in FORM_TYPES:
            bad = _has_nul(request.POST)
        if bad:
            from django.shortcuts import render
            from django.utils.translation import gettext as _

            message = _("Permintaan memuat karakter NUL yang tidak diizinkan.")
            if is_api(request):
                return api_error(400, "invalid", message)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages for a signed-in user and every API answer carry personal data: no cache (browser back
    button on a shared computer, proxies) may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if is_api(request) or (user is not None and user.is_authenticated):
            from django.utils.cache import patch_cache_control

            patch_cache_control(response, no_store=True, private=True)
        return response
