"""Small helpers shared by the reporting pages."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_back(request, default: str) -> str:
    """The `back` address from the query or form when it is a local path, else `default`."""
    back = request.POST.get("back") or request.GET.get("back") or ""
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return default


def form_error(form, exc) -> None:
    """Put a DomainError beside its field when the form has it, else on top of the form."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def flat_errors(form) -> list[str]:
    """Every error message of a bound form, flat (for a one-line flash message)."""
    return [str(e) for errors in form.errors.values() for e in errors]


def parse_period(year, month):
    import datetime as dt

    try:
        year, month = int(year), int(month)
        if not (2000 <= year <= 2100):
            return None
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return None
