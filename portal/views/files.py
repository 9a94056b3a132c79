"""Files attached to any record (``portal.models.Attachment``): the download, scoped by the record."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from portal.files import file_response
from portal.models import Attachment


def target_visible(user, content_type, object_id: str) -> bool:
    """Whether ``user`` may see the record: its model's ``visible_to(user)`` decides. A model
    without that scoping shows its files to nobody (deny by default)."""
    model = content_type.model_class()
    visible_to = getattr(model._default_manager, "visible_to", None) if model else None
    if visible_to is None:
        return False
    try:
        return visible_to(user).filter(pk=object_id).exists()
    except (ValueError, TypeError, ValidationError):
        return False


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A file of a record the user may see; otherwise 404, as if the file did not exist."""
    attachment = get_object_or_404(Attachment.objects.select_related("target_type"), pk=pk)
    if not target_visible(request.user, attachment.target_type, attachment.target_id):
        raise Http404
    return file_response(attachment)
