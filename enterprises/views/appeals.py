"""Pages of the appeal loop for every role."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


appeal_list = appeal_new = appeal_inbox = extension_list = deadline_preview = _todo
category_guidance = appeal_detail = attachment_download = appeal_action = _todo
