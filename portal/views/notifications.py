"""The notification centre: the list behind the bell, marking read, and each person's channels."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import services
from portal.forms import NotificationPreferenceForm
from portal.models import Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.visible_to(request.user).select_related("target_type")
    if request.GET.get("unread") == "1":
        notifications = notifications.unread()
    page = Paginator(notifications, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/notifications.html",
        {"page": page, "only_unread": request.GET.get("unread") == "1"},
    )


@login_required
@require_POST
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (``id``) or all of them read, then go back to the list or its link.

    From htmx (the "mark read" button) it answers the item as it now reads and the bell."""
    if "id" not in request.POST:
        services.notifications_mark_read(user=request.user)
        return redirect("notification-list")
    try:
        notification_id = int(request.POST["id"])
    except ValueError:
        return redirect("notification-list")  # a malformed id marks nothing
    mine = Notification.objects.visible_to(request.user).select_related("target_type")
    notification = mine.filter(pk=notification_id).first()
    services.notifications_mark_read(user=request.user, ids=[notification_id])
    if notification and notification.url and request.POST.get("follow") == "1":
        return redirect(notification.url)
    if request.htmx and notification is not None:
        notification.refresh_from_db(fields=["read_at"])
        return render(request, "portal/_notification_marked.html", {"n": notification})
    return redirect("notification-list")


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own channels (there is no one else's to see: no id in the URL)."""
    user = request.user
    initial = services.notification_preferences_for(user) | {"email": user.email}
    if request.method == "POST":
        form = NotificationPreferenceForm(request.POST, user=user, initial=initial)
        if form.is_valid():
            services.notification_preferences_update(
                user=user,
                email=form.cleaned_data["email"],
                by_email=form.cleaned_data["by_email"],
                by_robot=form.cleaned_data["by_robot"],
            )
            messages.success(request, _("Your notification settings have been saved."))
            return redirect("portal:notification-preferences")
    else:
        form = NotificationPreferenceForm(user=user, initial=initial)
    return render(request, "portal/notifications_preferences.html", {"form": form})
