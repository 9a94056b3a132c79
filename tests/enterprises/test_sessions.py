"""Dialogue sessions (亲清半月谈): the model's rules, the steps' table, invitations and answers,
needs that become appeals, and the day-before reminder."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from enterprises import services as appeal_services
from enterprises import tasks
from enterprises.lifecycles import SESSION
from enterprises.models import (
    Appeal,
    AppealEvent,
    DialogueSession,
    SessionInvitation,
    SessionReminder,
)
from enterprises.services import sessions as services
from portal.exceptions import Conflict
from portal.models import Notification
from tests.enterprises.sessions_setup import SESSION_DAY, build_cast, hold, record_need
from tests.factories import EnterpriseFactory, UserFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db, clock):
    return build_cast()


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# --- planning -------------------------------------------------------------------------------


def test_a_planned_session_has_its_hosts_and_tells_them(cast):
    session = DialogueSession.objects.get(pk=cast.session.pk)
    assert session.status == "planned"
    assert session.number == 1
    assert list(session.hosts.all()) == [cast.leader]
    assert kinds(cast.leader) == ["enterprises.session_host"]
    assert session.created_by == cast.dispatcher


@pytest.mark.parametrize("role", ["leader", "handler", "entrepreneur"])
def test_only_dispatchers_plan_sessions(cast, role):
    actor = cast.leader if role == "leader" else cast.handler if role == "handler" else cast.owner
    with pytest.raises(PermissionDenied):
        services.session_create(
            actor=actor, number=2, theme="主题", held_on=SESSION_DAY, venue="会议室"
        )
    assert DialogueSession.objects.count() == 1


def test_bad_input_names_every_field_and_writes_nothing(cast):
    with pytest.raises(ValidationError) as caught:
        services.session_create(
            actor=cast.dispatcher,
            number=1,  # taken
            theme="  ",
            held_on=None,
            venue="",
            hosts=[cast.owner.pk],  # not a leader
        )
    errors = caught.value.message_dict
    assert set(errors) == {"number", "theme", "held_on", "venue", "hosts"}
    assert "1" in errors["number"][0]
    assert DialogueSession.objects.count() == 1


def test_the_number_is_unique_in_the_database_too(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        DialogueSession.objects.create(number=1, theme="重复", held_on=SESSION_DAY, venue="会议室")


def test_a_summarised_session_must_have_its_minutes_in_the_database(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        DialogueSession.objects.filter(pk=cast.session.pk).update(status="summarised")


def test_an_invitation_is_once_per_person_and_an_answer_has_its_time(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionInvitation.objects.create(session=cast.session, user=cast.owner, enterprise=cast.a)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionInvitation.objects.filter(user=cast.owner).update(answer="accepted")


# --- the steps: planned → held → summarised -------------------------------------------------


def test_a_session_is_held_from_its_day_and_summarised_with_minutes(cast, clock):
    with pytest.raises(Conflict) as caught:  # Monday, the session is on Thursday
        services.session_hold(session=cast.session, actor=cast.dispatcher)
    assert "2026-11-05" in str(caught.value)
    with pytest.raises(Conflict):
        services.session_summarise(session=cast.session, actor=cast.dispatcher, minutes="纪要")

    hold(cast, clock)
    assert cast.session.status == "held" and cast.session.held_at is not None
    with pytest.raises(ValidationError) as caught:
        services.session_summarise(session=cast.session, actor=cast.dispatcher, minutes=" ")
    assert "minutes" in caught.value.message_dict

    session = services.session_summarise(
        session=cast.session, actor=cast.dispatcher, minutes="会议收集诉求2项，已现场交办。"
    )
    assert session.status == "summarised" and session.summarised_at is not None
    with pytest.raises(Conflict):
        services.session_hold(session=session, actor=cast.dispatcher)
    with pytest.raises(Conflict):
        services.session_update(
            session=session,
            actor=cast.dispatcher,
            number=1,
            theme="改",
            held_on=SESSION_DAY,
            venue="改",
        )


def test_a_wrong_role_is_refused_before_the_status_is_looked_at(cast, clock):
    hold(cast, clock)
    with pytest.raises(PermissionDenied):
        services.session_summarise(session=cast.session, actor=cast.leader, minutes="纪要")
    with pytest.raises(PermissionDenied):
        services.session_hold(session=cast.session, actor=cast.owner)


def test_the_steps_offered_follow_the_table(cast, clock):
    assert set(SESSION.available(cast.session, cast.dispatcher)) == {
        "edit",
        "invite",
        "experts",
        "hold",
    }
    assert set(SESSION.available(cast.session, cast.owner)) == {"answer"}
    assert set(SESSION.available(cast.session, cast.leader)) == set()
    hold(cast, clock)
    assert set(SESSION.available(cast.session, cast.dispatcher)) == {
        "edit",
        "experts",
        "record_need",
        "summarise",
    }
    assert set(SESSION.available(cast.session, cast.owner)) == set()


def test_experts_are_people_without_accounts(cast):
    expert = services.session_add_expert(
        session=cast.session,
        actor=cast.dispatcher,
        name="林建平",
        organisation="浙江大学衢州研究院",
        field="化工新材料",
    )
    assert list(cast.session.experts.values_list("name", flat=True)) == ["林建平"]
    with pytest.raises(ValidationError) as caught:
        services.session_add_expert(session=cast.session, actor=cast.dispatcher, name="")
    assert "name" in caught.value.message_dict
    services.session_remove_expert(expert=expert, actor=cast.dispatcher)
    assert not cast.session.experts.exists()


# --- invitations ----------------------------------------------------------------------------


def test_an_invitation_notifies_the_entrepreneur_at_once(cast):
    invitation = SessionInvitation.objects.get(user=cast.owner)
    assert invitation.enterprise == cast.a and invitation.answer == "pending"
    notification = Notification.objects.get(
        recipient=cast.owner, kind="enterprises.session_invited"
    )
    assert "五链" in notification.title
    assert notification.url == cast.session.get_absolute_url()
    assert "衢州市民中心亲清会客厅" in notification.body


def test_only_a_verified_member_of_the_enterprise_can_be_invited(cast):
    stranger = UserFactory(role="entrepreneur")
    for user, enterprise in ((stranger, cast.a), (cast.outsider, cast.a), (cast.handler, cast.a)):
        with pytest.raises(ValidationError) as caught:
            services.session_invite(
                session=cast.session, actor=cast.dispatcher, user=user, enterprise=enterprise
            )
        assert "user" in caught.value.message_dict
    with pytest.raises(ValidationError, match="已受邀参加本期亲清半月谈"):
        services.session_invite(
            session=cast.session, actor=cast.dispatcher, user=cast.owner, enterprise=cast.a
        )
    with pytest.raises(PermissionDenied):
        services.session_invite(
            session=cast.session, actor=cast.owner, user=cast.colleague, enterprise=cast.a
        )
    assert cast.session.invitations.count() == 2


def test_the_invited_person_answers_and_the_organiser_is_told(cast, clock):
    invitation = SessionInvitation.objects.get(user=cast.owner)
    services.session_answer(invitation=invitation, actor=cast.owner, answer="accepted")
    invitation.refresh_from_db()
    assert invitation.answer == "accepted" and invitation.answered_at == clock.now
    assert kinds(cast.dispatcher) == ["enterprises.session_answered"]
    # Changing one's mind is possible until the session is held.
    services.session_answer(
        invitation=invitation, actor=cast.owner, answer="declined", note="临时出差"
    )
    invitation.refresh_from_db()
    assert (invitation.answer, invitation.answer_note) == ("declined", "临时出差")

    with pytest.raises(PermissionDenied):  # someone else's invitation
        services.session_answer(invitation=invitation, actor=cast.guest, answer="accepted")
    with pytest.raises(ValidationError):
        services.session_answer(invitation=invitation, actor=cast.owner, answer="maybe")
    hold(cast, clock)
    with pytest.raises(Conflict):
        services.session_answer(invitation=invitation, actor=cast.owner, answer="accepted")
    invitation.refresh_from_db()
    assert invitation.answer == "declined"


def test_moving_a_planned_session_tells_those_who_have_not_declined(cast):
    services.session_answer(
        invitation=SessionInvitation.objects.get(user=cast.guest),
        actor=cast.guest,
        answer="declined",
    )
    services.session_update(
        session=cast.session,
        actor=cast.dispatcher,
        number=1,
        theme=cast.session.theme,
        held_on=SESSION_DAY + dt.timedelta(days=1),
        start_time=dt.time(9),
        venue="市行政中心",
        hosts=[cast.leader],
    )
    assert "enterprises.session_changed" in kinds(cast.owner)
    assert "enterprises.session_changed" not in kinds(cast.guest)


def test_inviting_after_the_session_was_held_is_a_conflict(cast, clock):
    hold(cast, clock)
    with pytest.raises(Conflict):
        services.session_invite(
            session=cast.session, actor=cast.dispatcher, user=cast.colleague, enterprise=cast.a
        )


# --- needs become appeals -------------------------------------------------------------------


def test_a_need_becomes_a_session_appeal_with_the_instruction_on_its_timeline(cast, clock):
    hold(cast, clock)
    appeal = record_need(
        cast, cast.a, title="流动资金贷款续贷", instruction="请市金融办两周内拿出续贷方案。"
    )
    appeal.refresh_from_db()
    assert appeal.source == "session" and appeal.session == cast.session
    assert appeal.enterprise == cast.a and appeal.status == "submitted"
    assert appeal.session_instruction == "请市金融办两周内拿出续贷方案。"
    events = list(appeal.events.all())
    assert [e.action for e in events] == ["submit", "instruct"]
    instruct = events[1]
    assert instruct.note == "请市金融办两周内拿出续贷方案。"
    assert instruct.data["leader_name"] == "周书记" and instruct.data["session_number"] == 1
    assert (instruct.from_status, instruct.to_status) == ("submitted", "submitted")
    assert instruct.get_action_display()  # a label of its own on the timeline

    # …and then it runs through the normal loop with its deadlines.
    appeal = appeal_services.appeal_accept(appeal=appeal, actor=cast.dispatcher)
    appeal = appeal_services.appeal_assign(
        appeal=appeal, actor=cast.dispatcher, department=cast.department
    )
    assert appeal.status == "assigned" and appeal.due_date is not None


def test_a_bad_need_is_refused_and_nothing_is_written(cast, clock):
    hold(cast, clock)
    before = (Appeal.objects.count(), AppealEvent.objects.count())
    cases = [
        ({"enterprise": cast.b}, "enterprise"),  # not invited to this session
        ({"instruction": " "}, "instruction"),
        ({"leader": cast.dispatcher}, "leader"),  # not one of the hosts
    ]
    for override, field in cases:
        arguments = {
            "session": cast.session,
            "actor": cast.dispatcher,
            "enterprise": cast.a,
            "category": category(),
            "title": "用电增容",
            "content": "请协调。",
            "instruction": "请经信局牵头。",
            "leader": cast.leader,
            **override,
        }
        with pytest.raises(ValidationError) as caught:
            services.session_record_need(**arguments)
        assert field in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:  # the loop's own checks
        services.session_record_need(
            session=cast.session,
            actor=cast.dispatcher,
            enterprise=cast.a,
            category=None,
            title="",
            content="",
            instruction="请办理。",
            leader=cast.leader,
        )
    assert {"category", "title", "content"} <= set(caught.value.message_dict)
    assert (Appeal.objects.count(), AppealEvent.objects.count()) == before


def test_needs_wait_for_the_session_and_only_staff_record_them(cast, clock):
    with pytest.raises(Conflict):
        record_need(cast, cast.a, title="会前的诉求")
    hold(cast, clock)
    with pytest.raises(PermissionDenied):
        services.session_record_need(
            session=cast.session,
            actor=cast.owner,
            enterprise=cast.a,
            category=category(),
            title="自己录入",
            content="内容",
            instruction="意见",
        )
    assert not Appeal.objects.exists()


def test_the_session_link_requires_the_session_source_in_the_database(cast, clock):
    hold(cast, clock)
    appeal = record_need(cast, cast.a, title="用地指标")
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=appeal.pk).update(source="platform")


# --- the day-before reminder ----------------------------------------------------------------


def test_the_day_before_everyone_still_coming_is_reminded_once(cast, clock):
    services.session_answer(
        invitation=SessionInvitation.objects.get(user=cast.guest),
        actor=cast.guest,
        answer="declined",
    )
    clock.set(SESSION_DAY - dt.timedelta(days=2), 10)  # two days before: nothing yet
    assert services.send_session_reminders() == 0
    clock.set(SESSION_DAY - dt.timedelta(days=1), 8)  # the day before, before office hours
    assert services.send_session_reminders() == 0
    clock.set(SESSION_DAY - dt.timedelta(days=1), 10)
    assert services.send_session_reminders() == 1
    assert kinds(cast.owner).count("enterprises.session_reminder") == 1
    assert "enterprises.session_reminder" not in kinds(cast.guest)
    # A retry, a second sweep or the Celery task send nothing again.
    assert services.send_session_reminders() == 0
    assert tasks.send_session_reminders() == 0
    assert kinds(cast.owner).count("enterprises.session_reminder") == 1
    assert SessionReminder.objects.get().session_date == SESSION_DAY


def test_a_moved_session_gets_a_reminder_for_its_new_day(cast, clock):
    clock.set(SESSION_DAY - dt.timedelta(days=1), 10)
    assert services.send_session_reminders() == 2
    clock.set(SESSION_DAY - dt.timedelta(days=1), 11)
    services.session_update(
        session=cast.session,
        actor=cast.dispatcher,
        number=1,
        theme=cast.session.theme,
        held_on=SESSION_DAY + dt.timedelta(days=1),
        venue=cast.session.venue,
        hosts=[cast.leader],
    )
    clock.set(SESSION_DAY, 10)
    assert services.send_session_reminders() == 2
    assert kinds(cast.owner).count("enterprises.session_reminder") == 2


def test_held_sessions_and_other_days_get_no_reminder(cast, clock):
    other = services.session_create(
        actor=cast.dispatcher,
        number=2,
        theme="另一期",
        held_on=SESSION_DAY + dt.timedelta(days=7),
        venue="会议室",
    )
    services.session_invite(
        session=other, actor=cast.dispatcher, user=cast.outsider, enterprise=cast.b
    )
    clock.set(SESSION_DAY - dt.timedelta(days=1), 10)
    assert services.send_session_reminders() == 2  # only session 1's two guests
    assert "enterprises.session_reminder" not in kinds(cast.outsider)
    assert not SessionReminder.objects.filter(invitation__session=other).exists()


def test_an_enterprise_of_no_session_is_not_a_choice(cast, clock):
    hold(cast, clock)
    with pytest.raises(ValidationError):
        record_need(cast, EnterpriseFactory(), title="陌生企业")
