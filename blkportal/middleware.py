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
