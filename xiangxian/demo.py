"""The xiangxian registry's part of ``seed_demo``: a registry whose figures come from its rows.

Registered as seeder ``xiangxian`` (``xiangxian.registrations``, after ``portal``). It writes,
in bulk and once:

- 3,200 synthetic people (surname + given name from a seeded ``random.Random``) in every
  sector, 2,150 of them in 医卫 living outside the city (寓外 is computed by the model from
  where they live), hometowns in Quzhou's counties, phone numbers for some (encrypted, with
  their blind indexes), tags of the category 人才 and a few key persons;
- the 寓外名医联谊会 founded 2023-11-26 with an academician as president, officers and members;
- service records adding up exactly to the reported figures: loans of 53.19亿元 (金融服务) and
  discounts of 62万元 (商务服务 + 畅游服务);
- contributions: the pomelo purchase guarantee (5,000 吨, +500万元 for the growers) and the
  mushroom model (30.8万元 a year for the village), and a few others;
- 350 past events, one conference with 1,000 invitations. The events are entered after they
  took place, so the reminder sweep never reminds anyone of them, and nobody is notified.

Each part has its marker (the demo people's note, the association's name, the contribution's
title, the big conference's title): a second run creates nothing.
"""

import datetime as dt
import random
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from portal.demo import demo_village
from portal.models import Region, Tag, TagCategory, TaggedItem, User
from xiangxian.models import (
    Association,
    AssociationMembership,
    AssociationOfficer,
    Contribution,
    ContributionKind,
    Event,
    EventKind,
    Invitation,
    InvitationStatus,
    Post,
    ProgrammeItem,
    Referral,
    Sector,
    ServiceKind,
    ServiceRecord,
    Xiangxian,
)

SEED = 20231126
DEMO_NOTE = "演示数据：姓名等信息为随机合成。"

PEOPLE = 3_200
MEDICAL_AWAY = 2_150  # 医卫, living outside the city
MEDICAL_AT_HOME = 80
ACADEMICIANS = 3

ASSOCIATION = "寓外名医联谊会"
FOUNDED = dt.date(2023, 11, 26)
ASSOCIATION_MEMBERS = 360

LOANS_YUAN = 5_319_000_000  # 53.19亿元 (金融服务)
BUSINESS_YUAN = 236_000  # 商务服务 discounts
TRAVEL_YUAN = 384_000  # 畅游服务 discounts; with business 62万元
LOAN_RECORDS, BUSINESS_RECORDS, TRAVEL_RECORDS, OTHER_RECORDS = 420, 180, 640, 300

EVENTS = 350
BIG_CONFERENCE = "衢州市新乡贤大会暨寓外名医联谊会年会"
BIG_INVITATIONS = 1_000

TAG_CATEGORY = "人才"
TAGS = ("院士", "名医", "博士生导师", "海归")

SURNAMES = "徐王张李陈周吴郑毛祝余汪姜叶程方刘杨黄胡朱何邵柴童江詹鲁傅林占华龚蓝严"
GIVEN = (
    "明远建华志强海峰晓东丽娟国庆文博思源子涵一鸣秀英德胜永康振宇嘉怡宏伟新民春梅立军静怡俊杰慧敏"
)

COUNTIES = ("330802", "330803", "330822", "330824", "330825", "330881")

# Where people live now: province, city.
AWAY_PLACES = (
    ("上海市", "上海市"),
    ("北京市", "北京市"),
    ("浙江省", "杭州市"),
    ("浙江省", "宁波市"),
    ("浙江省", "温州市"),
    ("浙江省", "金华市"),
    ("江苏省", "南京市"),
    ("江苏省", "苏州市"),
    ("广东省", "广州市"),
    ("广东省", "深圳市"),
    ("四川省", "成都市"),
    ("湖北省", "武汉市"),
    ("福建省", "厦门市"),
    ("江西省", "南昌市"),
    ("天津市", "天津市"),
    ("陕西省", "西安市"),
)
ABROAD = ("美国", "加拿大", "英国", "德国", "新加坡", "日本", "澳大利亚")
HOME_PLACE = ("浙江省", "衢州市")

ORGANISATIONS = {
    "医卫": (
        "复旦大学附属中山医院",
        "上海交通大学医学院附属瑞金医院",
        "浙江大学医学院附属第一医院",
        "浙江大学医学院附属第二医院",
        "北京协和医院",
        "四川大学华西医院",
        "中山大学附属第一医院",
        "华中科技大学同济医学院附属协和医院",
        "江苏省人民医院",
    ),
    "商界": ("杭州某集团有限公司", "深圳某科技股份有限公司", "上海某贸易有限公司"),
    "科教": ("浙江大学", "清华大学", "中国科学院", "上海交通大学", "衢州学院"),
    "文化": ("中国美术学院", "浙江省文化馆", "某影视传媒有限公司"),
    "法律": ("某律师事务所", "浙江省高级人民法院"),
    "金融": ("某银行杭州分行", "某证券股份有限公司", "某投资管理有限公司"),
    "其他": ("某社会组织", "某基金会"),
}
TITLES = {
    "医卫": ("主任医师", "副主任医师", "主治医师", "科室主任", "副院长", "研究员"),
    "商界": ("董事长", "总经理", "创始人"),
    "科教": ("教授", "研究员", "副教授"),
    "文化": ("艺术家", "编导", "馆长"),
    "法律": ("合伙人", "律师", "法官"),
    "金融": ("行长", "投资总监", "基金经理"),
    "其他": ("秘书长", "理事长"),
}
ACADEMICIAN_HONOURS = ("中国工程院院士", "中国科学院院士", "中国工程院院士")

BANKS = (
    "衢州农商银行",
    "中国工商银行衢州分行",
    "中国农业银行衢州分行",
    "中国建设银行衢州分行",
    "浙商银行衢州分行",
    "衢江农商银行",
    "江山农商银行",
)
BUSINESS_PROVIDERS = (
    "衢州国际大酒店",
    "衢州智选会议中心",
    "市商务局项目对接中心",
    "衢州开元名都大酒店",
)
TRAVEL_PROVIDERS = (
    "江郎山景区",
    "根宫佛国文化旅游区",
    "龙游石窟景区",
    "钱江源国家公园",
    "廿八都古镇",
    "衢州水亭门历史文化街区",
    "衢州开元名都大酒店",
)
OTHER_SERVICES = ("medical", "education", "government", "talent", "legal", "culture", "elderly")

EVENT_TITLES = {
    EventKind.CONFERENCE: ("新乡贤座谈会", "乡贤恳谈会", "乡贤回归大会", "乡贤项目推介会"),
    EventKind.VISIT: ("乡贤回乡考察", "名医回乡义诊考察", "产业园区考察", "乡村振兴项目考察"),
    EventKind.FORUM: ("乡贤论坛", "名医健康论坛", "乡村振兴论坛", "乡贤创业创新论坛"),
}
VENUES = (
    "衢州市行政中心会议室",
    "衢州国际大酒店会议中心",
    "江山市乡贤馆",
    "龙游县文化中心",
    "常山县会议中心",
    "开化县乡贤会客厅",
    "柯城区乡贤驿站",
    "衢江区乡贤工作站",
)
COUNTY_NAMES = {
    "330802": "柯城区",
    "330803": "衢江区",
    "330822": "常山县",
    "330824": "开化县",
    "330825": "龙游县",
    "330881": "江山市",
}


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2, 2))))


def _with_hashes(person: Xiangxian) -> Xiangxian:
    """The blind index of the phone number as the model's field computes it on save (as in
    bench/xiangxian.py's seed), so the bulk rows are complete whatever the insert path."""
    field = Xiangxian._meta.get_field("phone")
    value = field.normalize(person.phone) or ""
    person.phone = value
    person.phone_hash = field.blind_index_for(value) if value else ""
    return person


def _spread(rng: random.Random, total: int, n: int, unit: int, low: int, high: int) -> list[int]:
    """``n`` positive amounts, multiples of ``unit``, adding up to exactly ``total``."""
    weights = [rng.randint(low, high) for _ in range(n)]
    scale = total / unit / sum(weights)
    amounts = [max(1, round(w * scale)) * unit for w in weights]
    amounts[-1] += total - sum(amounts)
    # Make sure the balancing amount stays positive by moving the excess across the others.
    i = 0
    while amounts[-1] <= 0:
        if amounts[i] > unit:
            amounts[i] -= unit
            amounts[-1] += unit
        i = (i + 1) % (n - 1)
    assert sum(amounts) == total
    return amounts


def _days_ago(today: dt.date, rng: random.Random, low: int, high: int) -> dt.date:
    return today - dt.timedelta(days=rng.randint(low, high))


# --- the people ---------------------------------------------------------------------------------


def _hometowns() -> dict[str, list[Region]]:
    """Per county code: the county and whatever townships and villages are loaded under it."""
    regions = {}
    for code in COUNTIES:
        county = Region.objects.filter(code=code + "000000").first()
        if county is None:
            continue
        below = list(
            Region.objects.filter(code__startswith=code, level__gt=Region.Level.COUNTY).order_by(
                "code"
            )[:200]
        )
        regions[code] = [county, *below]
    return regions


def _tags() -> dict[str, Tag]:
    category, _ = TagCategory.objects.get_or_create(name=TAG_CATEGORY)
    return {name: Tag.objects.get_or_create(category=category, name=name)[0] for name in TAGS}


def ensure_people(dispatcher: User) -> tuple[list[Xiangxian], int]:
    """The demo people, in the order written (created on the first run). Returns them and how
    many were created."""
    existing = list(Xiangxian.objects.filter(notes=DEMO_NOTE).order_by("pk"))
    if existing:
        return existing, 0
    rng = random.Random(SEED)
    sectors = {s.name: s for s in Sector.objects.all()}
    for order, name in enumerate(("医卫", "商界", "科教", "文化", "法律", "金融", "其他"), 1):
        if name not in sectors:
            sectors[name] = Sector.objects.create(name=name, sort_order=order * 10)
    others = ("商界", "商界", "科教", "科教", "文化", "法律", "金融", "其他")
    hometowns = _hometowns()
    counties = list(hometowns)
    village = demo_village()
    tags = _tags()
    seen: set[tuple] = set()
    people, tagged = [], []
    for n in range(PEOPLE):
        if n < MEDICAL_AWAY:
            sector, away = "医卫", True
        elif n < MEDICAL_AWAY + MEDICAL_AT_HOME:
            sector, away = "医卫", False
        else:
            sector, away = rng.choice(others), rng.random() < 0.7
        hometown = village if n % 97 == 5 else rng.choice(hometowns[rng.choice(counties)])
        province, city, abroad = "", "", ""
        if not away:
            province, city = HOME_PLACE
        elif rng.random() < 0.07 and n >= ACADEMICIANS:
            abroad = rng.choice(ABROAD)
        else:
            province, city = rng.choice(AWAY_PLACES)
        year = rng.randint(1945, 1995)
        while True:
            name = _name(rng)
            if (name, year, hometown.pk) not in seen:
                seen.add((name, year, hometown.pk))
                break
        academician = n < ACADEMICIANS
        famous = sector == "医卫" and (academician or rng.random() < 0.14)
        person_tags = []
        if academician:
            person_tags.append("院士")
        if famous:
            person_tags.append("名医")
        if (academician or famous or sector == "科教") and rng.random() < 0.5:
            person_tags.append("博士生导师")
        if abroad or rng.random() < 0.03:
            person_tags.append("海归")
        person = Xiangxian(
            name=name,
            gender=rng.choice(("male", "male", "female")),
            birth_year=year,
            hometown=hometown,
            residence_province=province,
            residence_city=city,
            abroad=abroad,
            sector=sectors[sector],
            organisation=rng.choice(ORGANISATIONS[sector]),
            title="主任医师、教授" if academician else rng.choice(TITLES[sector]),
            honours=ACADEMICIAN_HONOURS[n] if academician else "",
            phone=f"1375{n:07d}" if rng.random() < 0.4 else "",
            referral=rng.choice(Referral.values),
            is_key=academician or rng.random() < 0.04,
            notes=DEMO_NOTE,
            created_by=dispatcher,
        )
        people.append(_with_hashes(person))
        tagged.append(person_tags)
    Xiangxian.objects.bulk_create(people, batch_size=1_000)
    if any(person.pk is None for person in people):  # a backend without RETURNING
        ids = list(Xiangxian.objects.filter(notes=DEMO_NOTE).order_by("pk").values_list("pk"))
        for person, (pk,) in zip(people, ids, strict=True):
            person.pk = pk
    content_type = ContentType.objects.get_for_model(Xiangxian)
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(tag=tags[name], content_type=content_type, object_id=str(person.pk))
            for person, names in zip(people, tagged, strict=True)
            for name in names
        ],
        batch_size=2_000,
    )
    return people, len(people)


# --- the association ------------------------------------------------------------------------------


def ensure_association(people: list[Xiangxian], dispatcher: User, today: dt.date) -> bool:
    association, created = Association.objects.get_or_create(
        name=ASSOCIATION,
        defaults={
            "founded_on": FOUNDED,
            "description": "由在外工作的衢州籍医疗卫生人才组成，搭建名医回乡义诊、"
            "技术帮扶与人才交流的平台。",
            "created_by": dispatcher,
        },
    )
    if not created:
        return False
    rng = random.Random(SEED + 1)
    medical_away = people[:MEDICAL_AWAY]
    officers = [
        (medical_away[0], Post.PRESIDENT),
        *((p, Post.VICE_PRESIDENT) for p in medical_away[1:5]),
        (medical_away[5], Post.SECRETARY_GENERAL),
        *((p, Post.DEPUTY_SECRETARY_GENERAL) for p in medical_away[6:8]),
        *((p, Post.DIRECTOR) for p in medical_away[8:20]),
    ]
    AssociationOfficer.objects.bulk_create(
        AssociationOfficer(association=association, xiangxian=p, post=post, term_start=FOUNDED)
        for p, post in officers
    )
    members = medical_away[:20] + rng.sample(medical_away[20:], ASSOCIATION_MEMBERS - 20)
    span = (today - FOUNDED).days
    AssociationMembership.objects.bulk_create(
        AssociationMembership(
            association=association,
            xiangxian=p,
            joined_on=FOUNDED
            if i < 200
            else FOUNDED + dt.timedelta(days=rng.randint(1, max(1, span - 1))),
        )
        for i, p in enumerate(members)
    )
    return True


# --- services -------------------------------------------------------------------------------------


def ensure_services(people: list[Xiangxian], dispatcher: User, today: dt.date) -> int:
    if ServiceRecord.objects.filter(xiangxian__notes=DEMO_NOTE).exists():
        return 0
    rng = random.Random(SEED + 2)
    # The catalogue its migration ships, back if a test (a flush) or an admin removed it.
    import_module("xiangxian.migrations.0005_service_catalogue").add_catalogue(apps, None)
    kinds = {k.code: k for k in ServiceKind.objects.all()}
    records = []

    def add(code, amounts, providers, note):
        for amount in amounts:
            records.append(
                ServiceRecord(
                    xiangxian=rng.choice(people),
                    kind=kinds[code],
                    served_on=_days_ago(today, rng, 7, 1_000),
                    provider=rng.choice(providers) if providers else "",
                    value_yuan=Decimal(amount),
                    note=note,
                    recorded_by=dispatcher,
                )
            )

    # Loans in multiples of 10,000 yuan (万元).
    add("finance", _spread(rng, LOANS_YUAN, LOAN_RECORDS, 10_000, 1, 30), BANKS, "乡贤贷")
    add(
        "business",
        _spread(rng, BUSINESS_YUAN, BUSINESS_RECORDS, 100, 2, 30),
        BUSINESS_PROVIDERS,
        "商务接待与会议场地优惠",
    )
    add(
        "travel",
        _spread(rng, TRAVEL_YUAN, TRAVEL_RECORDS, 10, 5, 60),
        TRAVEL_PROVIDERS,
        "乡贤卡优惠",
    )
    others = [code for code in OTHER_SERVICES if code in kinds]
    for _ in range(OTHER_RECORDS if others else 0):
        code = rng.choice(others)
        add(code, [0], (), f"{kinds[code].name}帮办")
    ServiceRecord.objects.bulk_create(records, batch_size=1_000)
    return len(records)


# --- contributions --------------------------------------------------------------------------------


def _township(county_code: str, name: str, code_suffix: str) -> Region:
    """A township of the county by name when the dataset is loaded, else added (synthetic
    code in the 9xx range, as bench/xiangxian.py's townships)."""
    county = Region.objects.get(code=county_code + "000000")
    found = Region.objects.filter(parent=county, name=name).first()
    if found:
        return found
    township, _ = Region.objects.get_or_create(
        code=county_code + code_suffix,
        defaults={
            "name": name,
            "level": Region.Level.TOWNSHIP,
            "parent": county,
            "vintage": county.vintage,
        },
    )
    return township


def ensure_contributions(people: list[Xiangxian], dispatcher: User, today: dt.date) -> int:
    pomelo_town = _township("330822", "青石镇", "901000")
    mushroom_village = demo_village()
    y = today.year
    specs = [
        {
            "title": "常山胡柚兜底收购",
            "kind": ContributionKind.PURCHASE,
            "region": pomelo_town,
            "made_on": dt.date(y - 1, 11, 20),
            "quantity": Decimal(5000),
            "unit": "吨",
            "income_added_yuan": Decimal(5_000_000),
            "description": "乡贤企业按保护价兜底收购胡柚5000吨，为种植户增收500万元。",
            "person": people[MEDICAL_AWAY + MEDICAL_AT_HOME],
        },
        {
            "title": "奔富基金香菇种植模式",
            "kind": ContributionKind.FUND,
            "region": mushroom_village,
            "made_on": dt.date(y - 2, 3, 15),
            "amount_yuan": Decimal(1_200_000),
            "collective_income_yuan": Decimal(308_000),
            "description": "奔富基金投资建设香菇种植基地，村集体每年增收30.8万元。",
            "person": people[MEDICAL_AWAY + MEDICAL_AT_HOME + 1],
        },
        {
            "title": "寓外名医回乡义诊",
            "kind": ContributionKind.CLINIC,
            "region": _township("330881", "廿八都镇", "902000"),
            "made_on": dt.date(y - 1, 5, 18),
            "quantity": Decimal(1200),
            "unit": "人次",
            "description": "寓外名医联谊会组织专家回乡义诊，服务群众1200人次。",
            "person": people[0],
        },
        {
            "title": "捐建村卫生室",
            "kind": ContributionKind.DONATION,
            "region": _township("330824", "马金镇", "903000"),
            "made_on": dt.date(y - 1, 8, 8),
            "amount_yuan": Decimal(500_000),
            "description": "捐资50万元改造提升村卫生室。",
            "person": people[1],
        },
        {
            "title": "引进远程会诊中心",
            "kind": ContributionKind.INTRODUCTION,
            "region": _township("330803", "高家镇", "904000"),
            "made_on": dt.date(y - 1, 10, 12),
            "amount_yuan": Decimal(0),
            "description": "牵线三甲医院在乡镇卫生院设立远程会诊中心。",
            "person": people[2],
        },
        {
            "title": "民宿集群投资",
            "kind": ContributionKind.INVESTMENT,
            "region": _township("330802", "九华乡", "905000"),
            "made_on": dt.date(y - 2, 6, 1),
            "amount_yuan": Decimal(8_000_000),
            "income_added_yuan": Decimal(1_200_000),
            "collective_income_yuan": Decimal(150_000),
            "description": "投资800万元建设民宿集群，带动村民就业增收。",
            "person": people[MEDICAL_AWAY + MEDICAL_AT_HOME + 2],
        },
    ]
    created = 0
    for spec in specs:
        person = spec.pop("person")
        _obj, made = Contribution.objects.get_or_create(
            title=spec.pop("title"),
            defaults={**spec, "xiangxian": person, "recorded_by": dispatcher},
        )
        created += made
    return created


# --- events ---------------------------------------------------------------------------------------


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def ensure_events(people: list[Xiangxian], dispatcher: User, today: dt.date) -> dict[str, int]:
    """350 events of the last years (created now, after they took place: no reminders), and
    invitations written directly (nobody is notified)."""
    if Event.objects.filter(title=BIG_CONFERENCE).exists():
        return {"events": 0, "invitations": 0}
    rng = random.Random(SEED + 4)
    kinds = list(EVENT_TITLES)
    events = []
    for n in range(EVENTS - 1):
        kind = kinds[n % 3] if n % 5 else EventKind.CONFERENCE
        day = today - dt.timedelta(days=3 + (n * 1_090) // (EVENTS - 1))
        county = COUNTY_NAMES[rng.choice(COUNTIES)]
        starts = _at(day, rng.choice((9, 10, 14, 15)), rng.choice((0, 30)))
        events.append(
            Event(
                title=f"{day.year}年{county}{rng.choice(EVENT_TITLES[kind])}",
                kind=kind,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=rng.choice((2, 3, 4, 8))),
                venue=rng.choice(VENUES),
                capacity=rng.choice((30, 50, 80, 120, 200)),
                organiser="中共衢州市委统战部",
                organiser_user=dispatcher,
                description="邀请在外乡贤回乡交流，共商家乡发展。",
                created_by=dispatcher,
            )
        )
    big_day = today - dt.timedelta(days=40)
    big_start = _at(big_day, 9)
    big = Event(
        title=BIG_CONFERENCE,
        kind=EventKind.CONFERENCE,
        starts_at=big_start,
        ends_at=big_start + dt.timedelta(hours=8),
        venue="衢州国际会议中心",
        capacity=1_200,
        organiser="中共衢州市委统战部",
        organiser_user=dispatcher,
        description="全市新乡贤大会，寓外名医联谊会同期召开年会。",
        created_by=dispatcher,
    )
    events.append(big)
    Event.objects.bulk_create(events)
    if any(e.pk is None for e in events):
        ids = list(Event.objects.order_by("-pk").values_list("pk", flat=True)[: len(events)])
        for event, pk in zip(events, reversed(ids), strict=True):
            event.pk = pk

    items = []
    for event in events[::3]:
        for i in range(rng.randint(2, 4)):
            start = event.starts_at + dt.timedelta(minutes=45 * i)
            items.append(
                ProgrammeItem(
                    event=event,
                    starts_at=start,
                    ends_at=start + dt.timedelta(minutes=40),
                    place=event.venue,
                    what=("签到", "领导致辞", "乡贤代表发言", "项目推介", "交流座谈")[i],
                )
            )
    for i, what in enumerate(("签到入场", "开幕式", "主旨报告", "名医联谊会年会", "项目签约")):
        start = big_start + dt.timedelta(minutes=90 * i)
        items.append(
            ProgrammeItem(
                event=big,
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=80),
                place="衢州国际会议中心主会场",
                what=what,
            )
        )
    ProgrammeItem.objects.bulk_create(items)

    invitations = []
    for event in events[:-1]:
        if rng.random() < 0.5:
            continue
        invited_at = event.starts_at - dt.timedelta(days=10)
        for person in rng.sample(people, min(event.capacity, rng.randint(5, 30))):
            invitations.append(
                Invitation(
                    event=event,
                    xiangxian=person,
                    status=InvitationStatus.ACCEPTED
                    if rng.random() < 0.85
                    else InvitationStatus.DECLINED,
                    answered_at=invited_at + dt.timedelta(days=1),
                    invited_by=dispatcher,
                    invited_at=invited_at,
                )
            )
    invited_at = big_start - dt.timedelta(days=20)
    for n, person in enumerate(rng.sample(people, BIG_INVITATIONS)):
        roll = n % 20
        status = (
            InvitationStatus.INVITED
            if roll == 0
            else InvitationStatus.DECLINED
            if roll in (1, 2, 3)
            else InvitationStatus.ACCEPTED
        )
        invitations.append(
            Invitation(
                event=big,
                xiangxian=person,
                status=status,
                answered_at=None
                if status == InvitationStatus.INVITED
                else invited_at + dt.timedelta(days=1 + n % 7),
                checked_in_at=big_start - dt.timedelta(minutes=30 - n % 30)
                if status == InvitationStatus.ACCEPTED and n % 10
                else None,
                seat=f"{n // 50 + 1}排{n % 50 + 1}座"
                if status == InvitationStatus.ACCEPTED
                else "",
                invited_by=dispatcher,
                invited_at=invited_at,
            )
        )
    Invitation.objects.bulk_create(invitations, batch_size=1_000)
    return {"events": len(events), "invitations": len(invitations)}


def seed(context: dict) -> dict:
    """The registry's demo (idempotent); see the module's docstring."""
    dispatcher = context["users"]["dispatcher"]
    today = timezone.localdate()
    people, new_people = ensure_people(dispatcher)
    association = ensure_association(people, dispatcher, today)
    services = ensure_services(people, dispatcher, today)
    contributions = ensure_contributions(people, dispatcher, today)
    events = ensure_events(people, dispatcher, today)
    away = Xiangxian.objects.current().filter(away=True, sector__name="医卫").count()
    return {
        "summary": [
            f"{new_people} new people ({Xiangxian.objects.current().count()} in all, {away} "
            f"医卫 away), association {'new' if association else 'kept'}, {services} new "
            f"service records, {contributions} new contributions, {events['events']} new "
            f"events with {events['invitations']} invitations."
        ]
    }
