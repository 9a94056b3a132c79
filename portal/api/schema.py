"""The OpenAPI description of the API (drf-spectacular), with the error answers every endpoint can
give documented in the one error shape of ``portal.api.errors``.

An endpoint's own ``extend_schema(responses=…)`` wins; what it leaves out is added here from
what the endpoint is: authenticated endpoints can answer 401 and 403 (a role, or a session without
its CSRF token), endpoints with an id in the path or a paginated list 404, and endpoints that take
a body or query parameters 400.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from portal.api.serializers import ApiErrorSerializer

ERRORS = {
    "400": "Invalid input: besides detail and code, a list of messages per bad field.",
    "401": "Missing or invalid token.",
    "403": "The caller's role may not do this (or a session without its CSRF token).",
    "404": "No such object in the caller's scope, or no such page of the list.",
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ApiErrorSerializer, description=ERRORS[code]), code
                )
        return responses

    def _error_codes(self) -> list[str]:
        codes = []
        takes_input = self.method in ("POST", "PUT", "PATCH") or any(
            parameter.get("in") == "query" for parameter in self._get_parameters()
        )
        if takes_input:
            codes.append("400")
        if getattr(self.view, "authentication_classes", None):
            codes += ["401", "403"]
        if "{" in self.path or self._is_paginated_list():
            codes.append("404")
        return codes

    def _is_paginated_list(self) -> bool:
        return self.method == "GET" and self._is_list_view() and self._get_paginator() is not None
