"""JSON in, with clear refusals: malformed, too deep or too large bodies are 4xx, never 500."""

import codecs
import json

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json as drf_json

from .errors import PayloadTooLarge

# A monthly report with its batches is a few kilobytes; 1 MB leaves room and stops abuse early.
MAX_JSON_BYTES = 1024 * 1024


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context.get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        if length and str(length).isdigit() and int(length) > MAX_JSON_BYTES:
            raise PayloadTooLarge()
        raw = stream.read(MAX_JSON_BYTES + 1)
        if len(raw) > MAX_JSON_BYTES:
            raise PayloadTooLarge()
        encoding = parser_context.get("encoding") or "utf-8"
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(_("Isi permintaan bukan teks UTF-8 yang valid.")) from None
        try:
            return json.loads(text, parse_constant=drf_json.strict_constant)
        except json.JSONDecodeError as exc:
            raise ParseError(
                _("JSON tidak valid (baris %(line)d, kolom %(col)d): %(msg)s")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ) from None
        except ValueError:  # NaN / Infinity, which JSON does not have
            raise ParseError(_("JSON tidak valid: NaN dan Infinity tidak diperbolehkan.")) from None
        except RecursionError:
            raise ParseError(_("JSON terlalu dalam bersarang.")) from None
