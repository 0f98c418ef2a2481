"""One error shape for the whole API: ``{"code": ..., "message": ..., "errors": {field: [...]}}``.

Messages follow the request's language (Indonesian by default, English with ``Accept-Language: en``;
see blkportal.middleware). Every refusal is a 4xx with a machine-readable code; nothing here ever
turns bad input into a 500.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from blkportal.core.errors import DomainError

logger = logging.getLogger(__name__)

NON_FIELD = "non_field_errors"
NOT_FOUND_CODES = frozenset({"not_found", "forbidden", "missing"})
# DomainError codes that mean "the thing changed under you / is in the wrong state" rather than
# "what you sent is wrong".
CONFLICT_CODES = frozenset(
    {"conflict", "stale", "version", "version_conflict", "transition", "invalid_transition", "state", "locked"}
)


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("Isi permintaan terlalu besar.")
    default_code = "payload_too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Data berubah atau bentrok dengan data lain. Muat ulang lalu coba lagi.")
    default_code = "conflict"


class DomainRefusal(exceptions.APIException):
    """A DomainError from a service, carried through DRF's handler."""

    def __init__(self, error: DomainError):
        self.error = error
        code = error.code or "invalid"
        self.status_code = status.HTTP_409_CONFLICT if code in CONFLICT_CODES else status.HTTP_400_BAD_REQUEST
        if code in NOT_FOUND_CODES:
            # A service re-checking scope refuses what the view should already have hidden: as on
            # the pages, forbidden and missing look the same.
            self.status_code = status.HTTP_404_NOT_FOUND
        if code == "forbidden":
            super().__init__(detail=exceptions.NotFound.default_detail, code="not_found")
            return
        super().__init__(detail=error.message, code=code)


GENERIC = {
    "invalid": _("Data yang dikirim tidak valid. Periksa bidang yang disebutkan."),
    "not_found": _("Data tidak ditemukan."),
    "server_error": _("Terjadi kesalahan pada server."),
}


def _flatten(detail) -> dict[str, list[str]]:
    """DRF's nested error detail -> {"field": [...], "items[0].name": [...], "non_field_errors": [...]}."""
    out: dict[str, list[str]] = {}

    def walk(node, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                key = str(key)
                if key in (NON_FIELD, "__all__"):
                    walk(value, path)
                else:
                    walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, (dict, list)):
                    walk(item, f"{path}[{index}]")
                else:
                    walk(item, path)
        else:
            out.setdefault(path or NON_FIELD, []).append(str(node))

    walk(detail, "")
    return out


def _domain_errors(error: DomainError) -> dict[str, list[str]]:
    """A DomainError's field message, or its list of issues (e.g. every failed rule of a report)."""
    issues = getattr(error, "issues", None)
    if issues:
        errors: dict[str, list[str]] = {}
        for issue in issues:
            field = issue.get("field") if isinstance(issue, dict) else getattr(issue, "field", None)
            message = issue.get("message") if isinstance(issue, dict) else getattr(issue, "message", issue)
            errors.setdefault(field or NON_FIELD, []).append(str(message))
        return errors
    return {error.field: [error.message]} if error.field else {}


def _convert(exc):
    """Map Django and domain exceptions onto DRF's, so one handler shapes them all."""
    if isinstance(exc, DomainError):
        return DomainRefusal(exc)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.NotFound()  # forbidden looks like missing, as on the pages
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        return exceptions.ValidationError(detail)
    if isinstance(exc, IntegrityError):
        # A constraint caught what validation did not (usually two requests racing): not the client's
        # fault in a way it could have checked, but not a server crash either.
        logger.warning("IntegrityError answered as 409: %s", exc)
        return Conflict()
    return exc


def exception_handler(exc, context):
    exc = _convert(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django log it and answer 500
    if isinstance(exc, exceptions.ValidationError):
        code, message, errors = "invalid", GENERIC["invalid"], _flatten(exc.detail)
    else:
        detail = exc.detail
        code = getattr(detail, "code", None) or exc.default_code
        if isinstance(detail, (dict, list)):
            errors = _flatten(detail)
            message = next(iter(next(iter(errors.values()), [])), GENERIC["invalid"])
        else:
            errors, message = {}, str(detail)
        if isinstance(exc, DomainRefusal):
            errors = _domain_errors(exc.error)
    response.data = {"code": str(code), "message": str(message), "errors": errors}
    return response
