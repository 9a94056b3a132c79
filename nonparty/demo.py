"""The archive's part of ``seed_demo``: the liaison cadres ``liaison1`` and ``liaison2``, about
three hundred synthetic people in six batches, their education, posts, growth records,
liaison, this year's talk plans (part done) and the 2023 evaluation (most reviewed). Idempotent: the people are entered once (the first run), the accounts every time.

The latest batch is the article's: 46 people recognised together, described as 37.5% with
full-time master's degrees or above, 41.6% from 双一流 universities and an average age of 29.3.
The first two cannot both be whole people of 46 (17.25 and 19.1), so the demo seeds 17 and 19
— the nearest whole people — and the page shows what the rows give: 17/46 = 37.0%,
19/46 = 41.3%; the ages (whole years on the batch's date) add up to 1,348, 29.3 on average.
Two of the batch's people hold a part-time master's degree, which does not count, and one
studied outside the listed discipline at a university 双一流 for one discipline only (宁波大学),
which does (see ``nonparty.universities``).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from nonparty.models import (
    Action,
    ActionParticipation,
    Award,
    Batch,
    BatchMembership,
    Body,
    Channel,
    Degree,
    Education,
    Field,
    Gender,
    Liaison,
    Person,
    Placement,
    PlacementKind,
    Post,
    Proposal,
    Status,
    Talk,
    TalkForm,
    TalkPlan,
    Training,
    UnitType,
    University,
)
from nonparty.selectors.profiles import batch_profile
from nonparty.universities import load_universities
from portal.models import Region, Role, User
from portal.validators import compute_resident_id_check

LATEST = {
    "name": "2025年度无党派人士认定（第六批）",
    "recognised_on": dt.date(2025, 6, 18),
    "size": 46,
    "masters": 17,
    "double_first_class": 19,
    "age_total": 1348,  # 29.3 × 46 = 1,347.8: whole years add up to 1,348 (29.30)
}
EARLIER = [
    ("2017年度无党派人士认定（第二批）", dt.date(2017, 7, 6), 52),
    ("2019年度无党派人士认定（第三批）", dt.date(2019, 6, 26), 60),
    ("2021年度无党派人士认定（第四批）", dt.date(2021, 6, 30), 58),
    ("2023年度无党派人士认定（第五批）", dt.date(2023, 6, 21), 54),
]
DRAFT = ("2026年度无党派人士认定（拟认定）", dt.date(2026, 12, 20), 14)
APPROVER = "中共衢州市委统战部部务会"
CANDIDATES_OUTSIDE = 16

COUNTIES = [
    "330802000000",  # 柯城区
    "330803000000",  # 衢江区
    "330822000000",  # 常山县
    "330824000000",  # 开化县
    "330825000000",  # 龙游县
    "330881000000",  # 江山市 (county1's)
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "子涵浩宇欣怡梓轩诗雨一诺思远若曦佳琪明哲雨桐俊杰晓彤嘉懿文博语嫣天佑睿泽可馨皓轩梦琪志远静怡宇航安琪嘉豪子墨书瑶"
EMPLOYERS = [
    ("衢州学院", UnitType.PUBLIC_INSTITUTION, Field.EDUCATION, "讲师"),
    ("衢州市人民医院", UnitType.PUBLIC_INSTITUTION, Field.HEALTH, "主治医师"),
    ("衢州市中医医院", UnitType.PUBLIC_INSTITUTION, Field.HEALTH, "主治医师"),
    ("衢州职业技术学院", UnitType.PUBLIC_INSTITUTION, Field.EDUCATION, "讲师"),
    ("衢州市农业科学研究院", UnitType.PUBLIC_INSTITUTION, Field.AGRICULTURE, "农艺师"),
    ("浙江巨化股份有限公司", UnitType.STATE_ENTERPRISE, Field.SCIENCE, "工程师"),
    ("衢州市衢通发展集团有限公司", UnitType.STATE_ENTERPRISE, Field.ECONOMY, "经济师"),
    ("衢州某智能装备有限公司", UnitType.PRIVATE_ENTERPRISE, Field.SCIENCE, "工程师"),
    ("浙江某律师事务所衢州分所", UnitType.SOCIAL_ORGANISATION, Field.LAW, "律师"),
    ("衢州日报报业传媒集团", UnitType.STATE_ENTERPRISE, Field.CULTURE, "编辑"),
    ("衢州市第二中学", UnitType.PUBLIC_INSTITUTION, Field.EDUCATION, "一级教师"),
    ("衢州市科技局", UnitType.PARTY_GOVERNMENT, Field.SCIENCE, "科员"),
]
DISCIPLINES = [
    "临床医学",
    "计算机科学与技术",
    "法学",
    "应用经济学",
    "化学",
    "教育学",
    "材料科学与工程",
    "中国语言文学",
    "作物学",
    "新闻传播学",
]


def ensure_cadres(context: dict) -> dict[str, User]:
    """``liaison1`` and ``liaison2``, liaison cadres of the office (password reset each run)."""
    cadres = {}
    for username, name, mobile in (
        ("liaison1", "傅联络", "13905700009"),
        ("liaison2", "童联络", "13905700010"),
    ):
        user = User.objects.filter(username=username).first() or User(username=username)
        user.name, user.role, user.mobile = name, Role.LIAISON, mobile
        user.set_password(context["password"])
        user.save()
        cadres[username] = user
    context.setdefault("users", {}).update(cadres)
    return cadres


class Maker:
    """Synthetic people, deterministic: the same seed gives the same archive."""

    def __init__(self, seed: int = 17):
        self.rng = random.Random(seed)
        self.counter = 0
        self.regions = list(Region.objects.filter(code__in=COUNTIES).order_by("code"))
        self.first_class = list(University.objects.filter(double_first_class=True))
        self.others = list(University.objects.filter(double_first_class=False))
        self.ningbo = University.objects.filter(name="宁波大学").first()

    def name(self) -> str:
        rng = self.rng
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        return rng.choice(SURNAMES) + given

    def person(self, birth_date: dt.date, created_by: User, status: str) -> Person:
        self.counter += 1
        rng = self.rng
        region = self.regions[self.counter % len(self.regions)]
        employer, unit, field, title = rng.choice(EMPLOYERS)
        first17 = f"{region.code[:6]}{birth_date:%Y%m%d}{self.counter % 1000:03d}"
        gender = Gender.FEMALE if int(first17[-1]) % 2 == 0 else Gender.MALE
        return Person(
            name=self.name(),
            gender=gender,
            birth_date=birth_date,
            ethnicity=rng.choice(["汉族"] * 12 + ["畲族"]),
            native_place=region,
            phone=f"1380570{self.counter:04d}",
            id_number=first17 + compute_resident_id_check(first17),
            employer=employer,
            unit_type=unit,
            position=rng.choice(["", "副主任", "科室负责人", "项目负责人", "副院长"]),
            professional_title=title,
            field=field,
            cv=f"{birth_date.year + 22}年起在{employer}工作。",
            status=status,
            created_by=created_by,
        )

    def birth_for_age(self, age: int, on: dt.date) -> dt.date:
        """A birthday that makes the person ``age`` whole years old on ``on``."""
        days_after = self.rng.randint(1, 360)
        birthday = on - dt.timedelta(days=days_after)
        try:
            return birthday.replace(year=birthday.year - age)
        except ValueError:  # 29 February
            return birthday.replace(year=birthday.year - age, day=28)

    def educations(self, person: Person, *, masters: bool, first_class: bool, part_time=False):
        """Degrees that give the person exactly the two flags asked for (a part-time master's
        on top of a bachelor's when ``part_time``)."""
        rng = self.rng
        grad = person.birth_date.year + 22
        bachelor_at = rng.choice(self.first_class if first_class and not masters else self.others)
        rows = [
            Education(
                person=person,
                degree=Degree.BACHELOR,
                full_time=True,
                university=bachelor_at,
                discipline=rng.choice(DISCIPLINES),
                graduated_on=dt.date(grad, 6, 30),
            )
        ]
        if masters:
            doctor = rng.random() < 0.2
            at = rng.choice(self.first_class if first_class else self.others)
            rows.append(
                Education(
                    person=person,
                    degree=Degree.MASTER,
                    full_time=True,
                    university=at,
                    discipline=rng.choice(DISCIPLINES),
                    graduated_on=dt.date(grad + 3, 6, 30),
                )
            )
            if doctor:
                rows.append(
                    Education(
                        person=person,
                        degree=Degree.DOCTOR,
                        full_time=True,
                        university=at,
                        discipline=rows[-1].discipline,
                        graduated_on=dt.date(grad + 6, 6, 30),
                    )
                )
        elif part_time:
            rows.append(
                Education(
                    person=person,
                    degree=Degree.MASTER,
                    full_time=False,
                    university=rng.choice(self.others),
                    discipline="工商管理",
                    graduated_on=dt.date(grad + 5, 1, 15),
                )
            )
        return rows


def _latest_ages(rng: random.Random) -> list[int]:
    """46 whole ages between 25 and 36 adding up to 1,348."""
    ages = [rng.randint(25, 34) for _ in range(LATEST["size"])]
    while sum(ages) != LATEST["age_total"]:
        i = rng.randrange(len(ages))
        if sum(ages) < LATEST["age_total"] and ages[i] < 36:
            ages[i] += 1
        elif sum(ages) > LATEST["age_total"] and ages[i] > 25:
            ages[i] -= 1
    return ages


def _batch(name, on, people, maker, dispatcher, *, approve: bool) -> Batch:
    batch = Batch.objects.create(
        name=name, recognised_on=on, approving_body=APPROVER, created_by=dispatcher
    )
    BatchMembership.objects.bulk_create(
        [BatchMembership(batch=batch, person=p, added_by=dispatcher) for p in people]
    )
    if approve:
        batch.profile = batch_profile(batch)
        batch.approved_at = timezone.make_aware(dt.datetime.combine(on, dt.time(16)))
        batch.approved_by = dispatcher
        batch.save()
    return batch


def _people(maker, specs, dispatcher, status):
    """``specs``: (birth_date, masters, first_class, part_time) per person."""
    people = Person.objects.bulk_create(
        [maker.person(birth, dispatcher, status) for birth, *_ in specs]
    )
    rows = []
    for person, (_birth, masters, first_class, part_time) in zip(people, specs, strict=True):
        rows += maker.educations(
            person, masters=masters, first_class=first_class, part_time=part_time
        )
    Education.objects.bulk_create(rows)
    return people


def _latest_specs(maker) -> list[tuple]:
    rng = maker.rng
    on = LATEST["recognised_on"]
    ages = _latest_ages(rng)
    size = LATEST["size"]
    masters = set(rng.sample(range(size), LATEST["masters"]))
    first_class = set(rng.sample(range(size), LATEST["double_first_class"]))
    others = [i for i in range(size) if i not in masters]
    part_time = set(others[:2])
    return [
        (maker.birth_for_age(ages[i], on), i in masters, i in first_class, i in part_time)
        for i in range(size)
    ]


def _growth(people, maker, recorders, departments, today) -> int:
    rng = maker.rng
    trainings, placements, proposals, awards, actions = [], [], [], [], []
    departments = list(departments)
    for person in people:
        start = max(
            person.birth_date.replace(year=person.birth_date.year + 25), dt.date(2016, 1, 1)
        )
        if start >= today:
            continue
        span = (today - start).days

        def day(start=start, span=span):
            return start + dt.timedelta(days=rng.randrange(max(span, 1)))

        who = rng.choice(recorders)
        common = {"person": person, "recorded_by": who}
        if rng.random() < 0.7:
            trainings.append(
                Training(
                    **common,
                    dated_on=day(),
                    course=rng.choice(
                        ["党外代表人士培训班", "无党派人士理论研修班", "参政议政能力提升班"]
                    ),
                    organiser=rng.choice(["中共衢州市委统战部", "浙江省社会主义学院"]),
                    days=rng.choice([3, 5, 7, 10]),
                )
            )
        if rng.random() < 0.2:
            begins = day()
            placements.append(
                Placement(
                    **common,
                    dated_on=begins,
                    ends_on=begins + dt.timedelta(days=rng.choice([180, 365])),
                    placement_kind=rng.choice(PlacementKind.values),
                    post=rng.choice(["乡镇副镇长", "园区管委会副主任", "县局副局长"]),
                )
            )
        for _ in range(rng.choice([0, 1, 1, 2])):
            when = day()
            adopted = rng.random() < 0.45
            proposals.append(
                Proposal(
                    **common,
                    dated_on=when,
                    year=when.year,
                    title=rng.choice(
                        [
                            "关于加快衢州数字经济发展的建议",
                            "关于优化基层医疗资源配置的提案",
                            "关于推进四省边际共同富裕的建议",
                            "关于加强乡村人才振兴的社情民意",
                            "关于完善营商环境评价的建议",
                        ]
                    ),
                    channel=rng.choice(Channel.values),
                    adopted=adopted,
                    adopting_department=rng.choice(departments) if adopted else None,
                )
            )
        if rng.random() < 0.25:
            awards.append(
                Award(
                    **common,
                    dated_on=day(),
                    title=rng.choice(["衢州市优秀党外知识分子", "同心先锋", "岗位建功标兵"]),
                    awarded_by="中共衢州市委统战部",
                )
            )
        for action in Action.values:
            if rng.random() < 0.35:
                actions.append(
                    ActionParticipation(
                        **common,
                        dated_on=day(),
                        action=action,
                        title=rng.choice(
                            ["孔府儒学堂专题宣讲", "南孔直播群英·同心荟众创空间路演", "下乡义诊"]
                        ),
                    )
                )
    for model, rows in (
        (Training, trainings),
        (Placement, placements),
        (Proposal, proposals),
        (Award, awards),
        (ActionParticipation, actions),
    ):
        model.objects.bulk_create(rows)
    return sum(map(len, (trainings, placements, proposals, awards, actions)))


def _posts(people, maker) -> None:
    rng = maker.rng
    rows = []
    for person in people:
        if rng.random() < 0.3:
            start = dt.date(rng.choice([2017, 2022]), 1, 10)
            body = rng.choice(Body.values)
            rows.append(
                Post(
                    person=person,
                    body=body,
                    organisation={
                        "npc": "衢州市人民代表大会",
                        "cppcc": "政协衢州市委员会",
                        "social": "衢州市知识分子联谊会",
                    }[body],
                    title={"npc": "代表", "cppcc": "委员", "social": "理事"}[body],
                    term_start=start,
                    term_end=start.replace(year=start.year + 5) if start.year == 2017 else None,
                )
            )
    Post.objects.bulk_create(rows)


def _liaison(people, maker, cadres, dispatcher) -> int:
    """Most recognised people get a cadre (about one in eight none); liaison1 the most."""
    rng = maker.rng
    choices = [cadres["liaison1"]] * 3 + [cadres["liaison2"]] * 2 + [dispatcher]
    rows = []
    for person in people:
        if person.status != Status.RECOGNISED or rng.random() < 0.12:
            continue
        rows.append(
            Liaison(
                cadre=rng.choice(choices),
                person=person,
                starts_on=dt.date(2025, 7, 1),
                created_by=dispatcher,
            )
        )
    Liaison.objects.bulk_create(rows)
    return len(rows)


def ensure_talk_plans(today: dt.date) -> int:
    """This year's talk plans: every person with a current cadre, twice; about half the talks
    due by now held (idempotent: a year with plans is kept)."""
    if TalkPlan.objects.filter(year=today.year).exists():
        return 0
    rng = random.Random(today.year)
    links = Liaison.objects.current().filter(person__status=Status.RECOGNISED).order_by("pk")
    plans = TalkPlan.objects.bulk_create(
        [
            TalkPlan(year=today.year, cadre_id=link.cadre_id, person_id=link.person_id, times=2)
            for link in links
        ]
    )
    start = dt.date(today.year, 1, 1)
    span = max((today - start).days, 1)
    talks = []
    for plan in plans:
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            talks.append(
                Talk(
                    plan=plan,
                    held_on=start + dt.timedelta(days=rng.randrange(span)),
                    form=rng.choice(TalkForm.values),
                    topics=rng.choice(["岗位工作近况", "参政议政选题", "家庭与身体情况"]),
                    follow_ups=rng.choice(["", "协调参加孔府儒学堂宣讲", "推荐参加研修班"]),
                    recorded_by_id=plan.cadre_id,
                )
            )
    Talk.objects.bulk_create(talks)
    return len(plans)


@transaction.atomic
def seed(context: dict) -> dict:
    """The archive's demo (idempotent); see the module's docstring."""
    load_universities()
    cadres = ensure_cadres(context)
    dispatcher = context["users"]["dispatcher"]
    if Batch.objects.filter(name=LATEST["name"]).exists():
        planned = ensure_talk_plans(timezone.localdate())
        evaluated = ensure_evaluations(dispatcher)
        associations = ensure_associations(context, timezone.localdate())
        return {
            "summary": [
                f"non-party archive kept ({Person.objects.count()} people, "
                f"{planned} new talk plans, {evaluated} new evaluations), {associations}"
            ]
        }
    maker = Maker()
    today = timezone.localdate()
    everyone = []
    for name, on, size in EARLIER:
        rng = maker.rng
        specs = [
            (
                maker.birth_for_age(rng.randint(27, 44), on),
                rng.random() < 0.32,
                rng.random() < 0.36,
                rng.random() < 0.05,
            )
            for _ in range(size)
        ]
        people = _people(maker, specs, dispatcher, Status.RECOGNISED)
        _batch(name, on, people, maker, dispatcher, approve=True)
        everyone += people
    latest_people = _people(maker, _latest_specs(maker), dispatcher, Status.RECOGNISED)
    if maker.ningbo is not None:
        # One of the batch's 双一流 people studied at 宁波大学 (双一流 for 力学 only), in
        # another discipline: it counts — move their 双一流 degree there.
        first = Education.objects.filter(
            person__in=latest_people, university__double_first_class=True
        ).first()
        if first is not None:
            first.university, first.discipline = maker.ningbo, "应用经济学"
            first.save()
    _batch(LATEST["name"], LATEST["recognised_on"], latest_people, maker, dispatcher, approve=True)
    everyone += latest_people
    name, on, size = DRAFT
    rng = maker.rng
    draft_specs = [
        (
            maker.birth_for_age(rng.randint(26, 40), on),
            rng.random() < 0.4,
            rng.random() < 0.4,
            False,
        )
        for _ in range(size)
    ]
    draft_people = _people(maker, draft_specs, dispatcher, Status.CANDIDATE)
    _batch(name, on, draft_people, maker, dispatcher, approve=False)
    outside_specs = [
        (maker.birth_for_age(rng.randint(26, 40), today), rng.random() < 0.4, False, False)
        for _ in range(CANDIDATES_OUTSIDE)
    ]
    everyone += draft_people + _people(maker, outside_specs, dispatcher, Status.CANDIDATE)
    # A few people of the first batch withdrew since.
    withdrawn = [p.pk for p in everyone[:4]]
    Person.objects.filter(pk__in=withdrawn).update(status=Status.WITHDRAWN)
    for person in everyone:
        if person.pk in withdrawn:
            person.status = Status.WITHDRAWN
    recorders = [dispatcher, cadres["liaison1"], cadres["liaison2"]]
    growth = _growth(everyone, maker, recorders, context.get("departments", {}).values(), today)
    _posts(everyone, maker)
    links = _liaison(everyone, maker, cadres, dispatcher)
    planned = ensure_talk_plans(today)
    evaluated = ensure_evaluations(dispatcher)
    associations = ensure_associations(context, today)
    return {
        "summary": [
            f"{len(everyone)} non-party people in {len(EARLIER) + 2} batches, {growth} growth "
            f"records, {links} liaison links (liaison1, liaison2), {planned} talk plans, "
            f"{evaluated} evaluations of {EVALUATION_YEAR}, {associations}"
        ]
    }


# --- the comprehensive evaluation (综合评价) --------------------------------------------------------

EVALUATION_YEAR = 2023
EVALUATION_DIMENSIONS = [("政治表现", 30), ("履职建言", 25), ("岗位贡献", 25), ("社会影响", 20)]
EVALUATION_GRADES = [("优秀", 90), ("良好", 75), ("合格", 60), ("基本合格", 45), ("不合格", 0)]


def ensure_evaluations(dispatcher: User) -> int:
    """The 2023 scheme (four dimensions, five grades) and an evaluation for most recognised
    people with a liaison cadre, scored by that cadre: most reviewed by the office (score and
    grade computed from the rows, as the review does), a few submitted, a few drafts. Once."""
    from decimal import Decimal

    from nonparty.models import (
        GROWTH_MODELS,
        Evaluation,
        EvaluationScheme,
        EvaluationScore,
        EvaluationState,
    )
    from nonparty.selectors.evaluation import grade_for, weighted_score
    from nonparty.services.evaluation import scheme_save

    if EvaluationScheme.objects.filter(year=EVALUATION_YEAR).exists():
        return 0
    scheme = scheme_save(
        actor=None,
        year=EVALUATION_YEAR,
        dimensions=EVALUATION_DIMENSIONS,
        grades=[(label, Decimal(minimum)) for label, minimum in EVALUATION_GRADES],
        notes="2023年度无党派人士综合评价方案",
    )
    dimensions = list(scheme.dimensions.all())
    grades = [(g.label, g.min_score) for g in scheme.grades.all()]
    rng = random.Random(EVALUATION_YEAR)
    links = list(
        Liaison.objects.current()
        .filter(person__status=Status.RECOGNISED)
        .select_related("person")
        .order_by("person_id")
    )
    evidence: dict[int, list[str]] = {}
    for kind, model in GROWTH_MODELS.items():
        for person_id, pk in model.objects.filter(
            person__in=[link.person_id for link in links]
        ).values_list("person_id", "pk"):
            evidence.setdefault(person_id, []).append(f"{kind}:{pk}")
    now = timezone.now()
    evaluations, planned = [], []
    for link in links:
        if rng.random() < 0.1:  # about one in ten not evaluated yet
            continue
        roll = rng.random()
        state = (
            EvaluationState.REVIEWED
            if roll < 0.8
            else EvaluationState.SUBMITTED
            if roll < 0.92
            else EvaluationState.DRAFT
        )
        # A person's level, then each dimension around it (one decimal place).
        level = rng.uniform(58, 96)
        values = [
            Decimal(str(round(min(100.0, max(40.0, rng.gauss(level, 4))), 1))) for _ in dimensions
        ]
        evaluation = Evaluation(
            person=link.person,
            year=EVALUATION_YEAR,
            scheme=scheme,
            cadre_id=link.cadre_id,
            state=state,
            comment=rng.choice(["", "年度表现稳定，建议继续重点培养。", "参政议政积极。"]),
        )
        if state != EvaluationState.DRAFT:
            evaluation.submitted_at = now
        if state == EvaluationState.REVIEWED:
            evaluation.score = weighted_score(
                (d.weight, v) for d, v in zip(dimensions, values, strict=True)
            )
            evaluation.grade = grade_for(grades, evaluation.score)
            evaluation.reviewed_by, evaluation.reviewed_at = dispatcher, now
        evaluations.append(evaluation)
        planned.append((link.person_id, values))
    Evaluation.objects.bulk_create(evaluations)
    scores = []
    for evaluation, (person_id, values) in zip(evaluations, planned, strict=True):
        keys = evidence.get(person_id, [])
        for dimension, value in zip(dimensions, values, strict=True):
            picked = rng.sample(keys, min(len(keys), rng.choice([0, 1, 1, 2])))
            scores.append(
                EvaluationScore(
                    evaluation=evaluation,
                    dimension=dimension,
                    score=value,
                    evidence=picked,
                    comment="" if picked else rng.choice(["表现良好", "按要求完成", "有待加强"]),
                )
            )
    EvaluationScore.objects.bulk_create(scores)
    return len(evaluations)


CITY_ASSOCIATION = "衢州市知识分子联谊会（知联会）"
REPORT_TEXT = {
    2023: (
        "2023年，市知联会在市委统战部指导下，围绕“履职建言我发声”组织会员开展专题调研，"
        "在孔府儒学堂举办专题宣讲，依托南孔直播群英·同心荟众创空间开展路演服务。"
        "\n不足：联系青年会员不够经常，活动覆盖县（市、区）不均衡。"
    ),
    2024: (
        "2024年，市知联会组织会员参加四省边际共同富裕专题调研，开展下乡义诊和科技服务，"
        "提交提案和社情民意信息，推动会员在岗位建功中发挥作用。"
        "\n下一步：完善会员联系制度，每季度至少一次走访青年会员。"
    ),
}


def ensure_associations(context: dict, today: dt.date) -> str:
    """The city 知联会: a president and about thirty members from the recognised people; its
    2023 report closed with reviews, the 2024 one open (idempotent: kept once there)."""
    from nonparty.models import (
        Association,
        AssociationMembership,
        PresidentReport,
        Review,
        ReviewLink,
    )
    from nonparty.services.associations import _expiry, token_hash

    if Association.objects.filter(name=CITY_ASSOCIATION).exists():
        return "association kept"
    dispatcher = context["users"]["dispatcher"]
    people = list(Person.objects.filter(status=Status.RECOGNISED).order_by("pk")[:31])
    if len(people) < 11:
        return "no association (too few people)"
    president, members = people[0], people[1:]
    association = Association.objects.create(
        name=CITY_ASSOCIATION,
        region=Region.objects.get(code="330800000000"),
        president=president,
        founded_on=dt.date(2012, 5, 18),
        created_by=dispatcher,
    )
    AssociationMembership.objects.bulk_create(
        [
            AssociationMembership(association=association, person=p, joined_on=dt.date(2020, 1, 1))
            for p in people
        ]
    )
    rng = random.Random(2023)
    moment = dt.datetime(2024, 1, 20, 10, tzinfo=timezone.get_current_timezone())
    closed = PresidentReport.objects.create(
        association=association,
        year=2023,
        president=president,
        text=REPORT_TEXT[2023],
        activities_held=12,
        proposals_submitted=18,
        proposals_adopted=7,
        participations=286,
        state="closed",
        closes_on=dt.date(2024, 1, 31),
        summary="参评会员对会长履职总体满意；建议加强与青年会员的经常性联系。",
        recorded_by=dispatcher,
        opened_by=dispatcher,
        opened_at=moment,
        closed_by=dispatcher,
        closed_at=moment + dt.timedelta(days=12),
    )
    responders = set(rng.sample(range(len(members)), len(members) - 6))
    ReviewLink.objects.bulk_create(
        [
            ReviewLink(
                report=closed,
                person=p,
                token_hash=token_hash(f"demo-closed-{p.pk}-{rng.random()}"),
                expires_at=_expiry(closed.closes_on),
                issued_by=dispatcher,
                used_at=moment + dt.timedelta(days=rng.randint(1, 10)) if i in responders else None,
            )
            for i, p in enumerate(members)
        ]
    )
    comments = [
        "",
        "",
        "",
        "希望多组织县里的活动。",
        "调研选题贴近实际。",
        "联系青年会员可以更经常。",
    ]
    Review.objects.bulk_create(
        [
            Review(
                report=closed,
                verdict=rng.choice(
                    ["satisfied"] * 6 + ["basically_satisfied"] * 3 + ["dissatisfied"]
                ),
                duty=rng.choice([5, 5, 4, 4, 3]),
                activities=rng.choice([5, 4, 4, 3]),
                contact=rng.choice([5, 4, 3, 3, 2]),
                comment=rng.choice(comments),
            )
            for _ in responders
        ]
    )
    current = PresidentReport.objects.create(
        association=association,
        year=2024,
        president=president,
        text=REPORT_TEXT[2024],
        activities_held=15,
        proposals_submitted=21,
        proposals_adopted=9,
        participations=340,
        state="open",
        closes_on=today + dt.timedelta(days=30),
        recorded_by=dispatcher,
        opened_by=dispatcher,
        opened_at=timezone.now(),
    )
    ReviewLink.objects.bulk_create(
        [
            ReviewLink(
                report=current,
                person=p,
                token_hash=token_hash(f"demo-open-{p.pk}-{rng.random()}"),
                expires_at=_expiry(current.closes_on),
                issued_by=dispatcher,
            )
            for p in members
        ]
    )
    return f"city association with {len(people)} members, reports 2023 (closed) and 2024 (open)"
