"""One small world for the attack tests: a person of every role, and objects that are theirs, of
another department and of another enterprise.

Who asks (``PEOPLE``):

- ``anonymous`` — no one signed in;
- ``entrepreneur`` — a verified member of enterprise A;
- ``pending`` — a member of A still waiting for verification (sees nothing of A yet);
- ``dispatcher``, ``leader``, ``admin`` — the united-front department's staff (see everything);
- ``handler`` and ``head`` — a handler and the head of department 1;
- ``county`` — county staff of 江山市 (sees the registry's people from 江山, no appeal here:
  the world's enterprises are placed in no county);
- ``village`` — the reporter of a village of 江山市 (sees nothing of these apps);
- ``liaison`` — a liaison cadre of the non-party archive, linked to the person from 江山 (an
  outsider to everything else).

Enterprise B, its member and department 2 exist only to own things the people above must not
see. Every object carries a *marker*, a string put in its title, name or text, and the set of
people allowed to see it (``World.markers``): a response that shows a marker to anyone else leaks.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises import services
from enterprises.models import Screen
from enterprises.services import celebrations as celebration_services
from enterprises.services import sessions as session_services
from portal.models import Notification
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    MembershipFactory,
    UserFactory,
    category,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 11, 2)
SESSION_DAY = dt.date(2026, 11, 5)  # Thursday of the same week: the world is seen on that day

PEOPLE = (
    "anonymous",
    "entrepreneur",
    "pending",
    "dispatcher",
    "handler",
    "head",
    "leader",
    "admin",
    "county",
    "village",
    "liaison",
)
SIGNED_IN = frozenset(PEOPLE) - {"anonymous"}
STAFF = frozenset({"dispatcher", "leader", "admin"})
TRIAGE = frozenset({"dispatcher", "admin"})
DEPARTMENT = frozenset({"handler", "head"})
ENTREPRENEURS = frozenset({"entrepreneur", "pending"})
# Who sees the xiangxian registry's people from 江山 (the world's person is from there).
REGISTRY = STAFF | {"county"}
# Who sees the village reporter's own report (alliances): the office, leaders, the county.
AL_SEEN = STAFF | {"county", "village"}
# Alliances: the office and leaders city-wide, county staff and village reporters their part.
AL_READERS = STAFF | {"county", "village"}
# The non-party archive's person from 江山: the office, leaders, the county and their cadre.
NP_READERS = REGISTRY | {"liaison"}
# The city association's report: the office, leaders and the president's cadre (not the county:
# a county's staff read their county's association, not the city's).
NP_OFFICE = STAFF | {"liaison"}
# Grassroots units: the office and leaders city-wide, county staff their county's (a unit's
# lead, not in PEOPLE, is tried in tests/grassroots/test_units.py).
GR_READERS = STAFF | {"county"}
# Supervision visits: the office and leaders city-wide, county staff their county's.
# A published typical case: every staff role (never an entrepreneur).
GR_CASE_READERS = SIGNED_IN - ENTREPRENEURS

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(marker: str) -> bytes:
    """A file that passes the PDF check, with a marker inside (its content is someone's)."""
    return f"%PDF-1.4\n% {marker}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".encode()


@dataclass
class Obj:
    """An object of the world as a URL sees it: its URL parameters and who may see it."""

    name: str
    kwargs: dict
    seen_by: frozenset
    query: dict = field(default_factory=dict)


@dataclass
class World:
    people: dict  # name → User (no entry for "anonymous")
    objects: dict  # kind → [Obj]
    markers: dict  # marker → frozenset of people allowed to see it
    extra: dict  # anything else a test needs (model instances)

    def hidden_from(self, person: str) -> list[str]:
        return [marker for marker, seen in self.markers.items() if person not in seen]


def member(enterprise, status="verified", **kwargs):
    user = UserFactory(role="entrepreneur", **kwargs)
    MembershipFactory(user=user, enterprise=enterprise, status=status)
    user.enterprise = enterprise
    return user


def build_world(clock) -> World:
    """Build the world through the real services; ``clock`` is left on SESSION_DAY 16:00."""
    clock.set(MONDAY, 10)
    dept1 = DepartmentFactory(name="市经信局（世界）")
    dept2 = DepartmentFactory(name="市资规局（世界）")
    a = EnterpriseFactory(name="mk-ent-a 衢州甲材料有限公司")
    b = EnterpriseFactory(name="mk-ent-b 衢州乙能源有限公司")
    entrepreneur = member(a, name="徐甲")
    pending = member(a, status="pending", name="待审核")
    other = member(b, name="郑乙")
    dispatcher = UserFactory(role="dispatcher", name="王受理")
    leader = UserFactory(role="leader", name="周领导")
    admin = UserFactory(role="admin", name="管理员", is_staff=True, is_superuser=True)
    handler = UserFactory(role="handler", department=dept1, name="李承办")
    head = UserFactory(role="department_head", department=dept1, name="赵局长")
    handler2 = UserFactory(role="handler", department=dept2, name="钱承办")
    UserFactory(role="department_head", department=dept2, name="孙局长")

    def appeal(owner, marker, department=None, lead=None, extend=False):
        submitted = services.appeal_submit(
            actor=owner,
            enterprise=owner.enterprise,
            title=f"{marker} 贷款续贷审批进度缓慢",
            content=f"{marker}-content 我司流动资金贷款将于下月到期，请协调。",
            category=category(),
            files=[
                SimpleUploadedFile(
                    f"{marker}-file.pdf", pdf(f"{marker}-bytes"), content_type="application/pdf"
                )
            ],
        )
        if department is None:
            return submitted
        services.appeal_accept(appeal=submitted, actor=dispatcher)
        services.appeal_assign(appeal=submitted, actor=dispatcher, department=department)
        services.appeal_sign(appeal=submitted, actor=lead)
        if extend:
            submitted.refresh_from_db()
            services.appeal_extend(
                appeal=submitted,
                actor=lead,
                due_date=submitted.due_date + dt.timedelta(days=14),
                reason=f"{marker}-reason 需要现场踏勘",
            )
        submitted.refresh_from_db()
        return submitted

    appeal_a = appeal(entrepreneur, "mk-appeal-a", dept1, handler, extend=True)
    appeal_b = appeal(other, "mk-appeal-b", dept2, handler2, extend=True)
    appeal_new = appeal(entrepreneur, "mk-appeal-new")

    # Dialogue sessions: No. 1 invites both enterprises (so A sees B's need only cut down),
    # No. 2 only B.
    session1 = session_services.session_create(
        actor=dispatcher,
        number=1,
        theme="mk-session-1 化工新材料深度融合",
        held_on=SESSION_DAY,
        venue="市民中心亲清会客厅",
        hosts=[leader],
        agenda="一、企业家发言",
    )
    session2 = session_services.session_create(
        actor=dispatcher,
        number=2,
        theme="mk-session-2 数字经济",
        held_on=SESSION_DAY + dt.timedelta(days=14),
        venue="市民中心",
        hosts=[leader],
    )
    session_services.session_invite(
        session=session1, actor=dispatcher, user=entrepreneur, enterprise=a
    )
    session_services.session_invite(session=session1, actor=dispatcher, user=other, enterprise=b)
    session_services.session_invite(session=session2, actor=dispatcher, user=other, enterprise=b)
    session_services.session_add_expert(session=session1, actor=dispatcher, name="mk-expert-1 张")
    session_services.session_add_expert(session=session2, actor=dispatcher, name="mk-expert-2 吴")
    clock.set(SESSION_DAY, 16)
    session1 = session_services.session_hold(session=session1, actor=dispatcher)
    need_b = session_services.session_record_need(
        session=session1,
        actor=dispatcher,
        enterprise=b,
        category=category(),
        title="mk-appeal-need-b 园区用地指标",
        content="mk-appeal-need-b-content 请协调。",
        instruction="mk-instruction-b 请市资规局牵头",
        leader=leader,
    )

    # Light-up days: A's is asked for (not public), B's approved (public to departments).
    hall = Screen.objects.create(name="市行政中心大屏", slug="mk-hall", location="市行政中心")
    later = SESSION_DAY + dt.timedelta(days=7)
    cel_a = celebration_services.celebration_request(
        actor=entrepreneur,
        enterprise=a,
        kind="listing",
        screen_text="mk-cel-a 热烈祝贺上市",
        starts_on=later,
        ends_on=later,
        screens=[hall],
        image=SimpleUploadedFile("a.png", PNG, content_type="image/png"),
    )
    cel_b = celebration_services.celebration_request(
        actor=dispatcher,
        enterprise=b,
        kind="award",
        screen_text="mk-cel-b 热烈祝贺获奖",
        starts_on=later + dt.timedelta(days=1),
        ends_on=later + dt.timedelta(days=1),
        screens=[hall],
        image=SimpleUploadedFile("b.png", PNG, content_type="image/png"),
    )
    cel_b = celebration_services.celebration_approve(celebration=cel_b, actor=leader)

    # Export jobs: the handler's own (done, with its file) and the leader's; each only its owner's.
    from django.core.files.base import ContentFile

    from portal.models import ExportJob

    own_job = ExportJob(owner=handler, kind="enterprises.appeals", status=ExportJob.Status.DONE)
    own_job.filename = "a.xlsx"
    import io

    from openpyxl import Workbook

    book, buffer = Workbook(), io.BytesIO()
    book.active.append(["mk-export-own"])
    book.save(buffer)
    own_job.file.save("a.xlsx", ContentFile(buffer.getvalue()), save=True)
    leader_job = ExportJob.objects.create(owner=leader, kind="enterprises.appeals")

    # Import jobs: the dispatcher's (done, a rejected row kept) and the admin's; owner only.
    from portal.models import ImportJob

    def import_job(owner, name, **fields):
        job = ImportJob(
            kind="enterprises.directory",
            token=f"{owner.username}-import",
            name=name,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            size=len(buffer.getvalue()),
            sha256="0" * 64,
            uploaded_by=owner,
            **fields,
        )
        job.file.save(job.token, ContentFile(buffer.getvalue()), save=True)
        return job

    own_import = import_job(
        dispatcher,
        "mk-import-own.xlsx",
        status=ImportJob.Status.DONE,
        headers=["企业名称"],
        rows_total=1,
        rejected=1,
        report=[
            {
                "row": 2,
                "cells": ["mk-import-cell"],
                "errors": [{"column": "企业名称", "message": "x"}],
            }
        ],
    )
    admin_import = import_job(admin, "mk-import-admin.xlsx")

    # Files attached through the portal's generic attachments: readable by whoever sees the record.
    from portal.services.attachments import attachment_add

    def generic_file(obj, marker):
        upload = SimpleUploadedFile(f"{marker}.pdf", pdf(marker), content_type="application/pdf")
        return attachment_add(obj=obj, upload=upload, actor=admin)

    generic_on_appeal_a = generic_file(appeal_a, "mk-generic-appeal-a")
    generic_on_own_job = generic_file(own_job, "mk-generic-job")
    # The xiangxian registry: a person, a record merged into it, a shared saved search.
    from django.http import QueryDict

    from portal.models import Region
    from xiangxian import services as xiangxian_services
    from xiangxian.models import Sector

    person_hometown = Region.objects.get(code="330881000000")
    person_fields = {
        "hometown": person_hometown.pk,
        "sector": Sector.objects.get(name="医卫").pk,
        "residence_province": "上海市",
        "residence_city": "上海市",
    }
    xx_kept = xiangxian_services.xiangxian_create(
        actor=dispatcher, data={**person_fields, "name": "mk-xx-kept 徐世界"}
    )
    xx_repeat = xiangxian_services.xiangxian_create(
        actor=dispatcher, data={**person_fields, "name": "mk-xx-repeat 徐世界"}
    )
    xx_merge = xiangxian_services.xiangxian_merge(
        source=xx_repeat, target=xx_kept, actor=dispatcher
    )
    xx_search = xiangxian_services.saved_search_save(
        owner=dispatcher, name="mk-xx-search", params=QueryDict("away=true"), shared=True
    )
    from xiangxian.models import ServiceKind

    xx_service = xiangxian_services.service_record_create(
        actor=dispatcher,
        xiangxian=xx_kept,
        kind=ServiceKind.objects.get(code="finance"),
        served_on=MONDAY,
        provider="mk-xx-service 衢州农商银行",
        value_yuan="1000000",
    )
    township = Region.objects.get_or_create(
        code="330881101000",
        defaults={
            "name": "峡口镇",
            "level": Region.Level.TOWNSHIP,
            "parent": Region.objects.get(code="330881000000"),
            "vintage": 2023,
        },
    )[0]
    xx_contribution = xiangxian_services.contribution_create(
        actor=dispatcher,
        xiangxian=xx_kept,
        data={
            "kind": "donation",
            "title": "mk-xx-contribution 捐建文化礼堂",
            "region": township.pk,
            "made_on": MONDAY,
            "amount_yuan": "500000",
        },
    )
    generic_on_contribution = generic_file(xx_contribution, "mk-generic-contribution")
    xx_club = xiangxian_services.association_create(
        actor=dispatcher, name="mk-xx-association 寓外名医联谊会"
    )
    xx_membership = xiangxian_services.association_member_add(
        actor=dispatcher, association=xx_club, xiangxian=xx_kept, joined_on=MONDAY
    )
    # Someone from another county: the office sees them, 江山's county staff do not.
    xx_elsewhere = xiangxian_services.xiangxian_create(
        actor=dispatcher,
        data={
            **person_fields,
            "hometown": Region.objects.get(code="330802000000").pk,
            "name": "mk-xx-elsewhere 柯城人",
        },
    )
    from portal.services import role_grant

    county = UserFactory(role="county_staff", name="毛县干")
    role_grant(user=county, role="county_staff", region=person_hometown, actor=None)
    village_region = Region.objects.get_or_create(
        code="330881101201",
        defaults={
            "name": "峡口村",
            "level": Region.Level.VILLAGE,
            "parent": township,
            "vintage": 2023,
        },
    )[0]
    village = UserFactory(role="village_reporter", name="蓝村报")
    role_grant(user=village, role="village_reporter", region=village_region, actor=None)
    # The villages' figures (alliances): the reporter's own draft (江山, seen by the county's
    # staff too) and a returned report of a village of 柯城 (the office's alone).
    from alliances import services as alliance_services
    from alliances.models import VillageReport

    alliance_services.ensure_indicators()
    al_report_own = alliance_services.report_create(
        actor=village,
        village=village_region,
        period="2023H1",
        values={"collective_income": "662000", "operating_income": "353000"},
    )
    kecheng_township = Region.objects.get_or_create(
        code="330802001000",
        defaults={
            "name": "府山街道",
            "level": Region.Level.TOWNSHIP,
            "parent": Region.objects.get(code="330802000000"),
            "vintage": 2023,
        },
    )[0]
    kecheng_village = Region.objects.get_or_create(
        code="330802001201",
        defaults={
            "name": "柯城一村",
            "level": Region.Level.VILLAGE,
            "parent": kecheng_township,
            "vintage": 2023,
        },
    )[0]
    al_report_other = VillageReport.objects.create(
        village=kecheng_village,
        period="2023H1",
        starts_on=dt.date(2023, 1, 1),
        ends_on=dt.date(2023, 6, 30),
        status="returned",
        return_reason="mk-al-report-other",
    )
    # Alliances (奔富联盟): one led by the reporter's village of 江山 (the county staff's and the
    # reporter's own), one of a 龙游 village only the office sees.

    longyou_township = Region.objects.get_or_create(
        code="330825206000",
        defaults={
            "name": "沐尘畲族乡",
            "level": Region.Level.TOWNSHIP,
            "parent": Region.objects.get(code="330825000000"),
            "vintage": 2023,
        },
    )[0]
    longyou_village = Region.objects.get_or_create(
        code="330825206201",
        defaults={
            "name": "双戴村",
            "level": Region.Level.VILLAGE,
            "parent": longyou_township,
            "vintage": 2023,
        },
    )[0]
    al_own = alliance_services.alliance_create(
        actor=dispatcher,
        data={
            "name": "mk-al-own 峡口联盟",
            "founded_on": MONDAY,
            "lead_village": village_region,
            "kinds": ["industry"],
        },
    )
    al_elsewhere = alliance_services.alliance_create(
        actor=dispatcher,
        data={
            "name": "mk-al-elsewhere 沐尘联盟",
            "founded_on": MONDAY,
            "lead_village": longyou_village,
            "kinds": ["culture"],
        },
    )
    # Events (会务): one with a programme item and an invitation of the person kept; another
    # whose guest's private link anyone holding it may open (public by design).
    xx_start = dt.datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)
    event_fields = {
        "kind": "conference",
        "starts_at": xx_start,
        "ends_at": xx_start + dt.timedelta(hours=6),
        "venue": "衢州国际大酒店",
        "capacity": 50,
    }
    xx_event = xiangxian_services.event_create(
        actor=dispatcher, data={**event_fields, "title": "mk-xx-event 乡贤大会"}
    )
    xx_item = xiangxian_services.programme_item_add(
        event=xx_event,
        actor=dispatcher,
        data={
            "starts_at": xx_start,
            "ends_at": xx_start + dt.timedelta(hours=1),
            "place": "宴会厅",
            "what": "mk-xx-item 欢迎晚宴",
        },
    )
    xx_invitation = xiangxian_services.invitations_send(
        event=xx_event, actor=dispatcher, xiangxian_ids=[xx_kept.pk]
    ).created[0]
    xx_open_event = xiangxian_services.event_create(
        actor=dispatcher, data={**event_fields, "title": "乡贤论坛"}
    )
    xx_guest = xiangxian_services.invitations_send(
        event=xx_open_event,
        actor=dispatcher,
        guests=[{"name": "mk-xx-guest 嘉宾", "phone": "13911112222"}],
    ).created[0]

    # The non-party archive (无党派人士): a person from 江山 (county staff see them) and one from
    # 柯城, a batch, an education entry, a liaison link of a cadre outside ``PEOPLE``.
    import datetime as _dt

    from nonparty import services as nonparty_services
    from nonparty.models import Education as NpEducation
    from nonparty.models import University as NpUniversity
    from nonparty.universities import load_universities

    load_universities()
    np_fields = {"gender": "female", "birth_date": _dt.date(1994, 3, 8), "field": "education"}
    np_own = nonparty_services.person_create(
        actor=dispatcher,
        data={**np_fields, "name": "mk-np-jiangshan 叶江山", "native_place": person_hometown},
    )
    np_elsewhere = nonparty_services.person_create(
        actor=dispatcher,
        data={
            **np_fields,
            "name": "mk-np-elsewhere 叶柯城",
            "native_place": Region.objects.get(code="330802000000"),
        },
    )
    np_education = nonparty_services.education_add(
        actor=dispatcher,
        person=np_own,
        data={
            "degree": "master",
            "full_time": True,
            "university": NpUniversity.objects.get(name="复旦大学"),
            "discipline": "mk-np-discipline",
        },
    )
    assert isinstance(np_education, NpEducation)
    np_batch = nonparty_services.batch_create(
        actor=dispatcher, name="mk-np-batch 第六批", recognised_on=_dt.date(2025, 6, 18)
    )
    nonparty_services.batch_add_people(actor=dispatcher, batch=np_batch, people=[np_own])
    np_cadre = UserFactory(role="liaison", name="傅联络")
    liaison = np_cadre
    np_link = nonparty_services.liaison_link(
        actor=dispatcher, person=np_own, cadre=np_cadre, starts_on=_dt.date(2025, 7, 1)
    )
    np_plan = nonparty_services.talk_plan_set(
        actor=dispatcher, year=2026, cadre=np_cadre, person=np_own, times=2
    )
    # The comprehensive evaluation: a recognised person of 江山 scored by that cadre and
    # submitted to the office.
    from decimal import Decimal as _Decimal

    np_scheme = nonparty_services.scheme_save(
        actor=dispatcher,
        year=2023,
        dimensions=[("政治表现", 40), ("履职建言", 60)],
        grades=[("优秀", _Decimal(90)), ("合格", _Decimal(0))],
    )
    np_evaluated = nonparty_services.person_create(
        actor=dispatcher,
        data={
            **np_fields,
            "name": "mk-np-evaluated 叶评价",
            "native_place": person_hometown,
            "status": "recognised",
        },
    )
    nonparty_services.liaison_link(
        actor=dispatcher, person=np_evaluated, cadre=np_cadre, starts_on=_dt.date(2023, 1, 1)
    )
    np_evaluation = nonparty_services.evaluation_save(
        actor=np_cadre,
        person=np_evaluated,
        year=2023,
        rows={
            d.pk: {"score": "88", "comment": "mk-np-evaluation 依据"}
            for d in np_scheme.dimensions.all()
        },
        comment="mk-np-evaluation 总评",
        submit=True,
    )

    # The associations (知联会): the city's, whose president is the liaison's person from 江山
    # (the office, leaders and that cadre read it), and 柯城's (the office's and leaders').
    from nonparty.services import associations as np_associations

    np_president = nonparty_services.person_create(
        actor=dispatcher,
        data={**np_fields, "name": "会长世界", "native_place": person_hometown},
    )
    nonparty_services.liaison_link(
        actor=dispatcher, person=np_president, cadre=np_cadre, starts_on=_dt.date(2025, 7, 1)
    )
    np_city = np_associations.association_create(
        actor=dispatcher,
        name="mk-np-association 市知联会",
        region=Region.objects.get(code="330800000000"),
        president=np_president,
    )
    np_member = np_associations.member_add(
        actor=dispatcher, association=np_city, person=np_elsewhere, joined_on=_dt.date(2024, 1, 1)
    )
    np_report = np_associations.report_create(
        actor=dispatcher,
        association=np_city,
        year=2025,
        data={"text": "mk-np-report 述职报告"},
    )
    np_issued = np_associations.report_open(
        actor=dispatcher, report=np_report, closes_on=SESSION_DAY + _dt.timedelta(days=30)
    )
    np_kecheng = np_associations.association_create(
        actor=dispatcher,
        name="mk-np-kecheng 柯城区知联会",
        region=Region.objects.get(code="330802000000"),
        president=np_elsewhere,
    )
    np_kecheng_report = np_associations.report_create(
        actor=dispatcher, association=np_kecheng, year=2025, data={"text": "mk-np-kc-report"}
    )

    # Grassroots units (基层统战): a township of 江山 (its county staff see it) and a park of 柯城
    # (the office only), a 2023 period computed from a township scheme (draft: the office may
    # send it to review).
    from grassroots.models import DutyItem as GrDutyItem
    from grassroots.models import DutyList as GrDutyList
    from grassroots.models import IndexScheme as GrScheme
    from grassroots.models import Indicator as GrIndicator
    from grassroots.models import Period as GrPeriod
    from grassroots.models import Unit as GrUnit
    from grassroots.services.index import period_compute

    gr_own = GrUnit.objects.create(
        domain="township", name="mk-gr-jiangshan 双塔街道", region=person_hometown
    )
    gr_elsewhere = GrUnit.objects.create(
        domain="township",
        name="mk-gr-kecheng 府山街道",
        region=Region.objects.get(code="330802000000"),
    )
    gr_list = GrDutyList.objects.create(domain="township", name="清单", year=2023)
    GrDutyItem.objects.create(duty_list=gr_list, title="例会", frequency="monthly")
    gr_scheme = GrScheme.objects.create(year=2023, domain="township")
    GrIndicator.objects.create(
        scheme=gr_scheme,
        code="duty",
        name="履职率",
        weight=1,
        rule="computed",
        metric="duty_on_time_share",
    )
    gr_period = GrPeriod.objects.create(
        key="2023",
        kind="year",
        year=2023,
        starts_on=_dt.date(2023, 1, 1),
        ends_on=_dt.date(2023, 12, 31),
    )
    period_compute(period=gr_period, actor=None)

    # Grassroots: a unit and a visit in 江山 (county staff's), a visit to 柯城, cases.
    from grassroots.models import Unit as GrUnit
    from grassroots.services import cases as gr_cases
    from grassroots.services import visits as gr_visits

    gr_unit_js = GrUnit.objects.create(
        domain="township", name="mk-gr-unit-js 双塔街道", region=person_hometown
    )
    gr_unit_kc = GrUnit.objects.create(
        domain="park", name="mk-gr-unit-kc 柯城园区", region=Region.objects.get(code="330802000000")
    )
    gr_visit_js = gr_visits.visit_record(
        actor=leader,
        county=person_hometown,
        visited_on=MONDAY,
        findings="mk-gr-visit-js 台账齐全",
        units=[gr_unit_js],
        follow_ups=[gr_visits.FollowUpInput("mk-gr-fu-js 补齐备案", county, 2)],
    )
    gr_visit_kc = gr_visits.visit_record(
        actor=leader,
        county=gr_unit_kc.county,
        visited_on=MONDAY,
        findings="mk-gr-visit-kc 园区座谈",
        units=[gr_unit_kc],
        follow_ups=[gr_visits.FollowUpInput("mk-gr-fu-kc 转办诉求", dispatcher, 2)],
    )
    gr_case_fields = {"domain": "township", "summary": "摘要", "body": "正文"}
    gr_case_js = gr_cases.case_create(
        actor=county,
        data={**gr_case_fields, "title": "mk-gr-case-js 共享食堂", "region": person_hometown},
        photos=[SimpleUploadedFile("photo.png", PNG, content_type="image/png")],
    )
    gr_case_kc = gr_cases.case_create(
        actor=dispatcher,
        data={**gr_case_fields, "title": "mk-gr-case-kc 服务圈", "region": gr_unit_kc.county},
    )
    gr_case_pub = gr_cases.case_create(
        actor=county,
        data={**gr_case_fields, "title": "mk-gr-case-pub 服务巴士", "region": person_hometown},
        photos=[SimpleUploadedFile("bus.png", PNG, content_type="image/png")],
    )
    gr_cases.case_step(actor=county, case=gr_case_pub, step="recommend")
    gr_cases.case_step(actor=dispatcher, case=gr_case_pub, step="publish")

    people = {
        "entrepreneur": entrepreneur,
        "pending": pending,
        "dispatcher": dispatcher,
        "handler": handler,
        "head": head,
        "leader": leader,
        "admin": admin,
        "county": county,
        "village": village,
        "liaison": liaison,
    }
    sees_a = STAFF | DEPARTMENT | {"entrepreneur"}
    appeal_a_scope = STAFF | DEPARTMENT | {"entrepreneur"}
    session1_scope = STAFF | {"entrepreneur"}

    def appeal_obj(name, appeal, scope):
        return Obj(name, {"pk": appeal.pk}, scope, {"appeal": appeal.pk})

    def attachment_obj(name, appeal, scope):
        attachment = appeal.attachments.get()
        return Obj(name, {"pk": appeal.pk, "attachment_pk": attachment.pk}, scope)

    memberships = {m.user_id: m for m in a.memberships.all()} | {
        m.user_id: m for m in b.memberships.all()
    }
    notification_other = Notification.objects.filter(recipient=handler2).first()
    notification_own = Notification.objects.filter(recipient=handler).first()
    objects = {
        "appeal": [
            appeal_obj("own appeal (A, department 1)", appeal_a, appeal_a_scope),
            appeal_obj("other enterprise and department (B, 2)", appeal_b, STAFF),
            appeal_obj("own enterprise, not routed", appeal_new, STAFF | {"entrepreneur"}),
        ],
        "attachment": [
            attachment_obj("own appeal's file", appeal_a, appeal_a_scope),
            attachment_obj("other enterprise's file", appeal_b, STAFF),
        ],
        "enterprise": [
            Obj("own enterprise A", {"pk": a.pk}, sees_a),
            Obj("other enterprise B", {"pk": b.pk}, STAFF | DEPARTMENT),
        ],
        "membership": [
            Obj(
                "pending membership (own for pending)",
                {"pk": memberships[pending.pk].pk},
                STAFF | {"pending"},
            ),
            Obj("other enterprise's membership", {"pk": memberships[other.pk].pk}, STAFF),
        ],
        "session": [
            Obj("session 1 (entrepreneur invited)", {"pk": session1.pk}, session1_scope),
            Obj("session 2 (only B invited)", {"pk": session2.pk}, STAFF),
        ],
        "expert": [
            Obj(
                "expert of session 1",
                {"pk": session1.pk, "expert_pk": session1.experts.get().pk},
                session1_scope,
            ),
            Obj(
                "expert of session 2",
                {"pk": session2.pk, "expert_pk": session2.experts.get().pk},
                STAFF,
            ),
        ],
        "celebration": [
            Obj("own enterprise's request (A)", {"pk": cel_a.pk}, STAFF | {"entrepreneur"}),
            Obj(
                "other enterprise's approved (B)", {"pk": cel_b.pk}, STAFF | DEPARTMENT | {"county"}
            ),
        ],
        # Public: a kiosk and the image of an approved celebration on it; nothing else.
        "screen": [Obj("screen", {"slug": hall.slug}, frozenset(PEOPLE))],
        "screen_image": [
            Obj("approved image", {"slug": hall.slug, "pk": cel_b.pk}, frozenset(PEOPLE)),
            Obj("requested image", {"slug": hall.slug, "pk": cel_a.pk}, frozenset()),
        ],
        "department": [Obj("department 1", {"pk": dept1.pk}, SIGNED_IN)],
        "category": [Obj("category", {"pk": category().pk}, SIGNED_IN)],
        "export_job": [
            Obj("own export (handler)", {"pk": own_job.pk}, {"handler"}),
            Obj("the leader's export", {"pk": leader_job.pk}, {"leader"}),
        ],
        "import_job": [
            Obj("own import (dispatcher)", {"pk": own_import.pk}, {"dispatcher"}),
            Obj("the admin's import", {"pk": admin_import.pk}, {"admin"}),
        ],
        "import_kind": [
            Obj(
                "enterprise directory",
                {"kind": "enterprises.directory"},
                SIGNED_IN - {"county", "village"},
            ),
            # County staff import their county's people (a row from elsewhere is rejected).
            Obj("xiangxian people", {"kind": "xiangxian.people"}, SIGNED_IN - {"village"}),
            # A village's reporter imports its figures, county staff their villages'.
            Obj(
                "alliances' village figures",
                {"kind": "alliances.reports"},
                frozenset({"county", "village", "admin"}),
            ),
        ],
        "portal_attachment": [
            Obj("generic file on appeal A", {"pk": generic_on_appeal_a.pk}, appeal_a_scope),
            Obj("generic file on the handler's export", {"pk": generic_on_own_job.pk}, {"handler"}),
            Obj("generic file on a contribution", {"pk": generic_on_contribution.pk}, REGISTRY),
        ],
        "xiangxian": [
            Obj("a current record", {"pk": xx_kept.pk}, REGISTRY),
            Obj("a person from another county", {"pk": xx_elsewhere.pk}, STAFF),
            Obj("a record merged away", {"pk": xx_repeat.pk}, frozenset()),
        ],
        "xiangxian_merge": [Obj("a merge", {"pk": xx_merge.pk}, REGISTRY)],
        "saved_search": [Obj("the dispatcher's shared search", {"pk": xx_search.pk}, REGISTRY)],
        "service_record": [Obj("a service record", {"pk": xx_service.pk}, REGISTRY)],
        "contribution": [Obj("a contribution", {"pk": xx_contribution.pk}, REGISTRY)],
        "association": [Obj("an association", {"pk": xx_club.pk}, REGISTRY)],
        "association_membership": [Obj("a membership", {"pk": xx_membership.pk}, REGISTRY)],
        "xx_event": [Obj("an event", {"pk": xx_event.pk}, REGISTRY)],
        "xx_programme_item": [Obj("a programme item", {"pk": xx_item.pk}, REGISTRY)],
        "xx_invitation": [Obj("an invitation", {"pk": xx_invitation.pk}, REGISTRY)],
        "alliance": [
            Obj("an alliance of the reporter's village", {"pk": al_own.pk}, AL_READERS),
            Obj("an alliance of another county", {"pk": al_elsewhere.pk}, STAFF),
        ],
        "al_membership": [
            Obj("a member of the own alliance", {"pk": al_own.memberships.get().pk}, AL_READERS),
            Obj("a member elsewhere", {"pk": al_elsewhere.memberships.get().pk}, STAFF),
        ],
        "xx_private_link": [
            Obj("a guest's private link", {"token": xx_guest.token}, frozenset(PEOPLE)),
            Obj("a token that is no one's", {"token": "no-such-token"}, frozenset()),
        ],
        "np_person": [
            Obj("a person from 江山", {"pk": np_own.pk}, NP_READERS),
            Obj("a person from another county", {"pk": np_elsewhere.pk}, STAFF),
        ],
        "np_growth": [
            Obj(f"a person, {kind}", {"pk": np_own.pk, "kind": kind}, NP_READERS)
            for kind in ("training", "proposal")
        ],
        "np_education": [Obj("an education entry", {"pk": np_education.pk}, NP_READERS)],
        "np_liaison": [Obj("a liaison link", {"pk": np_link.pk}, NP_READERS)],
        "np_batch": [Obj("a batch", {"pk": np_batch.pk}, NP_READERS)],
        "np_talk_plan": [Obj("a talk plan", {"pk": np_plan.pk}, NP_READERS)],
        "np_evaluation": [Obj("a submitted evaluation", {"pk": np_evaluation.pk}, NP_READERS)],
        "np_person_year": [
            Obj("a person's 2023 scoring form", {"pk": np_evaluated.pk, "year": 2023}, NP_READERS),
            Obj("another county's person's form", {"pk": np_elsewhere.pk, "year": 2023}, STAFF),
        ],
        "np_association": [
            Obj("the city association (the liaison's president)", {"pk": np_city.pk}, NP_OFFICE),
            Obj("柯城's association", {"pk": np_kecheng.pk}, STAFF),
        ],
        "np_association_member": [
            Obj("a member of the city association", {"pk": np_member.pk}, NP_OFFICE)
        ],
        "np_report": [
            Obj("the city's report (open)", {"pk": np_report.pk}, NP_OFFICE),
            Obj("柯城's report (draft)", {"pk": np_kecheng_report.pk}, STAFF),
        ],
        "np_review_link": [
            Obj("a member's link", {"pk": np_report.links.get().pk}, NP_OFFICE),
        ],
        # The member's page: no sign-in, the token is the key (anyone holding it).
        "np_review_token": [
            Obj("a member's review token", {"token": np_issued[0].token}, frozenset(PEOPLE)),
            Obj("a token that is no one's", {"token": "no-such-token"}, frozenset()),
        ],
        "gr_unit": [
            Obj("a unit of 江山", {"pk": gr_own.pk}, GR_READERS),
            Obj("a unit of another county", {"pk": gr_elsewhere.pk}, STAFF),
        ],
        "gr_period": [Obj("an index period", {"key": gr_period.key}, GR_READERS)],
        "gr_period_action": [
            Obj("send the period to review", {"key": gr_period.key, "action": "review"}, GR_READERS)
        ],
        "gr_unit_score": [
            Obj("the scores of a unit of 江山", {"key": "2023", "pk": gr_own.pk}, GR_READERS),
            Obj(
                "the scores of another county's unit", {"key": "2023", "pk": gr_elsewhere.pk}, STAFF
            ),
        ],
        "al_report": [
            Obj("the reporter's own village's report", {"pk": al_report_own.pk}, AL_SEEN),
            Obj("a report of another county's village", {"pk": al_report_other.pk}, STAFF),
        ],
        "al_report_submit": [
            Obj(
                "submit the own village's report",
                {"pk": al_report_own.pk, "action": "submit"},
                AL_SEEN,
            ),
            Obj(
                "submit another county's report",
                {"pk": al_report_other.pk, "action": "submit"},
                STAFF,
            ),
        ],
        "gr_visit": [
            Obj("a visit to 江山 (the leader's)", {"pk": gr_visit_js.pk}, GR_READERS),
            Obj("a visit to 柯城", {"pk": gr_visit_kc.pk}, STAFF),
        ],
        "gr_follow_up": [
            Obj("the county's item", {"pk": gr_visit_js.follow_ups.get().pk}, GR_READERS),
            Obj("an item of 柯城's visit", {"pk": gr_visit_kc.follow_ups.get().pk}, STAFF),
        ],
        "gr_case": [
            Obj("a published case", {"pk": gr_case_pub.pk}, GR_CASE_READERS),
            Obj("a draft of 江山", {"pk": gr_case_js.pk}, GR_READERS),
            Obj("a draft of 柯城", {"pk": gr_case_kc.pk}, STAFF),
        ],
        "gr_case_draft": [
            Obj("a draft of 江山", {"pk": gr_case_js.pk}, GR_READERS),
            Obj("a draft of 柯城", {"pk": gr_case_kc.pk}, STAFF),
        ],
        "gr_case_action": [
            Obj(f"{step} a draft of 江山", {"pk": gr_case_js.pk, "action": step}, GR_READERS)
            for step in ("recommend", "publish")
        ]
        + [Obj("recommend a draft of 柯城", {"pk": gr_case_kc.pk, "action": "recommend"}, STAFF)],
        "gr_case_photo": [
            Obj(
                "a photo of the published case",
                {"pk": gr_case_pub.pk, "photo_pk": gr_case_pub.photos.get().pk},
                GR_CASE_READERS,
            ),
            Obj(
                "a photo of 江山's draft",
                {"pk": gr_case_js.pk, "photo_pk": gr_case_js.photos.get().pk},
                GR_READERS,
            ),
        ],
        "notification": [
            Obj("own notification (handler)", {"id": notification_own.pk}, {"handler"}),
            Obj("someone else's notification", {"id": notification_other.pk}, frozenset()),
        ],
    }
    markers = {
        "mk-import-own": {"dispatcher"},
        "mk-import-cell": {"dispatcher"},
        "mk-import-admin": {"admin"},
        "mk-gr-jiangshan": GR_READERS,
        "mk-gr-kecheng": STAFF,
        "mk-ent-a": sees_a | {"pending"},  # the applicant named the enterprise himself
        # B's approved light-up day is public: whoever sees it sees B's name.
        "mk-ent-b": STAFF | DEPARTMENT | {"county"},
        appeal_a.number: appeal_a_scope,
        "mk-appeal-a": appeal_a_scope,
        appeal_b.number: STAFF,
        "mk-appeal-b": STAFF,
        appeal_new.number: STAFF | {"entrepreneur"},
        "mk-appeal-new": STAFF | {"entrepreneur"},
        need_b.number: STAFF,
        "mk-appeal-need-b": STAFF,
        "mk-instruction-b": STAFF,
        "mk-session-1": session1_scope,
        "mk-session-2": STAFF,
        "mk-expert-1": session1_scope,
        "mk-expert-2": STAFF,
        "mk-cel-a": STAFF | {"entrepreneur"},
        "mk-cel-b": STAFF | DEPARTMENT | {"county"},
        "mk-generic-appeal-a": appeal_a_scope,
        "mk-generic-job": {"handler"},
        "mk-al-report-other": STAFF,
        "mk-xx-kept": REGISTRY,
        "mk-xx-elsewhere": STAFF,
        "mk-xx-search": REGISTRY,
        "mk-xx-service": REGISTRY,
        "mk-xx-contribution": REGISTRY,
        "mk-generic-contribution": REGISTRY,
        "mk-xx-association": REGISTRY,
        "mk-xx-event": REGISTRY,
        "mk-xx-item": REGISTRY,
        "mk-al-own": AL_READERS,
        "mk-al-elsewhere": STAFF,
        "mk-np-jiangshan": NP_READERS,
        # The association's report is read by whoever holds a member's link, by design.
        "mk-np-report": frozenset(PEOPLE),
        "mk-np-association": frozenset(PEOPLE),
        "mk-np-kecheng": STAFF,
        "mk-np-kc-report": STAFF,
        "mk-np-elsewhere": STAFF,
        "mk-np-discipline": NP_READERS,
        "mk-np-evaluated": NP_READERS,
        "mk-np-evaluation": NP_READERS,
        "mk-gr-unit-js": GR_READERS,
        "mk-gr-unit-kc": STAFF,
        "mk-gr-visit-js": GR_READERS,
        "mk-gr-visit-kc": STAFF,
        "mk-gr-fu-js": GR_READERS,
        "mk-gr-fu-kc": STAFF,
        "mk-gr-case-js": GR_READERS,
        "mk-gr-case-kc": STAFF,
        "mk-gr-case-pub": GR_CASE_READERS,
        # Whoever holds the guest's link reads the guest's own page (anyone, by design).
        "mk-xx-guest": frozenset(PEOPLE),
    }
    return World(
        people=people,
        objects=objects,
        markers=markers,
        extra={
            "a": a,
            "b": b,
            "other": other,
            "handler2": handler2,
            "dept1": dept1,
            "dept2": dept2,
            "appeal_a": appeal_a,
            "appeal_b": appeal_b,
            "appeal_new": appeal_new,
            "need_b": need_b,
            "session1": session1,
            "session2": session2,
            "cel_a": cel_a,
            "cel_b": cel_b,
            "hall": hall,
            "notification_other": notification_other,
        },
    )
