from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from portal.paginator import KeysFirstPaginator


class PortalPagination(PageNumberPagination):
    """``{"count","next","previous","results"}`` pages; ``page_size`` may be asked for, up to 100.

    A ``page_size`` that is not a whole number of at least 1 is a 400 (DRF would quietly use the
    default); more than 100 gives 100. An empty one means "not given", as HTML forms send it.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give the page size as a whole number of at least 1.")
                    ]
                }
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters


class KeysFirstPagination(PortalPagination):
    """The same pages, read keys first (``portal.paginator``): for lists of 10^6 rows.

    A view that knows the list's length without counting it (a tally) sets ``size``.
    """

    size: int | None = None

    def django_paginator_class(self, object_list, per_page):
        paginator = KeysFirstPaginator(object_list, per_page)
        if self.size is not None:
            paginator.count = self.size
        return paginator
