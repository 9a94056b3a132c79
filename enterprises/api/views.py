import keyword

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises import selectors, services
from enterprises.actions import APPEAL_ACTIONS
from enterprises.api.serializers import (
    ApiErrorSerializer,
    AppealCategorySerializer,
    AppealCreateSerializer,
    AppealDetailSerializer,
    AppealListSerializer,
    RegisteredSerializer,
    RegisterSerializer,
    api_action,
)
from enterprises.filters import AppealFilterSet
from enterprises.lifecycles import APPEAL
from enterprises.models import Appeal, AppealCategory, Membership
from portal.api.pagination import KeysFirstPagination
from portal.models import Role


class RegisterView(APIView):
    """An entrepreneur registers; the membership stays pending until a dispatcher verifies it."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=RegisterSerializer, responses={201: RegisteredSerializer})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.entrepreneur_register(**serializer.validated_data)
        return Response(
            {"username": user.username, "status": Membership.Status.PENDING},
            status=status.HTTP_201_CREATED,
        )


# --- the appeal loop ------------------------------------------------------------------------


CHECK_ORDER = (
    "Checked in this order: an appeal outside the caller's scope → 404; a role that cannot "
    "take this step → 403; a step the current status does not allow → 409; invalid input → 400 "
    "with messages per field. Answers with the updated appeal in the detail shape."
)


APPEAL_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The appeal's id."
)


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ApiErrorSerializer, description=description)


ERRORS = {
    400: _error("Invalid input: besides detail and code, a list of messages per bad field."),
    401: _error("Missing or invalid token."),
    403: _error("The caller's role cannot do this on this appeal."),
    404: _error("No such appeal in the caller's scope."),
    409: _error("Not possible in the appeal's current status."),
}


class AppealCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The categories an appeal can have, with their guidance and time limits (working days)."""

    serializer_class = AppealCategorySerializer
    pagination_class = None
    queryset = AppealCategory.objects.filter(is_active=True)


def _transition(name: str, summary: str):
    """``POST /appeals/{id}/<name>/``: one transition of the table, documented on its own."""
    path = api_action(name)
    request_serializer = APPEAL_ACTIONS[name].serializer

    def endpoint(self, request, pk=None):
        return self.perform_transition(request, name, request_serializer)

    # The class attribute's name: ``return`` is a keyword, so that one is ``return_``.
    endpoint.__name__ = f"{name}_" if keyword.iskeyword(name) else name
    endpoint = action(detail=True, methods=["post"], url_path=path, url_name=path)(endpoint)
    return extend_schema(
        operation_id=f"v1_appeals_{name}",
        summary=summary,
        description=CHECK_ORDER,
        parameters=[APPEAL_ID],
        request=request_serializer,
        responses={200: AppealDetailSerializer, **ERRORS},
    )(endpoint)


@extend_schema_view(
    list=extend_schema(
        summary="Appeals the caller may see, newest first",
        description="Paginated; filters as on the appeal list page.",
        responses={200: AppealListSerializer, **{k: ERRORS[k] for k in (400, 401)}},
    ),
    retrieve=extend_schema(
        summary="One appeal with its routing, files, timeline and the caller's next actions",
        description="`actions` lists the steps the caller can take now (path names below).",
        parameters=[APPEAL_ID],
        responses={200: AppealDetailSerializer, **{k: ERRORS[k] for k in (401, 404)}},
    ),
)
class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Appeals (企呼我应) in the caller's scope, and every step of the loop.

    A step is checked here in the order of CHECK_ORDER, then again by the service under the
    appeal's row lock (so of two people acting at once, the second gets a 409).
    """

    # The pages' filters: one FilterSet for pages, API and exports.
    filterset_class = AppealFilterSet
    pagination_class = KeysFirstPagination
    lookup_value_regex = r"[0-9]+"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.appeals_for(self.request.user)

    def paginate_queryset(self, queryset):
        self.paginator.size = selectors.tallied_size(
            self.request.user, self.request.query_params, AppealFilterSet.base_filters
        )
        return super().paginate_queryset(queryset)

    def get_serializer_class(self):
        return AppealListSerializer if self.action == "list" else AppealDetailSerializer

    def get_object(self) -> Appeal:
        return selectors.appeal_for(self.request.user, self.kwargs["pk"])

    def detail_response(self, appeal: Appeal, status_code: int = status.HTTP_200_OK, **kwargs):
        data = AppealDetailSerializer(appeal, context=self.get_serializer_context()).data
        return Response(data, status=status_code, **kwargs)

    @extend_schema(
        summary="Submit an appeal (dispatchers also record hotline, visit and session ones)",
        description="JSON, or multipart with repeated `files` parts. Answers 201 with the "
        "appeal in the detail shape, status `submitted`.",
        request=AppealCreateSerializer,
        responses={201: AppealDetailSerializer, **{k: ERRORS[k] for k in (400, 401, 403)}},
    )
    def create(self, request):
        if not request.user.has_role(Role.ENTREPRENEUR, Role.DISPATCHER, Role.ADMIN):
            raise PermissionDenied(_("Only entrepreneurs and dispatchers record appeals."))
        serializer = AppealCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The service's own appeal: it holds what was written, with its enterprise, category
        # and submitter (re-reading it through the scope's joins cost more than the writes).
        appeal = services.appeal_submit(actor=request.user, **serializer.validated_data)
        location = reverse("api:appeal-detail", args=[appeal.pk])
        return self.detail_response(appeal, status.HTTP_201_CREATED, headers={"Location": location})

    def perform_transition(self, request, name: str, request_serializer):
        appeal = self.get_object()
        APPEAL.check(appeal, request.user, name)
        arguments = {}
        if request_serializer is not None:
            serializer = request_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            arguments = serializer.validated_data
        appeal = APPEAL_ACTIONS.run(name, appeal, request.user, **arguments)
        # The updated row as the service left it: after ``return`` the department no longer
        # sees the appeal, but its answer still shows what it did.
        return self.detail_response(appeal)

    accept = _transition("accept", "Accept a submitted appeal (dispatcher)")
    reject = _transition("reject", "Reject a submitted appeal (dispatcher)")
    merge = _transition("merge", "Close a repeat as merged into an earlier appeal (dispatcher)")
    link = _transition("link", "Link a related appeal (dispatcher)")
    assign = _transition(
        "assign",
        "Route to a lead department and co-handling ones, with a deadline (dispatcher)",
    )
    sign = _transition("sign", "Sign for the appeal (lead department)")
    return_ = _transition("return", "Send a misrouted appeal back to the dispatcher")
    request_info = _transition("request_info", "Ask the enterprise for information (clock stops)")
    provide_info = _transition("provide_info", "Answer the question (enterprise; clock restarts)")
    submit_part = _transition("submit_part", "Submit a co-handling department's part")
    reply = _transition("reply", "Reply to the enterprise (lead department)")
    rate = _transition("rate", "Rate the reply (enterprise; dissatisfied sends it back)")
    extend = _transition("extend", "Ask for a later deadline (lead department)")
    approve_extension = _transition("approve_extension", "Approve the pending extension")
    decline_extension = _transition("decline_extension", "Decline the pending extension")
    supervise = _transition("supervise", "Supervise the appeal (leader)")
    callback = _transition("callback", "Record a call-back to the enterprise (dispatcher)")
