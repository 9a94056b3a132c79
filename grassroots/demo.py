"""The app's part of ``seed_demo``: the unit leads ``unitlead1`` and ``unitlead2``, a few
dozen units in the six domains across Quzhou's six counties, 江山's 1241 duty list for its
townships and a city-wide list per domain (the items are the demo's, plausible, not an official
text), duty records since 2023 (some missing, so some duties are overdue), the index schemes of
2023 and 2024 (2024 with other weights) and their periods: 2023 locked, 2024 in county review.
Idempotent: rows are found by their natural keys; records and periods are made once."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from grassroots.models import (
    Domain,
    DutyItem,
    DutyList,
    DutyRecord,
    Frequency,
    IndexScheme,
    Indicator,
    Period,
    PeriodStatus,
    RuleKind,
    Unit,
    item_periods,
)
from portal.models import Region, Role, User

# county code → units per domain (the names are the demo's, after real places of each county).
UNITS = {
    "330881000000": {  # 江山市
        Domain.TOWNSHIP: ["双塔街道", "贺村镇", "峡口镇", "大陈乡"],
        Domain.COMMUNITY: ["城北社区", "鹿溪社区"],
        Domain.PARK: ["江山经济开发区"],
        Domain.STATE_ENTERPRISE: ["江山市城投集团"],
        Domain.BUILDING: ["江山商会大厦"],
        Domain.SOCIAL_ORG: ["江山市新乡贤联谊会"],
    },
    "330802000000": {  # 柯城区
        Domain.TOWNSHIP: ["府山街道", "航埠镇"],
        Domain.COMMUNITY: ["坊门街社区"],
        Domain.PARK: ["柯城科技产业园"],
        Domain.BUILDING: ["衢州总部经济大楼"],
        Domain.SOCIAL_ORG: ["柯城区民营企业家协会"],
    },
    "330803000000": {  # 衢江区
        Domain.TOWNSHIP: ["樟潭街道", "莲花镇"],
        Domain.COMMUNITY: ["樟树潭社区"],
        Domain.PARK: ["衢江经济开发区"],
        Domain.STATE_ENTERPRISE: ["衢江区国有资产经营公司"],
    },
    "330822000000": {  # 常山县
        Domain.TOWNSHIP: ["天马街道", "球川镇"],
        Domain.COMMUNITY: ["东门社区"],
        Domain.STATE_ENTERPRISE: ["常山县交通投资集团"],
        Domain.SOCIAL_ORG: ["常山县胡柚产业协会"],
    },
    "330824000000": {  # 开化县
        Domain.TOWNSHIP: ["芹阳办事处", "华埠镇"],
        Domain.COMMUNITY: ["城关社区"],
        Domain.PARK: ["开化生态工业园"],
        Domain.SOCIAL_ORG: ["开化县根雕艺术协会"],
    },
    "330825000000": {  # 龙游县
        Domain.TOWNSHIP: ["龙洲街道", "湖镇镇"],
        Domain.COMMUNITY: ["西门社区"],
        Domain.PARK: ["龙游经济开发区"],
        Domain.BUILDING: ["龙游商贸中心"],
        Domain.STATE_ENTERPRISE: ["龙游县城市建设投资集团"],
    },
}

LEADS = [
    # username, name, mobile, the units they are in charge of (江山's)
    ("unitlead1", "祝建平", "13905700011", ["双塔街道", "城北社区"]),
    ("unitlead2", "姜丽萍", "13905700012", ["贺村镇"]),
]

CONTACTS = ["周", "徐", "毛", "汪", "姜", "祝", "郑", "余"]


def ensure_leads(context: dict) -> dict[str, User]:
    """``unitlead1`` and ``unitlead2`` (password reset each run)."""
    leads = {}
    for username, name, mobile, _units in LEADS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.name, user.role, user.mobile = name, Role.UNIT_LEAD, mobile
        user.set_password(context["password"])
        user.save()
        leads[username] = user
    context.setdefault("users", {}).update(leads)
    return leads


def ensure_units(leads: dict[str, User]) -> list[Unit]:
    in_charge = {name: leads[username] for username, _n, _m, names in LEADS for name in names}
    units, counter = [], 0
    for code, domains in UNITS.items():
        county = Region.objects.get(code=code)
        for domain, names in domains.items():
            for name in names:
                counter += 1
                unit = Unit.objects.filter(county=county, domain=domain, name=name).first()
                if unit is None:
                    unit = Unit(
                        county=county,
                        region=county,
                        domain=domain,
                        name=name,
                        contact_name=CONTACTS[counter % len(CONTACTS)] + "主任",
                        contact_phone=f"1390570{1000 + counter:04d}",
                    )
                unit.in_charge = in_charge.get(name, unit.in_charge)
                unit.save()
                units.append(unit)
    return units


JIANGSHAN_1241 = [
    # 一图一表一规程 of 江山's 1241 system, for townships and their villages (the demo's items)
    ("每月召开统战工作例会", Frequency.MONTHLY, "会议纪要、签到表"),
    ("每月更新统战对象一张图信息", Frequency.MONTHLY, "一张图截图或更新清单"),
    ("每季度走访联系党外代表人士", Frequency.QUARTERLY, "走访记录表、照片"),
    ("每季度开展民族宗教领域矛盾排查", Frequency.QUARTERLY, "排查台账"),
    ("每季度召开新乡贤座谈会", Frequency.QUARTERLY, "会议纪要、照片"),
    ("每年开展新乡贤助力活动", Frequency.YEARLY, "活动方案、总结、照片"),
    ("每年培训村级统战联络员", Frequency.YEARLY, "培训通知、签到表"),
]
CITY_LIST = [
    ("每月召开统战工作例会", Frequency.MONTHLY, "会议纪要"),
    ("每季度走访联系党外代表人士", Frequency.QUARTERLY, "走访记录表"),
    ("每年报送基层统战工作总结", Frequency.YEARLY, "工作总结"),
]

# year → indicators (code, name, weight, rule, metric, points per unit); townships also read
# the appeals their enterprises had closed on time.
SCHEMES = {
    2023: [
        ("duty", "职责清单按期履职率", "50", RuleKind.COMPUTED, "duty_on_time_share", "100"),
        ("cases", "典型案例", "10", RuleKind.COMPUTED, "typical_case_count", "25"),
        ("review", "县级评审", "40", RuleKind.SCORED, "", "100"),
    ],
    2024: [
        ("duty", "职责清单按期履职率", "40", RuleKind.COMPUTED, "duty_on_time_share", "100"),
        ("cases", "典型案例", "20", RuleKind.COMPUTED, "typical_case_count", "25"),
        ("review", "县级评审", "40", RuleKind.SCORED, "", "100"),
    ],
}
TOWNSHIP_APPEALS = (
    "appeals",
    "企业诉求按期办结",
    "10",
    RuleKind.COMPUTED,
    "appeals_closed_on_time",
    "10",
)


def ensure_duty_lists() -> list[DutyList]:
    jiangshan = Region.objects.get(code="330881000000")
    lists = []
    specs = [(Domain.TOWNSHIP, jiangshan, "江山市“1241”一图一表一规程（乡镇/村）", JIANGSHAN_1241)]
    specs += [
        (domain, None, f"{label}统战工作职责清单", CITY_LIST) for domain, label in Domain.choices
    ]
    for domain, county, name, items in specs:
        duty_list, created = DutyList.objects.get_or_create(
            domain=domain, county=county, active=True, defaults={"name": name, "year": 2023}
        )
        if created:
            DutyItem.objects.bulk_create(
                DutyItem(duty_list=duty_list, title=t, frequency=f, evidence_required=e, order=i)
                for i, (t, f, e) in enumerate(items, start=1)
            )
        lists.append(duty_list)
    return lists


def ensure_records(units: list[Unit], recorder: User | None, today: dt.date) -> int:
    """Since 2023, most item periods done (a lead's own units less diligently lately)."""
    if DutyRecord.objects.filter(unit__in=units).exists():
        return 0
    from grassroots.selectors.duties import duty_lists_by_unit

    rng = random.Random(18)
    lists = duty_lists_by_unit(units)
    rows = []
    for unit in units:
        diligence = rng.uniform(0.6, 0.98)
        duty_list = lists[unit.pk]
        for item in duty_list.items.all() if duty_list else []:
            for first, last in item_periods(item.frequency, dt.date(2023, 1, 1), today):
                recent = last >= today - dt.timedelta(days=62)
                if rng.random() > (0.5 if recent and unit.in_charge_id else diligence):
                    continue
                day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
                rows.append(
                    DutyRecord(
                        unit=unit,
                        item=item,
                        done_on=min(day, today),
                        what=f"{unit.name}：{item.title}（{first:%Y-%m}）",
                        recorded_by=unit.in_charge or recorder,
                    )
                )
    DutyRecord.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def ensure_schemes() -> None:
    for year, indicators in SCHEMES.items():
        for domain in Domain.values:
            scheme, created = IndexScheme.objects.get_or_create(
                year=year, domain=domain, version=1, defaults={"note": f"{year}年度基层统战指数"}
            )
            if not created:
                continue
            rows = list(indicators) + ([TOWNSHIP_APPEALS] if domain == Domain.TOWNSHIP else [])
            Indicator.objects.bulk_create(
                Indicator(
                    scheme=scheme,
                    code=code,
                    name=name,
                    weight=Decimal(weight),
                    rule=rule,
                    metric=metric,
                    points_per_unit=Decimal(points),
                    order=order,
                )
                for order, (code, name, weight, rule, metric, points) in enumerate(rows, start=1)
            )


def ensure_periods(units: list[Unit], office: User, county_staff: User | None) -> list[Period]:
    from grassroots.services.index import period_compute, period_step, score_set

    rng = random.Random(2023)
    made = []
    for year, target in ((2023, PeriodStatus.LOCKED), (2024, PeriodStatus.REVIEW)):
        period, created = Period.objects.get_or_create(
            key=str(year),
            defaults={
                "kind": "year",
                "year": year,
                "starts_on": dt.date(year, 1, 1),
                "ends_on": dt.date(year, 12, 31),
            },
        )
        made.append(period.pk)
        if not created:
            continue
        period_compute(period=period, actor=office)
        period_step(period=period, action="review", actor=office)
        for unit in units:
            if target == PeriodStatus.REVIEW and unit.county.code != "330881000000":
                continue  # 2024: only 江山 has reviewed so far
            review = Indicator.objects.get(
                scheme__year=year, scheme__domain=unit.domain, code="review"
            )
            reviewer = (
                county_staff if county_staff and unit.county.code == "330881000000" else office
            )
            score_set(
                period=period,
                unit=unit,
                indicator_id=review.pk,
                score=Decimal(rng.choice([70, 75, 80, 80, 85, 90, 95])),
                evidence="县级评审：查阅台账、现场察看",
                actor=reviewer,
            )
        if target == PeriodStatus.LOCKED:
            period_step(period=period, action="submit", actor=office)
            period_step(period=period, action="lock", actor=office)
    return list(Period.objects.filter(pk__in=made).order_by("starts_on"))


def seed(context: dict) -> dict:
    leads = ensure_leads(context)
    units = ensure_units(leads)
    lists = ensure_duty_lists()
    users = context.get("users", {})
    office = users.get("dispatcher") or User.objects.filter(role=Role.DISPATCHER).first()
    records = ensure_records(units, office, timezone.localdate())
    ensure_schemes()
    periods = ensure_periods(units, office, users.get("county1"))
    return {
        "grassroots_units": units,
        "summary": [
            f"{len(units)} grassroots units, unit leads unitlead1 and unitlead2, "
            f"{len(lists)} duty lists, {records} new duty records, "
            "periods " + ", ".join(f"{p.key} ({p.get_status_display()})" for p in periods)
        ],
    }
