"""One error shape for every API failure.

Every error body has ``detail`` (a sentence in the caller's language) and ``code``; invalid input
additionally carries a list of messages under each offending field's name, as DRF does::

    {"detail": "请检查标出的字段。", "code": "invalid", "uscc": ["统一社会信用代码校验位不正确。"]}
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.exceptions import Conflict

logger = logging.getLogger("portal.api")


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class LockedOut(exceptions.APIException):
    """Too many wrong passwords for this user name (django-axes): 429 with Retry-After."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self, minutes: int):
        self.wait = minutes * 60  # DRF's handler turns ``wait`` into the Retry-After header
        super().__init__(
            ngettext(
                "Too many wrong passwords. The account is locked; try again in %(minutes)s minute.",
                "Too many wrong passwords. The account is locked; try again in %(minutes)s "
                "minutes.",
                minutes,
            )
            % {"minutes": minutes}
        )


def _as_drf(exc: Exception) -> Exception:
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return exceptions.ValidationError(detail)
    if isinstance(exc, Conflict):
        return ConflictError(exc.message)
    if isinstance(exc, PermissionDenied) and exc.args:
        return exceptions.PermissionDenied(exc.args[0])
    return exc


def exception_handler(exc: Exception, context: dict) -> Response:
    exc = _as_drf(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        if isinstance(exc, Http404):
            response = Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
        else:
            logger.exception("Unhandled API error", exc_info=exc)
            return Response(
                {
                    "detail": _("Something went wrong on our side. Try again later."),
                    "code": "error",
                },
                status=status.HTTP_500_INTERNAL_SERVER_ERROR,
            )
    response.data = error_body(exc, response)
    return response


def error_body(exc: Exception, response: Response) -> dict:
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        return {"detail": _("Check the fields marked below."), "code": "invalid", **fields}
    if isinstance(data, dict) and "detail" in data:
        detail = data["detail"]
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        return {"detail": str(detail), "code": code}
    return {"detail": str(data), "code": getattr(exc, "default_code", "error")}
