"""Forms of the dialogue session pages. They collect and pre-check input; the rules live in
``enterprises.services.sessions``, whose ``ValidationError`` keys are these forms' field names."""

from django import forms
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from enterprises.forms.appeals import MultipleFileField
from enterprises.forms.directory import EnterprisePickerField
from enterprises.models import (
    AppealCategory,
    DialogueSession,
    Enterprise,
    InvitationAnswer,
    Membership,
)
from enterprises.selectors.sessions import leaders
from enterprises.services.sessions import (
    AGENDA_MAX,
    INSTRUCTION_MAX,
    MINUTES_MAX,
    THEME_MAX,
    VENUE_MAX,
)
from portal.models import Role, User


class SessionForm(forms.Form):
    """Plan a session, or change a planned or held one."""

    number = forms.IntegerField(label=_("Number (第N期)"), min_value=1, max_value=2**31 - 1)
    theme = forms.CharField(label=_("Theme"), max_length=THEME_MAX)
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Starts at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    venue = forms.CharField(label=_("Venue"), max_length=VENUE_MAX)
    hosts = forms.ModelMultipleChoiceField(
        label=_("Host leaders"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        max_length=AGENDA_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, session: DialogueSession | None = None, **kwargs):
        if session is not None:
            kwargs.setdefault(
                "initial",
                {
                    "number": session.number,
                    "theme": session.theme,
                    "held_on": session.held_on,
                    "start_time": session.start_time,
                    "venue": session.venue,
                    "hosts": list(session.hosts.all()),
                    "agenda": session.agenda,
                },
            )
        else:
            last = DialogueSession.objects.aggregate(last=Max("number"))["last"] or 0
            kwargs.setdefault("initial", {"number": last + 1})
        super().__init__(*args, **kwargs)
        self.fields["hosts"].queryset = leaders()
        self.fields["hosts"].label_from_instance = lambda user: user.display_name

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["hosts"] = list(data["hosts"])
        return data


def verified_members(enterprise: Enterprise):
    """The people who can be invited for ``enterprise``: its active, verified entrepreneurs."""
    return (
        User.objects.filter(
            is_active=True,
            role=Role.ENTREPRENEUR,
            memberships__enterprise=enterprise,
            memberships__status=Membership.Status.VERIFIED,
        )
        .order_by("name", "id")
        .distinct()
    )


class InviteForm(forms.Form):
    """Invite an enterprise's verified member: pick the enterprise by searching; when it has
    several members the form comes back asking which one."""

    enterprise = EnterprisePickerField(
        label=_("Enterprise"),
        help_text=_("Type part of the name or the credit code, then pick one."),
    )
    user = forms.ModelChoiceField(
        label=_("Member to invite"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— choose —"),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user)
        self.fields["user"].label_from_instance = lambda member: member.display_name
        self.show_members = False
        if self.is_bound:
            # The members to choose from are those of the enterprise being submitted.
            raw = str(self.data.get(self.add_prefix("enterprise")) or "").strip()
            if raw.isdigit() and 0 < int(raw) < 2**63:
                enterprise = self.fields["enterprise"].queryset.filter(pk=int(raw)).first()
                if enterprise is not None:
                    self.fields["user"].queryset = verified_members(enterprise)

    def clean(self):
        cleaned = super().clean()
        enterprise = cleaned.get("enterprise")
        if enterprise is None:
            return cleaned
        members = list(verified_members(enterprise))
        if not members:
            self.add_error("enterprise", _("This enterprise has no verified member to invite."))
        elif cleaned.get("user") is None:
            if len(members) == 1:
                cleaned["user"] = members[0]
            else:
                self.show_members = True
                self.add_error("user", _("This enterprise has several members: choose one."))
        return cleaned

    def service_kwargs(self) -> dict:
        return {"enterprise": self.cleaned_data["enterprise"], "user": self.cleaned_data["user"]}


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (InvitationAnswer.ACCEPTED, InvitationAnswer.ACCEPTED.label),
            (InvitationAnswer.DECLINED, InvitationAnswer.DECLINED.label),
        ],
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ExpertForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    organisation = forms.CharField(label=_("Organisation"), max_length=100, required=False)
    field = forms.CharField(label=_("Field"), max_length=100, required=False)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), max_length=MINUTES_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )


class NeedForm(forms.Form):
    """A need raised by an invited enterprise at the session, with the host's instruction."""

    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=Enterprise.objects.none(), empty_label=_("— choose —")
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=AppealCategory.objects.filter(is_active=True),
        empty_label=_("— choose —"),
    )
    title = forms.CharField(label=_("Title"), max_length=100)
    content = forms.CharField(
        label=_("The need as raised"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    leader = forms.ModelChoiceField(
        label=_("Instruction given by"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— choose —"),
    )
    instruction = forms.CharField(
        label=_("Instruction (交办意见)"),
        max_length=INSTRUCTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the host leader asked to be done, as said at the session."),
    )
    files = MultipleFileField()

    def __init__(self, *args, session: DialogueSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = (
            Enterprise.objects.filter(session_invitations__session=session)
            .distinct()
            .order_by("name")
        )
        hosts = session.hosts.order_by("name", "id")
        self.fields["leader"].queryset = hosts
        self.fields["leader"].label_from_instance = lambda user: user.display_name
        self.fields["leader"].required = hosts.exists()

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)
