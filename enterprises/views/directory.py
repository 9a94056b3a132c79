"""The enterprise directory for staff: list, detail, search-as-you-type and Excel import."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


enterprise_list = enterprise_search = enterprise_import = enterprise_detail = _todo
