"""The escalation ladder and the deadline sweep (issue 4): who is told what, when, and once."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises import services
from enterprises.models import Appeal, EscalationRule, OverdueDigest, Reminder
from enterprises.reference import LADDER
from enterprises.services.reminders import fire_time, send_overdue_digest, sweep_deadlines
from portal.models import Notification
from portal.workdays import add_working_days
from tests.enterprises.conftest import SHANGHAI
from tests.factories import DepartmentFactory, UserFactory, appeal_in


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def reminders_for(user, appeal=None) -> list[str]:
    qs = Notification.objects.filter(recipient=user, kind="enterprises.reminder")
    if appeal is not None:
        qs = qs.filter(target_id=appeal.pk)
    return list(qs.values_list("title", flat=True))


@pytest.fixture
def working(clock, entrepreneur, dispatcher, handler):
    """An appeal signed for on Monday 2 November 2026: due 10 working days later (16 Nov)."""
    return appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )


def test_the_default_ladder_is_seeded_by_the_migration(db):
    codes = list(EscalationRule.objects.values_list("code", flat=True))
    assert codes == [code for code, *_ in LADDER]
    overdue = EscalationRule.objects.get(code="overdue-supervised")
    assert overdue.repeat_daily and overdue.supervised_only and overdue.notify_supervisors
    assert EscalationRule.objects.get(code="unrated-close").offset_days == 7


def test_fire_time_is_the_reminder_hour_in_shanghai(settings):
    settings.REMINDER_HOUR, settings.REMINDER_MINUTE = 8, 30
    assert fire_time(dt.date(2026, 11, 4)) == at(dt.date(2026, 11, 4), 8, 30)


# --- not signed for ---------------------------------------------------------------------------


def test_an_unsigned_appeal_reminds_the_lead_handlers_on_its_sign_for_day(
    clock, entrepreneur, dispatcher, handler, handler_colleague, other_handler
):
    appeal = appeal_in(
        "assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    sign_by = appeal.current_assignment.sign_due_date
    assert sign_by == dt.date(2026, 11, 3)
    assert sweep_deadlines(now=at(dt.date(2026, 11, 2), 18)).reminders == 0
    assert sweep_deadlines(now=at(sign_by, 8, 29)).reminders == 0

    result = sweep_deadlines(now=at(sign_by, 8, 31))
    assert result.reminders == 1 and result.notifications == 2
    assert len(reminders_for(handler, appeal)) == 1
    assert len(reminders_for(handler_colleague, appeal)) == 1
    assert reminders_for(other_handler) == []
    assert "QH-" in reminders_for(handler)[0]
    # Recorded under its key; a second sweep sends nothing.
    reminder = Reminder.objects.get(appeal=appeal)
    assert (reminder.rule.code, reminder.deadline) == ("unsigned", sign_by)
    assert sweep_deadlines(now=at(sign_by, 10)).reminders == 0
    assert len(reminders_for(handler)) == 1


def test_signing_in_time_means_no_sign_for_reminder(clock, entrepreneur, dispatcher, handler):
    appeal = appeal_in(
        "assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    services.appeal_sign(appeal=appeal, actor=handler)
    sweep_deadlines(now=at(dt.date(2026, 11, 3), 9))
    assert not Reminder.objects.filter(appeal=appeal, rule__code="unsigned").exists()


# --- the deadline ladder ----------------------------------------------------------------------


def test_the_ladder_climbs_from_handlers_to_head_to_dispatcher(
    working, handler, handler_colleague, head, dispatcher, leader
):
    due = working.due_date
    assert due == dt.date(2026, 11, 16)
    two_before = add_working_days(due, -2)  # Thursday 12 November

    assert sweep_deadlines(now=at(add_working_days(due, -3))).reminders == 0
    assert sweep_deadlines(now=at(two_before)).reminders == 1
    assert len(reminders_for(handler)) == len(reminders_for(handler_colleague)) == 1
    assert reminders_for(head) == [] and reminders_for(dispatcher) == []

    assert sweep_deadlines(now=at(due)).reminders == 1
    assert len(reminders_for(handler)) == 2 and len(reminders_for(head)) == 1
    assert reminders_for(dispatcher) == []

    day_after = add_working_days(due, 1)
    assert sweep_deadlines(now=at(day_after)).reminders == 1
    assert len(reminders_for(dispatcher)) == 1
    assert "overdue" in reminders_for(dispatcher)[0] or "超期" in reminders_for(dispatcher)[0]
    # Not supervised: no leader is told, and nothing repeats the next day.
    assert sweep_deadlines(now=at(add_working_days(due, 2))).reminders == 0
    assert reminders_for(leader) == []
    assert Reminder.objects.filter(appeal=working).count() == 3


def test_a_late_sweep_skips_the_reminders_whose_day_has_passed(working, handler, dispatcher):
    """After a long outage the overdue rung fires; "due in two days" is not sent late."""
    result = sweep_deadlines(now=at(add_working_days(working.due_date, 3)))
    assert result.reminders == 1
    assert Reminder.objects.get(appeal=working).rule.code == "overdue"
    assert reminders_for(handler) == []


def test_the_next_check_is_the_next_rung(working):
    working.refresh_from_db()
    assert working.next_reminder_at is not None  # every step marks it for the sweep
    sweep_deadlines(now=at(dt.date(2026, 11, 2), 11))
    working.refresh_from_db()
    assert working.next_reminder_at == fire_time(add_working_days(working.due_date, -2))


def test_a_clock_stop_holds_the_ladder_and_moves_it(
    clock, working, handler, entrepreneur, dispatcher
):
    clock.set(dt.date(2026, 11, 11))
    services.appeal_request_info(appeal=working, actor=handler, question="请提供贷款合同。")
    # While the enterprise owes an answer nothing about the deadline fires.
    assert sweep_deadlines(now=at(dt.date(2026, 11, 12))).reminders == 0
    assert sweep_deadlines(now=at(dt.date(2026, 11, 17))).reminders == 0
    clock.set(dt.date(2026, 11, 18))
    appeal = services.appeal_provide_info(appeal=working, actor=entrepreneur, content="已上传合同")
    assert appeal.due_date == add_working_days(dt.date(2026, 11, 16), 5)  # stopped 5 days
    assert sweep_deadlines(now=at(dt.date(2026, 11, 18), 11)).reminders == 0
    fired = sweep_deadlines(now=at(add_working_days(appeal.due_date, -2)))
    assert fired.reminders == 1
    assert Reminder.objects.get(appeal=appeal).deadline == appeal.due_date


def test_an_approved_extension_moves_the_ladder(clock, working, handler, head, dispatcher):
    assert sweep_deadlines(now=at(dt.date(2026, 11, 12))).reminders == 1  # due in 2 days
    clock.set(dt.date(2026, 11, 12), 11)
    new_due = dt.date(2026, 11, 27)
    services.appeal_extend(appeal=working, actor=handler, due_date=new_due, reason="需现场核查")
    # Only asked for: the deadline in force still holds.
    assert sweep_deadlines(now=at(dt.date(2026, 11, 16))).reminders == 1
    services.appeal_approve_extension(appeal=working, actor=head)
    assert sweep_deadlines(now=at(dt.date(2026, 11, 17))).reminders == 0  # not overdue now
    assert sweep_deadlines(now=at(add_working_days(new_due, -2))).reminders == 1
    assert set(Reminder.objects.values_list("deadline", flat=True)) == {
        dt.date(2026, 11, 16),
        new_due,
    }


def test_supervised_overdue_appeals_tell_the_leader_every_working_day(
    clock, working, leader, dispatcher
):
    services.appeal_supervise(appeal=working, actor=leader, note="请加快办理")
    due = working.due_date  # Monday 16 November
    tuesday, wednesday = dt.date(2026, 11, 17), dt.date(2026, 11, 18)
    sweep_deadlines(now=at(tuesday))
    assert len(reminders_for(leader)) == 1
    assert sweep_deadlines(now=at(tuesday, 15)).reminders == 0
    sweep_deadlines(now=at(wednesday))
    assert len(reminders_for(leader)) == 2
    # A sweep that missed Thursday sends one reminder on Friday, not a backlog.
    assert sweep_deadlines(now=at(dt.date(2026, 11, 20))).reminders == 1
    assert len(reminders_for(leader)) == 3
    # Saturday and Sunday are not working days; Monday is.
    assert sweep_deadlines(now=at(dt.date(2026, 11, 21))).reminders == 0
    assert sweep_deadlines(now=at(dt.date(2026, 11, 22), 20)).reminders == 0
    assert sweep_deadlines(now=at(dt.date(2026, 11, 23))).reminders == 1
    assert len(reminders_for(leader)) == 4
    assert len(reminders_for(dispatcher)) == 1  # the dispatcher's rung is not repeated
    occurrences = Reminder.objects.filter(rule__code="overdue-supervised").values_list(
        "occurrence", flat=True
    )
    assert sorted(occurrences) == [
        tuesday,
        wednesday,
        dt.date(2026, 11, 20),
        dt.date(2026, 11, 23),
    ]
    assert due < tuesday


def test_a_co_handling_department_is_reminded_of_its_part(
    clock, entrepreneur, dispatcher, handler, other_handler
):
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    part_due = dt.date(2026, 11, 9)
    appeal = services.appeal_assign(
        appeal=appeal,
        actor=dispatcher,
        department=handler.department,
        co_departments=[other_handler.department],
        co_due_date=part_due,
    )
    services.appeal_sign(appeal=appeal, actor=handler)
    assert sweep_deadlines(now=at(dt.date(2026, 11, 6))).reminders == 0
    sweep_deadlines(now=at(part_due))
    assert len(reminders_for(other_handler, appeal)) == 1
    assert reminders_for(handler, appeal) == []
    reminder = Reminder.objects.get(appeal=appeal, rule__code="part-due")
    assert reminder.department == other_handler.department and reminder.part


def test_a_submitted_part_is_not_reminded(clock, entrepreneur, dispatcher, handler, other_handler):
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    appeal = services.appeal_assign(
        appeal=appeal,
        actor=dispatcher,
        department=handler.department,
        co_departments=[other_handler.department],
        co_due_date=dt.date(2026, 11, 9),
    )
    services.appeal_sign(appeal=appeal, actor=handler)
    services.appeal_submit_part(appeal=appeal, actor=other_handler, content="我局意见：同意。")
    sweep_deadlines(now=at(dt.date(2026, 11, 9)))
    assert reminders_for(other_handler) == []


# --- auto-close -------------------------------------------------------------------------------


def test_an_unrated_reply_closes_itself_and_tells_the_enterprise(
    clock, entrepreneur, colleague, dispatcher, handler
):
    appeal = appeal_in("replied", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    seventh = add_working_days(dt.date(2026, 11, 2), 7)
    assert sweep_deadlines(now=at(add_working_days(seventh, -1), 18)).closed == 0
    clock.set(seventh, 9)
    result = sweep_deadlines(now=at(seventh, 9))
    assert result.closed == 1
    appeal.refresh_from_db()
    assert appeal.status == "closed" and appeal.close_reason == "auto"
    assert appeal.next_reminder_at is None
    assert Notification.objects.filter(recipient=colleague, kind="enterprises.closed").count() == 1
    assert sweep_deadlines(now=at(seventh, 10)).closed == 0


def test_an_admin_can_switch_auto_close_off(clock, entrepreneur, dispatcher, handler):
    EscalationRule.objects.filter(code="unrated-close").update(is_active=False)
    appeal = appeal_in("replied", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    sweep_deadlines(now=at(dt.date(2026, 12, 31)))
    appeal.refresh_from_db()
    assert appeal.status == "replied"
    assert services.close_unrated_replies(today=dt.date(2026, 12, 31)) == 0


def test_an_edited_offset_applies(clock, entrepreneur, dispatcher, handler):
    EscalationRule.objects.filter(code="unrated-close").update(offset_days=3)
    appeal = appeal_in("replied", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    sweep_deadlines(now=at(add_working_days(dt.date(2026, 11, 2), 3)))
    appeal.refresh_from_db()
    assert appeal.status == "closed"


def test_the_celery_task_wraps_the_sweep(clock, entrepreneur, dispatcher, handler):
    from enterprises.tasks import sweep_deadlines as task

    appeal = appeal_in("replied", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    clock.set(add_working_days(dt.date(2026, 11, 2), 8))
    assert task.apply().get().startswith("1 reminders recorded")
    appeal.refresh_from_db()
    assert appeal.status == "closed"


# --- once, and at a cost that follows what is due --------------------------------------------


def test_a_closed_appeal_leaves_the_sweep(working, handler, entrepreneur):
    services.appeal_reply(appeal=working, actor=handler, content="已办结。")
    services.appeal_rate(appeal=working, actor=entrepreneur, rating="satisfied")
    sweep_deadlines(now=at(dt.date(2026, 12, 31)))
    working.refresh_from_db()
    assert working.next_reminder_at is None
    assert not Reminder.objects.filter(appeal=working).exists()


def _appeals_due(count, *, entrepreneur, dispatcher, handler):
    appeals = [
        appeal_in("in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
        for _ in range(count)
    ]
    return appeals


def test_the_sweep_runs_a_fixed_number_of_queries(clock, entrepreneur, dispatcher, handler, head):
    """5 or 25 appeals due, each telling two people: the same number of queries."""
    counts = []
    for n, day in ((5, dt.date(2026, 11, 16)), (25, dt.date(2026, 11, 30))):
        clock.set(add_working_days(day, -10), 10)
        _appeals_due(n, entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
        sweep_deadlines(now=at(add_working_days(day, -3)))  # settle the earlier ones
        with CaptureQueriesContext(connection) as queries:
            result = sweep_deadlines(now=at(day))
        assert result.reminders == n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_management_command_prints_the_count_last(working, capsys):
    call_command("sweep_deadlines", "--now", "2026-11-12T09:00:00+08:00")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("1 reminders recorded")
    assert Notification.objects.filter(kind="enterprises.reminder").exists()
    call_command("sweep_deadlines", "--now", "2026-11-12T10:00")  # naive: local time
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("0 reminders recorded")


def test_the_management_command_rejects_a_bad_time(db):
    with pytest.raises(CommandError, match="ISO-8601"):
        call_command("sweep_deadlines", "--now", "next tuesday")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")
def test_the_sweep_reads_the_partial_index_not_the_table(db):
    """Nothing due among a few thousand appeals: the sweep's query reads only the index of
    appeals with a next check, never the table (the cost follows what is due)."""
    call_command("seed_bench", appeals=3000, seed=3, force=True, stdout=None)
    Appeal.objects.exclude(status__in=["assigned", "in_progress"]).update(next_reminder_at=None)
    Appeal.objects.filter(next_reminder_at__isnull=False).update(
        next_reminder_at=at(dt.date(2026, 12, 1))
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enterprises_appeal")
        sql, params = (
            Appeal.objects.filter(next_reminder_at__lte=at(dt.date(2026, 11, 2)))
            .order_by("next_reminder_at", "pk")[:500]
            .query.sql_with_params()
        )
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "appeal_reminder_due" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert sweep_deadlines(now=at(dt.date(2026, 11, 2))).appeals == 0


# --- the daily digest -------------------------------------------------------------------------


def test_the_overdue_digest_goes_to_leaders_and_to_heads_for_their_department(
    clock, entrepreneur, dispatcher, handler, head, leader
):
    other = DepartmentFactory(name="市自然资源和规划局")
    other_handler = UserFactory(role="handler", department=other)
    other_head = UserFactory(role="department_head", department=other)
    calm_head = UserFactory(role="department_head", department=DepartmentFactory())
    mine = appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    theirs = appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=other_handler
    )
    appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=other_handler
    )
    day = dt.date(2026, 11, 20)

    assert send_overdue_digest(today=dt.date(2026, 11, 16)) == 0  # due today is not overdue
    assert send_overdue_digest(today=day) == 3
    (to_leader,) = Notification.objects.filter(recipient=leader, kind="enterprises.digest")
    assert to_leader.title.startswith("3")
    assert mine.number in to_leader.body and theirs.number in to_leader.body
    assert other.name in to_leader.body and handler.department.name in to_leader.body
    (to_head,) = Notification.objects.filter(recipient=head, kind="enterprises.digest")
    assert mine.number in to_head.body and theirs.number not in to_head.body
    (to_other_head,) = Notification.objects.filter(recipient=other_head, kind="enterprises.digest")
    assert to_other_head.title.startswith("2")
    assert not Notification.objects.filter(recipient=calm_head).exists()
    # Once a day.
    assert send_overdue_digest(today=day) == 0
    assert OverdueDigest.objects.filter(day=day).count() == 3
    assert send_overdue_digest(today=dt.date(2026, 11, 23)) == 3


# --- the ladder in the admin ------------------------------------------------------------------


def test_an_admin_edits_a_rung_and_open_appeals_are_looked_at_again(
    client, admin_user, working, django_capture_on_commit_callbacks
):
    sweep_deadlines(now=at(dt.date(2026, 11, 2), 11))
    working.refresh_from_db()
    assert working.next_reminder_at == fire_time(dt.date(2026, 11, 12))
    rule = EscalationRule.objects.get(code="due-soon")
    client.force_login(admin_user)
    url = f"/admin/enterprises/escalationrule/{rule.pk}/change/"
    assert client.get(url).status_code == 200
    data = {
        "code": rule.code,
        "name": rule.name,
        "trigger": rule.trigger,
        "offset_days": "-5",
        "is_active": "on",
        "sort_order": rule.sort_order,
        "notify_handlers": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    working.refresh_from_db()
    assert working.next_reminder_at <= dt.datetime.now(tz=SHANGHAI)
    # The earlier rung applies to the appeal already under way.
    assert sweep_deadlines(now=at(add_working_days(working.due_date, -5))).reminders == 1


def test_an_admin_cannot_break_the_ladder_with_bad_values(client, admin_user):
    rule = EscalationRule.objects.get(code="due-soon")
    client.force_login(admin_user)
    response = client.post(
        f"/admin/enterprises/escalationrule/{rule.pk}/change/",
        {
            "code": rule.code,
            "name": rule.name,
            "trigger": "due",
            "offset_days": "-2",
            "sort_order": 10,
            "auto_close": "on",  # only unrated replies may close themselves
        },
    )
    assert response.status_code == 200  # the form again, with the error
    rule.refresh_from_db()
    assert not rule.auto_close
    delete = client.get(f"/admin/enterprises/escalationrule/{rule.pk}/delete/")
    assert delete.status_code == 403
