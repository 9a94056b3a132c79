"""Paging big querysets: the page's keys first, then those rows with their joins."""

from django.core.paginator import Paginator
from django.db.models import QuerySet


class KeysFirstPaginator(Paginator):
    """Django's paginator, but a page is read in two short queries instead of one long one.

    The first reads only the primary keys of the page (filters, order, ``LIMIT``/``OFFSET``):
    PostgreSQL can answer it from a covering index without visiting the table, and it sorts
    the candidates before any join. The second reads those rows by primary key with the
    queryset's joins and prefetches, and they keep the first query's order. One query more
    than Django's paginator, the same number whatever the page size.
    """

    def page(self, number):
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self._rows(keys)} if keys else {}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)

    def _rows(self, keys: list) -> QuerySet:
        """The rows of ``keys`` with the queryset's joins, deferred fields and prefetches.

        Read by primary key alone: the keys come from the filtered query just run, and
        filters such as a department's scope would cost more than the 50 rows. A queryset
        with annotations keeps its filters, which its annotations may need.
        """
        queryset = self.object_list
        if queryset.query.annotations:
            return queryset.order_by().filter(pk__in=keys)
        rows = queryset.model._base_manager.using(queryset.db).filter(pk__in=keys)
        rows.query.select_related = queryset.query.select_related
        rows.query.deferred_loading = queryset.query.deferred_loading
        return rows.prefetch_related(*queryset._prefetch_related_lookups)
