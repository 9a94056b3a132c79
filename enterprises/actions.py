"""The actions a person takes on an appeal: for each, the service that does it, the form the
page shows and the serializer the API reads. Registered in the order the page offers them: the
step that moves the appeal on comes first (and is shown open), the ones that turn it aside after.
"""

from django.utils.translation import gettext_lazy as _

from enterprises import services
from enterprises.api import serializers
from enterprises.forms import appeals as forms
from enterprises.lifecycles import APPEAL
from portal.lifecycle import ActionRegistry

APPEAL_ACTIONS = ActionRegistry(APPEAL, subject="appeal")

APPEAL_ACTIONS.register_action(
    "accept",
    service=services.appeal_accept,
    form=forms.AcceptForm,
    serializer=serializers.NoteSerializer,
    done=_("Appeal %(number)s accepted; route it to a department next."),
)
APPEAL_ACTIONS.register_action(
    "assign",
    service=services.appeal_assign,
    form=forms.AssignForm,
    serializer=serializers.AssignSerializer,
    done=_("Appeal %(number)s assigned; the department has been notified."),
)
APPEAL_ACTIONS.register_action(
    "sign",
    service=services.appeal_sign,
    form=forms.SignForm,
    serializer=None,
    done=_("You signed for appeal %(number)s."),
)
APPEAL_ACTIONS.register_action(
    "reply",
    service=services.appeal_reply,
    form=forms.ReplyForm,
    serializer=serializers.ContentSerializer,
    done=_("The reply to %(number)s was sent to the enterprise."),
)
APPEAL_ACTIONS.register_action(
    "provide_info",
    service=services.appeal_provide_info,
    form=forms.ProvideInfoForm,
    serializer=serializers.ContentSerializer,
    done=_("Your answer on %(number)s was sent to the department."),
)
APPEAL_ACTIONS.register_action(
    "rate",
    service=services.appeal_rate,
    form=forms.RateForm,
    serializer=serializers.RateSerializer,
    done=_("Thank you: your rating of %(number)s was recorded."),
)
APPEAL_ACTIONS.register_action(
    "submit_part",
    service=services.appeal_submit_part,
    form=forms.SubmitPartForm,
    serializer=serializers.ContentSerializer,
    done=_("Your department's part of %(number)s was submitted."),
)
APPEAL_ACTIONS.register_action(
    "approve_extension",
    service=services.appeal_approve_extension,
    form=forms.ApproveExtensionForm,
    serializer=serializers.NoteSerializer,
    done=_("The extension of %(number)s was approved."),
)
APPEAL_ACTIONS.register_action(
    "decline_extension",
    service=services.appeal_decline_extension,
    form=forms.DeclineExtensionForm,
    serializer=serializers.RequiredNoteSerializer,
    done=_("The extension of %(number)s was declined."),
)
APPEAL_ACTIONS.register_action(
    "supervise",
    service=services.appeal_supervise,
    form=forms.SuperviseForm,
    serializer=serializers.RequiredNoteSerializer,
    done=_("Appeal %(number)s is now under your supervision."),
)
APPEAL_ACTIONS.register_action(
    "request_info",
    service=services.appeal_request_info,
    form=forms.RequestInfoForm,
    serializer=serializers.QuestionSerializer,
    done=_("Your question on %(number)s was sent; the clock has stopped."),
)
APPEAL_ACTIONS.register_action(
    "extend",
    service=services.appeal_extend,
    form=forms.ExtendForm,
    serializer=serializers.ExtendSerializer,
    done=_("The extension request for %(number)s is waiting for a decision."),
)
APPEAL_ACTIONS.register_action(
    "return",
    service=services.appeal_return,
    form=forms.ReturnForm,
    serializer=serializers.ReasonSerializer,
    done=_("Appeal %(number)s returned to the dispatchers."),
)
APPEAL_ACTIONS.register_action(
    "reject",
    service=services.appeal_reject,
    form=forms.RejectForm,
    serializer=serializers.ReasonSerializer,
    done=_("Appeal %(number)s rejected; the enterprise has been told why."),
)
APPEAL_ACTIONS.register_action(
    "merge",
    service=services.appeal_merge,
    form=forms.MergeForm,
    serializer=serializers.MergeSerializer,
    done=_("Appeal %(number)s merged into the earlier appeal."),
)
APPEAL_ACTIONS.register_action(
    "link",
    service=services.appeal_link,
    form=forms.LinkForm,
    serializer=serializers.LinkSerializer,
    done=_("Appeal %(number)s linked."),
)
APPEAL_ACTIONS.register_action(
    "callback",
    service=services.appeal_callback,
    form=forms.CallbackForm,
    serializer=serializers.CallbackSerializer,
    done=_("The call-back on %(number)s was recorded."),
)
