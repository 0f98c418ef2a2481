"""View helpers shared by every app: pagination and turning a DomainError into a form error."""

from django.core.paginator import Paginator

from blkportal.core.errors import DomainError

PAGE_SIZE = 25


def paginate(request, qs, per_page=PAGE_SIZE):
    """A page of `qs` for ?page=; a bad page number shows the nearest real page, never a 500."""
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def form_error_from(form, exc: DomainError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
