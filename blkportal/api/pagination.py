from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    """?page=N&page_size=M (M at most 200). Lists always have a stable order, so pages never overlap.

    A malformed page or page size is refused (400) rather than silently replaced by a default: a script
    that asks for page_size=-5 has a bug it should hear about."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        errors = {}
        page = request.query_params.get(self.page_query_param)
        if page is not None and not (page.isdigit() and int(page) >= 1) and page not in self.last_page_strings:
            errors[self.page_query_param] = [_("Nomor halaman harus bilangan bulat mulai 1.")]
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not (size.isdigit() and 1 <= int(size) <= self.max_page_size):
            errors[self.page_size_query_param] = [
                _("Ukuran halaman harus bilangan bulat 1–%(max)d.") % {"max": self.max_page_size}
            ]
        if errors:
            raise serializers.ValidationError(errors)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters
