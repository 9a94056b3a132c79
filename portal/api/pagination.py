from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    """``{"count","next","previous","results"}`` pages; ``page_size`` may be asked for, up to 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
