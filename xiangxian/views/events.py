"""Pages of events (会务): the staff's list, an event with its counts, invitations and programme,
creating and editing, the programme, inviting, check-in — and the invitee's private page
(answer, itinerary, QR code for check-in), reached by its unguessable link without signing in."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.exceptions import Conflict
from portal.forms import copy_errors
from portal.paginator import KeysFirstPaginator
from xiangxian import selectors, services
from xiangxian.forms.events import (
    CheckInForm,
    EventForm,
    InviteForm,
    ItineraryForm,
    ProgrammeItemForm,
)
from xiangxian.models import Invitation, InvitationStatus, ProgrammeItem, Xiangxian
from xiangxian.services.invitations import invitation_for_token

PAGE_SIZE = 20
INVITATIONS_PAGE_SIZE = 50
# The most people one screening invites at once.
SCREENED_LIMIT = 5000


def _require_registry(request: HttpRequest) -> None:
    if not selectors.can_see_registry(request.user):
        raise PermissionDenied


def _require_editor(request: HttpRequest) -> None:
    # Events are the city office's: county staff read them.
    if not selectors.can_edit_city_records(request.user):
        raise PermissionDenied


# --- staff pages ------------------------------------------------------------------------------


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    _require_registry(request)
    page = KeysFirstPaginator(
        selectors.with_counts(selectors.events_for(request.user)), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "xiangxian/events/list.html",
        {"page": page, "can_edit": selectors.can_edit_city_records(request.user)},
    )


@login_required
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for(request.user, pk)
    invitations = KeysFirstPaginator(
        selectors.invitations_of(event), INVITATIONS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "xiangxian/events/detail.html",
        {
            "event": event,
            "counts": selectors.event_counts(event),
            "page": invitations,
            "programme": selectors.programme_of(event),
            "can_edit": selectors.can_edit_city_records(request.user),
        },
    )


def _event_form_page(request, form, *, event=None, status=200) -> HttpResponse:
    return render(
        request, "xiangxian/events/form.html", {"form": form, "event": event}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    if request.method == "GET":
        return _event_form_page(request, EventForm())
    form = EventForm(request.POST)
    if not form.is_valid():
        return _event_form_page(request, form, status=400)
    try:
        event = services.event_create(actor=request.user, data=form.service_data())
    except ValidationError as exc:
        copy_errors(form, exc)
        return _event_form_page(request, form, status=400)
    messages.success(request, _("The event “%(title)s” is created.") % {"title": event.title})
    return redirect("xiangxian:event-detail", pk=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    event = selectors.event_for(request.user, pk)
    if request.method == "GET":
        initial = {name: getattr(event, name) for name in services.events.EVENT_FIELDS}
        initial["version"] = event.version
        return _event_form_page(request, EventForm(initial=initial), event=event)
    form = EventForm(request.POST)
    if not form.is_valid():
        return _event_form_page(request, form, event=event, status=400)
    try:
        event = services.event_update(
            event=event,
            actor=request.user,
            data=form.service_data(),
            version=form.cleaned_data["version"] or 0,
        )
    except Conflict as exc:
        form.add_error(None, exc.message)
        return _event_form_page(request, form, event=event, status=409)
    except ValidationError as exc:
        copy_errors(form, exc)
        return _event_form_page(request, form, event=event, status=400)
    messages.success(request, _("The event is saved."))
    return redirect("xiangxian:event-detail", pk=event.pk)


def _item_form_page(request, form, *, event, item=None, status=200) -> HttpResponse:
    return render(
        request,
        "xiangxian/events/item_form.html",
        {"form": form, "event": event, "item": item},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    event = selectors.event_for(request.user, pk)
    if request.method == "GET":
        initial = {"starts_at": event.starts_at, "ends_at": event.starts_at}
        return _item_form_page(
            request, ProgrammeItemForm(initial=initial, event=event), event=event
        )
    form = ProgrammeItemForm(request.POST, event=event)
    if not form.is_valid():
        return _item_form_page(request, form, event=event, status=400)
    try:
        services.programme_item_add(
            event=event,
            actor=request.user,
            data=form.service_data(),
            audience=[i.pk for i in form.cleaned_data["audience"]],
        )
    except ValidationError as exc:
        copy_errors(form, exc)
        return _item_form_page(request, form, event=event, status=400)
    messages.success(request, _("The programme item is added."))
    return redirect("xiangxian:event-detail", pk=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    item = get_object_or_404(
        ProgrammeItem.objects.filter(event__in=selectors.events_for(request.user)), pk=pk
    )
    event = item.event
    if request.method == "GET":
        initial = {name: getattr(item, name) for name in services.events.ITEM_FIELDS}
        initial.update(version=item.version, audience=list(item.audience.all()))
        return _item_form_page(
            request, ProgrammeItemForm(initial=initial, event=event), event=event, item=item
        )
    form = ProgrammeItemForm(request.POST, event=event)
    if not form.is_valid():
        return _item_form_page(request, form, event=event, item=item, status=400)
    try:
        change = services.programme_item_update(
            item=item,
            actor=request.user,
            data=form.service_data(),
            version=form.cleaned_data["version"] or 0,
            audience=[i.pk for i in form.cleaned_data["audience"]],
        )
    except Conflict as exc:
        form.add_error(None, exc.message)
        return _item_form_page(request, form, event=event, item=item, status=409)
    except ValidationError as exc:
        copy_errors(form, exc)
        return _item_form_page(request, form, event=event, item=item, status=400)
    if change is None:
        messages.info(request, _("Nothing changed."))
    else:
        messages.success(
            request,
            _("The item is saved; everyone it concerns sees the change on their itinerary."),
        )
    return redirect("xiangxian:event-detail", pk=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def event_invite(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    event = selectors.event_for(request.user, pk)
    form = InviteForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        return render(
            request,
            "xiangxian/events/invite.html",
            {"form": form, "event": event},
            status=200 if request.method == "GET" else 400,
        )
    data = form.cleaned_data
    ids = list(data["ids"])
    if data["everyone_screened"]:
        screening = selectors.Screening(
            sector=data["sector"], q=data["q"].strip(), key=data["key"], away=data["away"] or None
        )
        ids += list(
            selectors.screen(request.user, screening).values_list("pk", flat=True)[:SCREENED_LIMIT]
        )
    # Only people this colleague may see (the registry's scope), never a typed foreign number.
    ids = list(
        Xiangxian.objects.visible_to(request.user)
        .filter(pk__in=set(ids))
        .values_list("pk", flat=True)
    )
    try:
        sent = services.invitations_send(
            event=event, actor=request.user, xiangxian_ids=ids, guests=data["guests"]
        )
    except ValidationError as exc:
        copy_errors(form, exc)
        return render(
            request, "xiangxian/events/invite.html", {"form": form, "event": event}, status=400
        )
    messages.success(
        request,
        _(
            "%(created)d invitations sent (%(told)d told by notification or text message); "
            "%(already)d people were invited already."
        )
        % {"created": len(sent.created), "told": sent.notified, "already": sent.already},
    )
    return redirect("xiangxian:event-detail", pk=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def event_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The door: staff scan an invitee's QR code (it opens this page with the code filled in)
    and confirm, or type the code."""
    _require_editor(request)
    event = selectors.event_for(request.user, pk)
    done = None
    if request.method == "GET":
        form = CheckInForm(initial={"token": request.GET.get("token", "")[:100]})
    else:
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                done = services.invitation_check_in(
                    event=event, token=form.cleaned_data["token"], actor=request.user
                )
            except ValidationError as exc:
                copy_errors(form, exc)
            else:
                form = CheckInForm()
    return render(
        request,
        "xiangxian/events/check_in.html",
        {
            "form": form,
            "event": event,
            "done": done,
            "counts": selectors.event_counts(event),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_itinerary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    invitation = get_object_or_404(
        Invitation.objects.filter(event__in=selectors.events_for(request.user)).select_related(
            "event", "xiangxian"
        ),
        pk=pk,
    )
    if request.method == "GET":
        form = ItineraryForm(
            initial={name: getattr(invitation, name) for name in ("hotel", "transport", "seat")}
        )
    else:
        form = ItineraryForm(request.POST)
        if form.is_valid():
            try:
                services.invitation_itinerary_update(
                    invitation=invitation, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                copy_errors(form, exc)
            else:
                messages.success(request, _("The itinerary is saved."))
                return redirect("xiangxian:event-detail", pk=invitation.event_id)
    return render(
        request,
        "xiangxian/events/itinerary_form.html",
        {"form": form, "invitation": invitation, "event": invitation.event},
        status=400 if form.errors else 200,
    )


# --- the invitee's private page (no sign-in) -------------------------------------------------


def _invitation_or_404(token: str) -> Invitation:
    invitation = invitation_for_token(token)
    if invitation is None:
        raise Http404
    return invitation


def _qr_svg(text: str) -> str:
    # segno draws the SVG itself: paths only, the text is encoded as modules, never echoed.
    return mark_safe(segno.make(text, error="m").svg_inline(scale=4, border=2))


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's private page: the event, the answer buttons, and once accepted the
    itinerary with the QR code of its check-in link. Only this invitation's data is shown."""
    invitation = _invitation_or_404(token)
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer in ("accept", "decline"):
            try:
                invitation = services.invitation_answer(token=token, accept=answer == "accept")
            except Conflict as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _answered_message(invitation))
            return redirect("xiangxian:invitation", token=token)
        return _private_page(
            request, invitation, error=_("Choose to accept or to decline."), status=400
        )
    return _private_page(request, invitation)


def _private_page(request, invitation: Invitation, *, error: str = "", status: int = 200):
    items, own_changes = selectors.itinerary_of(invitation)
    accepted = invitation.status == InvitationStatus.ACCEPTED
    check_in_url = request.build_absolute_uri(
        reverse("xiangxian:event-check-in", kwargs={"pk": invitation.event_id})
        + f"?token={invitation.token}"
    )
    return render(
        request,
        "xiangxian/events/private.html",
        {
            "invitation": invitation,
            "event": invitation.event,
            "items": items,
            "own_changes": own_changes,
            "accepted": accepted,
            "qr": _qr_svg(check_in_url) if accepted else "",
            "error": error,
        },
        status=status,
    )


def _answered_message(invitation: Invitation) -> str:
    if invitation.status == InvitationStatus.ACCEPTED:
        return _("Thank you: your place is confirmed.")
    if invitation.status == InvitationStatus.WAITLISTED:
        return _(
            "The event is full: you are number %(n)d on the waitlist and will be told when a "
            "place is free."
        ) % {"n": invitation.waitlist_position}
    return _("Thank you for letting us know that you cannot come.")


@require_POST
def invitation_reminders(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee turns reminders off (or on again) on their private page."""
    invitation = _invitation_or_404(token)
    choice = request.POST.get("opted_out")
    if choice not in ("0", "1"):
        return _private_page(
            request, invitation, error=_("Choose whether you want reminders."), status=400
        )
    services.invitation_opt_out(token=token, opted_out=choice == "1")
    messages.success(request, _("Your choice about reminders is saved."))
    return redirect("xiangxian:invitation", token=token)
