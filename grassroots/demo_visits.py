"""The supervision visits and typical cases of ``seed_demo`` (seeder ``grassroots_visits``).

Each of the six counties has a leader tied to it (``leader`` for 江山, ``leader2``…``leader6``
for the others, created here); each leader visits their county about weekly for a year, some
weeks missed and some counties not yet this week; a visit has follow-up items, most closed,
some open and a few overdue. The article's typical cases (新乡贤助力共享食堂, 1241基层统战服务
巴士, 15分钟社区统战服务圈, 至少请一贤) and a few more, most published. Idempotent: a leader
with visits gets no more; cases are found by title."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from grassroots.models import (
    CaseReference,
    CaseStatus,
    Domain,
    FollowUp,
    LeaderTie,
    TypicalCase,
    Unit,
    Visit,
)
from portal import registry
from portal.models import Region, Role, User
from portal.workdays import add_working_days

SEED = 1807
# county code → the leader tied to it: username, name, mobile (``leader`` exists already).
LEADERS = {
    "330881000000": ("leader", None, None),
    "330802000000": ("leader2", "陈副部长", "13905700021"),
    "330803000000": ("leader3", "吴副部长", "13905700022"),
    "330822000000": ("leader4", "刘副部长", "13905700023"),
    "330824000000": ("leader5", "杨副部长", "13905700024"),
    "330825000000": ("leader6", "黄副部长", "13905700025"),
}
# Counties not yet visited this week (so the home panels have something to show).
NOT_YET_THIS_WEEK = {"330803000000", "330824000000"}

FINDINGS = [
    "统战工作站阵地建设规范，活动台账齐全；新乡贤参与乡村治理的渠道还需拓宽。",
    "“一图一表一规程”已上墙，职责清单落实较好；部分村社统战联络员调整后未及时备案。",
    "园区民营企业家座谈反映用工、融资问题，已梳理为诉求清单；非公党建与统战融合有亮点。",
    "楼宇统战服务站运转正常，新的社会阶层人士参与度较高；活动经费保障需进一步明确。",
    "社会组织统战工作覆盖面不足，民族宗教工作台账需补齐；基层统战指数自评偏高。",
]
FOLLOW_UPS = [
    "补齐统战联络员备案信息",
    "梳理企业用工融资诉求并转办",
    "完善新乡贤议事会章程",
    "明确楼宇服务站活动经费",
    "补充民族宗教工作台账",
    "组织一次无党派人士座谈",
]

CASES = [
    # title, domain, county, summary, body, tags, status
    (
        "新乡贤助力共享食堂",
        Domain.TOWNSHIP,
        "330881000000",
        "新乡贤捐资出力，在村里办起老人共享食堂，解决留守老人吃饭难。",
        "江山市依托新乡贤联谊会，动员在外乡贤捐资捐物、回乡出力，"
        "在多个行政村建成共享食堂，实行“乡贤助一点、村集体补一点、老人出一点”的运营模式，"
        "每天为八十岁以上老人提供午餐。乡贤还担任食堂监督员，定期公开账目。",
        ["新乡贤", "共同富裕", "养老"],
        CaseStatus.PUBLISHED,
    ),
    (
        "1241基层统战服务巴士",
        Domain.TOWNSHIP,
        "330881000000",
        "“1241”体系下，统战服务巴士开进乡镇村社，把政策和服务送到家门口。",
        "江山市以“1241”基层统战工作体系为抓手，组建统战服务巴士，"
        "整合民主党派、无党派人士、新的社会阶层人士和新乡贤等力量，"
        "定期开进乡镇、村社和园区，开展政策宣讲、法律咨询、义诊和助企服务。",
        ["1241", "服务下沉"],
        CaseStatus.PUBLISHED,
    ),
    (
        "15分钟社区统战服务圈",
        Domain.COMMUNITY,
        "330802000000",
        "以社区为单元，整合统战资源，让群众步行15分钟就能找到统战服务。",
        "柯城区在城市社区推行“15分钟社区统战服务圈”，在社区党群服务中心设立统战工作站，"
        "联动周边楼宇、商圈和社会组织，建立统战成员服务清单，"
        "开展同心议事、同心帮扶和同心志愿服务。",
        ["社区", "同心", "服务圈"],
        CaseStatus.PUBLISHED,
    ),
    (
        "至少请一贤",
        Domain.TOWNSHIP,
        "330822000000",
        "每个村至少请回一位新乡贤参与村级事务，凝聚乡村振兴合力。",
        "常山县推行“至少请一贤”行动，每个行政村至少联系一名新乡贤，"
        "通过乡贤理事会、乡贤议事日等载体参与村庄规划、产业发展和矛盾调解，"
        "胡柚产业的品牌打造中，乡贤带回了市场和技术。",
        ["新乡贤", "乡村振兴"],
        CaseStatus.PUBLISHED,
    ),
    (
        "楼宇统战“同心驿站”",
        Domain.BUILDING,
        "330802000000",
        "在商务楼宇设立同心驿站，联系服务新的社会阶层人士。",
        "衢州总部经济大楼设立同心驿站，为楼宇内的律师、会计师、"
        "互联网从业人员等新的社会阶层人士提供学习交流、政策咨询和公益活动平台。",
        ["新的社会阶层", "楼宇"],
        CaseStatus.PUBLISHED,
    ),
    (
        "园区民营企业家“亲清茶叙”",
        Domain.PARK,
        "330825000000",
        "园区每月一次茶叙，企业家与部门面对面，问题当场交办。",
        "龙游经济开发区每月举办“亲清茶叙”，邀请园区民营企业家与相关部门负责人面对面交流，"
        "现场收集的问题纳入企呼我应闭环办理。",
        ["亲清", "民营经济"],
        CaseStatus.RECOMMENDED,
    ),
    (
        "根雕艺术协会的同心工坊",
        Domain.SOCIAL_ORG,
        "330824000000",
        "社会组织办起同心工坊，带动山区群众学手艺、增收入。",
        "开化县根雕艺术协会联合统战部门开设同心工坊，组织无党派人士和新乡贤中的手艺人授课，"
        "带动周边群众就业。",
        ["社会组织", "共同富裕"],
        CaseStatus.DRAFT,
    ),
]


def ensure_leaders(context: dict) -> dict[str, User]:
    by_county = {}
    for code, (username, name, mobile) in LEADERS.items():
        user = User.objects.filter(username=username).first()
        if user is None or name is not None:
            user = user or User(username=username)
            user.name, user.role, user.mobile = name, Role.LEADER, mobile
            user.set_password(context["password"])
            user.save()
        by_county[code] = user
    context.setdefault("users", {}).update({u.username: u for u in by_county.values()})
    return by_county


def ensure_ties(by_county: dict[str, User], start: dt.date) -> None:
    for code, leader in by_county.items():
        county = Region.objects.get(code=code)
        if not LeaderTie.objects.filter(leader=leader, ends_on__isnull=True).exists():
            LeaderTie.objects.create(leader=leader, county=county, starts_on=start)


def _owners(county: Region) -> list[User]:
    owners = list(
        User.objects.filter(role=Role.COUNTY_STAFF, role_grants__region=county).distinct()
    )
    owners += [
        unit.in_charge for unit in Unit.objects.filter(county=county, in_charge__isnull=False)
    ]
    return owners or list(User.objects.filter(username="dispatcher"))


@transaction.atomic
def ensure_visits(by_county: dict[str, User], today: dt.date) -> int:
    rng = random.Random(SEED)
    monday = today - dt.timedelta(days=today.isoweekday() - 1)
    created = 0
    for code, leader in by_county.items():
        if Visit.objects.filter(leader=leader).exists():
            continue
        county = Region.objects.get(code=code)
        units = list(Unit.objects.filter(county=county))
        owners = _owners(county)
        for week in range(52, -1, -1):
            if week == 0 and code in NOT_YET_THIS_WEEK:
                continue
            if week and rng.random() < 0.15:  # a missed week
                continue
            day = monday - dt.timedelta(weeks=week) + dt.timedelta(days=rng.randint(0, 4))
            if day > today:
                day = today
            visit = Visit.objects.create(
                leader=leader,
                county=county,
                visited_on=day,
                findings=rng.choice(FINDINGS),
                recorded_by=leader,
            )
            visit.units.set(rng.sample(units, k=min(len(units), rng.randint(1, 3))))
            for title in rng.sample(FOLLOW_UPS, k=rng.randint(0, 2)):
                days = rng.choice((3, 5, 10))
                due = add_working_days(day, days)
                item = FollowUp(
                    visit=visit,
                    title=title,
                    owner=rng.choice(owners),
                    due_in_days=days,
                    due_on=due,
                )
                # Most old items were closed in time; a few were left open and are overdue.
                if due < today and rng.random() < 0.85:
                    item.closed_at = timezone.make_aware(
                        dt.datetime.combine(min(due, today), dt.time(17, 0))
                    )
                    item.closed_by = item.owner
                    item.close_note = "已整改到位，材料已归档。"
                item.save()
            created += 1
    return created


def _known_people(kind: str, count: int) -> list[int]:
    """A few ids of another app's people, asked through the portal's reference hook."""
    provider = registry.reference_kind(kind)
    if provider is None:
        return []
    return sorted(provider.labels(range(1, 200)))[:count]


@transaction.atomic
def ensure_cases(dispatcher: User) -> int:
    created = 0
    xiangxian = _known_people("xiangxian.person", 3)
    nonparty = _known_people("nonparty.person", 2)
    now = timezone.now()
    for n, (title, domain, code, summary, body, tags, status) in enumerate(CASES):
        if TypicalCase.objects.filter(title=title).exists():
            continue
        county = Region.objects.get(code=code)
        case = TypicalCase.objects.create(
            title=title,
            domain=domain,
            region=county,
            summary=summary,
            body=body,
            tags=tags,
            status=status,
            created_by=dispatcher,
            recommended_at=now if status != CaseStatus.DRAFT else None,
            published_at=now - dt.timedelta(days=30 * n)
            if status == CaseStatus.PUBLISHED
            else None,
            published_by=dispatcher if status == CaseStatus.PUBLISHED else None,
        )
        case.units.set(Unit.objects.filter(county=county, domain=domain)[:2])
        refs = []
        if "新乡贤" in tags and xiangxian:
            refs.append(("xiangxian.person", xiangxian[n % len(xiangxian)]))
        if n in (1, 4) and nonparty:
            refs.append(("nonparty.person", nonparty[n % len(nonparty)]))
        CaseReference.objects.bulk_create(
            CaseReference(case=case, kind=kind, ref_id=ref_id) for kind, ref_id in refs
        )
        created += 1
    return created


def seed(context: dict) -> dict:
    today = timezone.localdate()
    by_county = ensure_leaders(context)
    ensure_ties(by_county, today - dt.timedelta(days=400))
    visits = ensure_visits(by_county, today)
    cases = ensure_cases(context["users"]["dispatcher"])
    return {
        "summary": [
            f"leaders tied to the six counties (leader, leader2…leader6), {visits} new visits, "
            f"{cases} new typical cases"
        ]
    }
