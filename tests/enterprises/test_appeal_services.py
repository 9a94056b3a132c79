"""Every transition of the appeal loop through its service: who may, when, and what it writes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises import services
from enterprises.models import (
    Appeal,
    AppealEvent,
    Assignment,
    CoHandling,
    Extension,
    InfoRequest,
    RepeatCandidate,
)
from portal.exceptions import Conflict
from portal.models import Notification
from portal.workdays import add_working_days
from tests.factories import DepartmentFactory, appeal_in, category

pytestmark = pytest.mark.django_db


def _actions(appeal):
    return list(AppealEvent.objects.filter(appeal=appeal).values_list("action", flat=True))


# --- submission --------------------------------------------------------------------------------


def test_submission_gets_a_yearly_number_an_event_and_tells_dispatchers(
    clock, entrepreneur, dispatcher
):
    first = appeal_in("submitted", entrepreneur=entrepreneur)
    second = appeal_in("submitted", entrepreneur=entrepreneur)
    assert (first.number, second.number) == ("QH-2026-000001", "QH-2026-000002")
    assert first.status == "submitted" and first.source == "platform"
    assert _actions(first) == ["submit"]
    assert (
        Notification.objects.filter(recipient=dispatcher, kind="enterprises.submitted").count() == 2
    )


def test_numbers_restart_each_year(clock, entrepreneur):
    appeal_in("submitted", entrepreneur=entrepreneur)
    clock.set(dt.date(2027, 1, 4))
    assert appeal_in("submitted", entrepreneur=entrepreneur).number == "QH-2027-000001"


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("title", {"title": "  "}),
        ("content", {"content": ""}),
        ("title", {"title": "长" * 101}),
        ("category", {"category": 999_999}),
        ("category", {"category": None}),
        ("enterprise", {"enterprise": None}),
        ("source", {"source": "hotline"}),
    ],
)
def test_bad_submissions_name_the_field_and_write_nothing(entrepreneur, field, values):
    data = {
        "actor": entrepreneur,
        "enterprise": entrepreneur.enterprise,
        "title": "标题",
        "content": "内容",
        "category": category(),
    } | values
    with pytest.raises(ValidationError) as exc:
        services.appeal_submit(**data)
    assert field in exc.value.message_dict
    assert not Appeal.objects.exists() and not AppealEvent.objects.exists()


def test_nobody_submits_for_someone_elses_enterprise(entrepreneur, outsider):
    with pytest.raises(ValidationError) as exc:
        services.appeal_submit(
            actor=outsider,
            enterprise=entrepreneur.enterprise,
            title="t",
            content="c",
            category=category(),
        )
    assert "enterprise" in exc.value.message_dict
    assert not Appeal.objects.exists()


def test_a_pending_member_cannot_submit(make_user, entrepreneur):
    from tests.factories import MembershipFactory

    pending = make_user(role="entrepreneur")
    MembershipFactory(user=pending, enterprise=entrepreneur.enterprise, status="pending")
    with pytest.raises(ValidationError):
        services.appeal_submit(
            actor=pending,
            enterprise=entrepreneur.enterprise,
            title="t",
            content="c",
            category=category(),
        )


def test_handlers_do_not_submit(handler, entrepreneur):
    with pytest.raises(PermissionDenied):
        services.appeal_submit(
            actor=handler,
            enterprise=entrepreneur.enterprise,
            title="t",
            content="c",
            category=category(),
        )


def test_dispatchers_record_hotline_appeals_for_any_enterprise(dispatcher, entrepreneur):
    appeal = services.appeal_submit(
        actor=dispatcher,
        enterprise=entrepreneur.enterprise.pk,
        title="热线来电",
        content="企业来电反映用电问题",
        category=category("基础设施"),
        source="hotline",
    )
    assert appeal.source == "hotline" and appeal.submitted_by == dispatcher


def test_scripts_are_stored_as_text(entrepreneur):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur, title="<script>alert(1)</script>")
    assert Appeal.objects.get(pk=appeal.pk).title == "<script>alert(1)</script>"


# --- triage --------------------------------------------------------------------------------------


def test_accept_and_reject(clock, entrepreneur, colleague, dispatcher):
    accepted = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    assert accepted.accepted_at == clock.now
    assert Notification.objects.filter(recipient=colleague, kind="enterprises.accepted").exists()
    rejected = appeal_in("rejected", entrepreneur=entrepreneur, dispatcher=dispatcher)
    assert rejected.status == "rejected"
    assert AppealEvent.objects.get(appeal=rejected, action="reject").note == "不属于受理范围"


def test_reject_needs_a_reason(entrepreneur, dispatcher):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur)
    with pytest.raises(ValidationError) as exc:
        services.appeal_reject(appeal=appeal, actor=dispatcher, reason=" ")
    assert "reason" in exc.value.message_dict
    assert Appeal.objects.get(pk=appeal.pk).status == "submitted"


@pytest.mark.parametrize("role", ["handler", "leader", "entrepreneur", "department_head"])
def test_only_dispatchers_accept(make_user, department, entrepreneur, role):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur)
    actor = entrepreneur if role == "entrepreneur" else make_user(role=role, department=department)
    with pytest.raises(PermissionDenied):
        services.appeal_accept(appeal=appeal, actor=actor)
    assert Appeal.objects.get(pk=appeal.pk).status == "submitted"


def test_accepting_twice_is_a_conflict(entrepreneur, dispatcher):
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    with pytest.raises(Conflict):
        services.appeal_accept(appeal=appeal, actor=dispatcher)
    assert _actions(appeal) == ["submit", "accept"]


def test_signing_an_unassigned_appeal_is_a_conflict(entrepreneur, dispatcher, handler):
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    with pytest.raises(PermissionDenied):  # no department holds it yet: not theirs to sign
        services.appeal_sign(appeal=appeal, actor=handler)


# --- assignment and deadlines ------------------------------------------------------------------


def test_assignment_sets_the_category_deadline_and_notifies_the_lead_handlers(
    clock, entrepreneur, dispatcher, handler, handler_colleague, head
):
    appeal = appeal_in(
        "assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    today = clock.now.date()
    assert appeal.status == "assigned"
    assert appeal.lead_department == handler.department
    assert appeal.due_date == add_working_days(today, 10) == appeal.original_due_date
    assert appeal.current_assignment.sign_due_date == add_working_days(today, 1)
    notified = set(
        Notification.objects.filter(kind="enterprises.assigned").values_list(
            "recipient__username", flat=True
        )
    )
    assert notified == {handler.username, handler_colleague.username}  # handlers, not the head


def test_the_deadline_may_be_shortened_not_lengthened_nor_past(
    clock, entrepreneur, dispatcher, handler
):
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    today = clock.now.date()
    for due, message_part in (
        (add_working_days(today, 11), "10"),
        (today - dt.timedelta(days=1), ""),
    ):
        with pytest.raises(ValidationError) as exc:
            services.appeal_assign(
                appeal=appeal, actor=dispatcher, department=handler.department, due_date=due
            )
        assert message_part in exc.value.message_dict["due_at"][0]
    assert Appeal.objects.get(pk=appeal.pk).status == "accepted"
    assert not Assignment.objects.exists()
    shorter = add_working_days(today, 3)
    appeal = services.appeal_assign(
        appeal=appeal, actor=dispatcher, department=handler.department, due_date=shorter
    )
    assert appeal.due_date == shorter


def test_unknown_or_duplicate_departments_are_refused(entrepreneur, dispatcher, handler):
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    with pytest.raises(ValidationError) as exc:
        services.appeal_assign(appeal=appeal, actor=dispatcher, department=999_999)
    assert "department" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.appeal_assign(
            appeal=appeal,
            actor=dispatcher,
            department=handler.department,
            co_departments=[handler.department.pk],
        )
    assert "co_departments" in exc.value.message_dict
    inactive = DepartmentFactory(is_active=False)
    with pytest.raises(ValidationError):
        services.appeal_assign(appeal=appeal, actor=dispatcher, department=inactive)


def test_co_handling_departments_get_a_sub_deadline_and_submit_their_part(
    clock, entrepreneur, dispatcher, handler, other_handler
):
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    appeal = services.appeal_assign(
        appeal=appeal,
        actor=dispatcher,
        department=handler.department,
        co_departments=[other_handler.department],
    )
    co = CoHandling.objects.get(appeal=appeal)
    assert co.department == other_handler.department
    assert co.due_date == add_working_days(appeal.due_date, -2)
    assert Notification.objects.filter(
        recipient=other_handler, kind="enterprises.co_assigned"
    ).exists()
    assert Appeal.objects.visible_to(other_handler).filter(pk=appeal.pk).exists()
    with pytest.raises(PermissionDenied):  # a co-handler does not sign for the lead
        services.appeal_sign(appeal=appeal, actor=other_handler)
    with pytest.raises(PermissionDenied):  # nor does the lead submit a co-handling part
        services.appeal_submit_part(appeal=appeal, actor=handler, content="x")
    services.appeal_submit_part(appeal=appeal, actor=other_handler, content="已核实用地指标。")
    co.refresh_from_db()
    assert co.submitted_at == clock.now and co.part == "已核实用地指标。"
    with pytest.raises(Conflict):
        services.appeal_submit_part(appeal=appeal, actor=other_handler, content="again")
    assert Notification.objects.filter(
        recipient=handler, kind="enterprises.part_submitted"
    ).exists()


def test_sign_by_the_lead_department_only(
    entrepreneur, dispatcher, handler, handler_colleague, other_handler
):
    appeal = appeal_in(
        "assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    with pytest.raises(PermissionDenied):
        services.appeal_sign(appeal=appeal, actor=other_handler)
    appeal = services.appeal_sign(appeal=appeal, actor=handler_colleague)  # any of the department
    assert appeal.status == "in_progress"
    assert Assignment.objects.get().signed_by == handler_colleague
    with pytest.raises(Conflict):
        services.appeal_sign(appeal=appeal, actor=handler)


# --- return ------------------------------------------------------------------------------------


def test_a_quick_return_is_a_dispute_and_keeps_the_deadline(
    clock, entrepreneur, dispatcher, handler, other_handler
):
    appeal = appeal_in(
        "assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    due = appeal.due_date
    clock.set(add_working_days(clock.now.date(), 1))  # the next working day: still a dispute
    appeal = services.appeal_return(appeal=appeal, actor=handler, reason="不属于我局职责")
    assert appeal.status == "accepted" and appeal.lead_department is None
    assert Assignment.objects.get().is_dispute
    assert not Appeal.objects.visible_to(handler).filter(pk=appeal.pk).exists()
    assert Notification.objects.filter(recipient=dispatcher, kind="enterprises.returned").exists()
    with pytest.raises(ValidationError) as exc:
        services.appeal_assign(
            appeal=appeal,
            actor=dispatcher,
            department=other_handler.department,
            due_date=add_working_days(clock.now.date(), 10),
        )
    assert due.isoformat() in exc.value.message_dict["due_at"][0]
    appeal = services.appeal_assign(
        appeal=appeal, actor=dispatcher, department=other_handler.department
    )
    assert appeal.due_date == due and appeal.lead_department == other_handler.department
    assert Assignment.objects.count() == 2


def test_a_late_return_is_not_a_dispute(clock, entrepreneur, dispatcher, handler):
    appeal = appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    clock.set(add_working_days(clock.now.date(), 3))
    services.appeal_return(appeal=appeal, actor=handler, reason="需由其他部门办理")
    assert not Assignment.objects.get().is_dispute


def test_return_needs_a_reason(entrepreneur, dispatcher, handler):
    appeal = appeal_in(
        "assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    with pytest.raises(ValidationError):
        services.appeal_return(appeal=appeal, actor=handler, reason="")
    assert Appeal.objects.get(pk=appeal.pk).status == "assigned"


# --- information requests: the clock stops ---------------------------------------------------


def test_the_clock_stops_while_the_enterprise_is_asked(
    clock, entrepreneur, colleague, dispatcher, handler
):
    appeal = appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    due, asked_on = appeal.due_date, clock.now.date()
    appeal = services.appeal_request_info(appeal=appeal, actor=handler, question="请提供贷款合同")
    assert appeal.awaiting_info
    assert Notification.objects.filter(
        recipient=colleague, kind="enterprises.info_requested"
    ).exists()
    with pytest.raises(Conflict):
        services.appeal_request_info(appeal=appeal, actor=handler, question="again")
    with pytest.raises(PermissionDenied):
        services.appeal_provide_info(appeal=appeal, actor=handler, content="x")
    clock.set(add_working_days(asked_on, 3))
    appeal = services.appeal_provide_info(appeal=appeal, actor=colleague, content="合同已上传")
    assert not appeal.awaiting_info
    assert appeal.stopped_days == 3
    assert appeal.due_date == add_working_days(due, 3)
    assert appeal.original_due_date == add_working_days(due, 3)
    request = InfoRequest.objects.get()
    assert request.answer == "合同已上传" and request.answered_by == colleague
    with pytest.raises(Conflict):
        services.appeal_provide_info(appeal=appeal, actor=colleague, content="more")


def test_an_outsider_cannot_answer(entrepreneur, outsider, dispatcher, handler):
    appeal = appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    services.appeal_request_info(appeal=appeal, actor=handler, question="q")
    with pytest.raises(PermissionDenied):
        services.appeal_provide_info(appeal=appeal, actor=outsider, content="x")


def test_replying_while_waiting_restarts_the_clock(clock, entrepreneur, dispatcher, handler):
    appeal = appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    services.appeal_request_info(appeal=appeal, actor=handler, question="q")
    clock.set(add_working_days(clock.now.date(), 1))
    appeal = services.appeal_reply(appeal=appeal, actor=handler, content="已答复")
    assert appeal.status == "replied" and not appeal.awaiting_info and appeal.stopped_days == 1
    assert InfoRequest.objects.get().ended_at == clock.now


# --- reply and rating ----------------------------------------------------------------------------


def test_dissatisfied_sends_it_back_and_satisfied_closes(
    clock, entrepreneur, colleague, outsider, dispatcher, handler
):
    appeal = appeal_in("replied", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    assert appeal.reply_count == 1 and appeal.first_replied_at == clock.now
    with pytest.raises(PermissionDenied):
        services.appeal_rate(appeal=appeal, actor=outsider, rating="satisfied")
    with pytest.raises(ValidationError) as exc:
        services.appeal_rate(appeal=appeal, actor=entrepreneur, rating="dissatisfied")
    assert "comment" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.appeal_rate(appeal=appeal, actor=entrepreneur, rating="great")
    appeal = services.appeal_rate(
        appeal=appeal, actor=entrepreneur, rating="dissatisfied", comment="银行仍未放款"
    )
    assert appeal.status == "in_progress" and appeal.rehandle_count == 1
    assert Notification.objects.filter(recipient=handler, kind="enterprises.rehandle").exists()
    first_reply = appeal.first_replied_at
    clock.set(add_working_days(clock.now.date(), 2))
    appeal = services.appeal_reply(appeal=appeal, actor=handler, content="已放款")
    assert appeal.reply_count == 2 and appeal.first_replied_at == first_reply
    appeal = services.appeal_rate(appeal=appeal, actor=colleague, rating="basically_satisfied")
    assert appeal.status == "closed" and appeal.close_reason == "rated"
    assert appeal.rating == "basically_satisfied" and appeal.closed_at == clock.now
    assert _actions(appeal) == [
        "submit", "accept", "assign", "sign", "reply", "rate", "reply", "rate",
    ]  # fmt: skip
    with pytest.raises(Conflict):
        services.appeal_rate(appeal=appeal, actor=entrepreneur, rating="satisfied")


def test_only_the_lead_department_replies(entrepreneur, dispatcher, handler, other_handler):
    appeal = appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    with pytest.raises(PermissionDenied):
        services.appeal_reply(appeal=appeal, actor=other_handler, content="x")
    with pytest.raises(ValidationError):
        services.appeal_reply(appeal=appeal, actor=handler, content="   ")
    assert Appeal.objects.get(pk=appeal.pk).status == "in_progress"


# --- extensions -------------------------------------------------------------------------------


def test_an_extension_takes_effect_only_when_approved(
    clock, entrepreneur, dispatcher, handler, head, other_handler
):
    appeal = appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    due = appeal.due_date
    with pytest.raises(ValidationError) as exc:
        services.appeal_extend(appeal=appeal, actor=handler, due_date=due, reason="需要更多时间")
    assert "due_at" in exc.value.message_dict
    later = add_working_days(due, 5)
    appeal = services.appeal_extend(
        appeal=appeal, actor=handler, due_date=later, reason="需现场勘查"
    )
    assert appeal.due_date == due
    assert Notification.objects.filter(
        recipient=head, kind="enterprises.extension_requested"
    ).exists()
    with pytest.raises(Conflict):
        services.appeal_extend(appeal=appeal, actor=handler, due_date=later, reason="again")
    for outsider in (handler, other_handler, entrepreneur):
        with pytest.raises(PermissionDenied):
            services.appeal_approve_extension(appeal=appeal, actor=outsider)
    appeal = services.appeal_approve_extension(appeal=appeal, actor=head)
    assert appeal.due_date == later and appeal.extended and appeal.original_due_date == due
    assert Extension.objects.get().status == "approved"
    assert Notification.objects.filter(
        recipient=handler, kind="enterprises.extension_decided"
    ).exists()
    with pytest.raises(Conflict):
        services.appeal_approve_extension(appeal=appeal, actor=dispatcher)


def test_a_declined_extension_keeps_the_deadline(entrepreneur, dispatcher, handler):
    appeal = appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    due = appeal.due_date
    services.appeal_extend(
        appeal=appeal, actor=handler, due_date=add_working_days(due, 3), reason="r"
    )
    with pytest.raises(ValidationError):
        services.appeal_decline_extension(appeal=appeal, actor=dispatcher, note="")
    appeal = services.appeal_decline_extension(appeal=appeal, actor=dispatcher, note="按期办理")
    assert appeal.due_date == due and not appeal.extended
    assert Extension.objects.get().status == "declined"


# --- supervision, call-back, merge, link -----------------------------------------------------


def test_leaders_supervise_open_appeals(entrepreneur, dispatcher, handler, leader):
    appeal = appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    with pytest.raises(PermissionDenied):
        services.appeal_supervise(appeal=appeal, actor=handler, note="x")
    appeal = services.appeal_supervise(appeal=appeal, actor=leader, note="请本周内办结")
    assert appeal.is_supervised and appeal.priority == 2
    assert Notification.objects.filter(recipient=handler, kind="enterprises.supervised").exists()
    closed = appeal_in("closed", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    with pytest.raises(Conflict):
        services.appeal_supervise(appeal=closed, actor=leader, note="x")


def test_a_call_back_is_recorded_beside_the_rating(entrepreneur, dispatcher, handler):
    appeal = appeal_in("closed", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    appeal = services.appeal_callback(
        appeal=appeal, actor=dispatcher, rating="basically_satisfied", note="电话回访"
    )
    assert appeal.rating == "satisfied" and appeal.callback_rating == "basically_satisfied"
    with pytest.raises(PermissionDenied):
        services.appeal_callback(appeal=appeal, actor=handler, rating="satisfied")


def test_a_merged_repeat_closes_and_counts_once(entrepreneur, colleague, outsider, dispatcher):
    first = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    repeat = appeal_in("submitted", entrepreneur=entrepreneur)
    assert RepeatCandidate.objects.filter(appeal=repeat, candidate=first).exists()
    others = appeal_in("submitted", entrepreneur=outsider)
    with pytest.raises(ValidationError):
        services.appeal_merge(appeal=repeat, actor=dispatcher, into=others)
    with pytest.raises(ValidationError):
        services.appeal_merge(appeal=repeat, actor=dispatcher, into=repeat)
    repeat = services.appeal_merge(appeal=repeat, actor=dispatcher, into=first)
    assert repeat.status == "closed" and repeat.merged_into == first
    assert repeat.close_reason == "merged"
    assert set(Appeal.objects.counted().filter(enterprise=entrepreneur.enterprise)) == {first}
    assert first in repeat.linked.all()


def test_linking_keeps_both_in_the_loop(entrepreneur, dispatcher):
    first = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    second = appeal_in("submitted", entrepreneur=entrepreneur, title="另一件事", content="完全不同")
    services.appeal_link(appeal=second, actor=dispatcher, other=first)
    assert second.status == "submitted" and first in second.linked.all()
    assert second in first.linked.all()


# --- auto-close -------------------------------------------------------------------------------


def test_unrated_replies_close_after_seven_working_days(
    clock, entrepreneur, colleague, dispatcher, handler
):
    appeal = appeal_in("replied", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    replied_on = clock.now.date()
    clock.set(add_working_days(replied_on, 6))
    assert services.close_unrated_replies() == 0
    clock.set(add_working_days(replied_on, 7))
    assert services.close_unrated_replies() == 1
    assert services.close_unrated_replies() == 0  # a second run closes nothing twice
    appeal.refresh_from_db()
    assert appeal.status == "closed" and appeal.close_reason == "auto" and appeal.rating == ""
    event = AppealEvent.objects.get(appeal=appeal, action="auto_close")
    assert event.actor is None and event.from_status == "replied"
    assert Notification.objects.filter(recipient=colleague, kind="enterprises.closed").exists()


# --- the timeline is append-only --------------------------------------------------------------


def test_events_cannot_be_changed_or_deleted(entrepreneur):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur)
    event = AppealEvent.objects.get(appeal=appeal)
    event.note = "changed"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AppealEvent.objects.filter(appeal=appeal).update(note="x")
    with pytest.raises(TypeError):
        AppealEvent.objects.filter(appeal=appeal).delete()


def test_events_stand_on_the_portal_timeline_base():
    from portal.models import TimelineEvent
    from portal.models.timeline import TimelineEventQuerySet

    assert issubclass(AppealEvent, TimelineEvent)
    assert isinstance(AppealEvent.objects.all(), TimelineEventQuerySet)
    # The table and its columns stay as they were (the PostgreSQL trigger is bound to them).
    assert AppealEvent._meta.db_table == "enterprises_appealevent"
    columns = {f.column for f in AppealEvent._meta.concrete_fields}
    assert {"actor_id", "at", "data", "note", "action"} <= columns


def test_postgresql_refuses_raw_updates_of_events(postgres, entrepreneur):
    from django.db import DatabaseError, connection, transaction

    appeal = appeal_in("submitted", entrepreneur=entrepreneur)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE enterprises_appealevent SET note = 'x' WHERE appeal_id = %s", [appeal.pk]
        )
    assert AppealEvent.objects.get(appeal=appeal).note == ""
