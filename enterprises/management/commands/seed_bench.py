"""``seed_bench --appeals N [--seed S]``: bulk synthetic data for benchmarks (CONTRACT.md).

Adds N appeals spread over the last three years, with the enterprises (N/10, at least 100),
entrepreneurs and department staff they need, every row the real services would have written
(assignments, co-handlings, clock stops, extensions, ratings, re-handlings, call-backs, merged
repeats and the timeline events), and moves the number counters past what it used.

Each appeal is simulated through the loop in time: a step that would fall after now has not
happened yet, so old appeals are closed and recent ones spread over every open status; a few
stall and are overdue. Rows go in with PostgreSQL's COPY (``executemany`` elsewhere), one
transaction per batch, with ids allocated up front; sequences are reset and (on PostgreSQL)
tables vacuumed and analysed at the end. The same ``--seed`` on the same starting database
writes the same data.

At the end it rebuilds the figures' roll-up (``enterprises.services.stats.rebuild``), which the
bulk inserts bypass.

It is for benchmark databases only: it refuses to run with ``DJANGO_DEBUG=0`` unless ``--force``
is given, and nothing else may write appeals while it runs (ids are allocated up front).
No notifications are written.
"""

import bisect
import datetime as dt
import io
import json
import random
import time
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from enterprises.models import (
    Appeal,
    AppealCategory,
    AppealCounter,
    AppealEvent,
    Assignment,
    CoHandling,
    Enterprise,
    EnterpriseSize,
    Extension,
    IndustryChain,
    InfoRequest,
    ListingStatus,
    Membership,
    RepeatCandidate,
)
from enterprises.services import stats as figures
from enterprises.services.appeals import auto_close_days
from portal.models import Department, Region, Role, User
from portal.regions import QUZHOU_CODE, ensure_built_in_regions
from portal.validators import USCC_CHARSET, compute_uscc_check
from portal.workdays import is_working_day, sync_from_chinesecalendar

UNUSABLE_PASSWORD = "!seed-bench"
SPAN_DAYS = 3 * 365
RECENT_DAYS, RECENT_SHARE = 30, 0.05
AUTO_CLOSE_HOUR = 2  # the nightly sweep closes unrated replies

# Departments created when the database has fewer than two (names as in seed_demo).
FALLBACK_DEPARTMENTS = [
    ("fgw", "衢州市发展和改革委员会", "市发改委"),
    ("jxj", "衢州市经济和信息化局", "市经信局"),
    ("zrzyj", "衢州市自然资源和规划局", "市自然资源规划局"),
    ("rsj", "衢州市人力资源和社会保障局", "市人力社保局"),
    ("jrb", "衢州市地方金融监督管理局", "市金融办"),
    ("sthjj", "衢州市生态环境局", "市生态环境局"),
]

# category name: (preferred lead departments, weight, titles, content)
CATEGORY_PROFILE = {
    "政策咨询": (
        ("jxj", "fgw", "kjj", "swj", "tax"),
        20,
        (
            "惠企政策申报条件咨询",
            "高新技术企业认定咨询",
            "研发费用加计扣除口径咨询",
            "外贸稳订单政策咨询",
        ),
        "我司对相关政策的申报条件、材料和时间安排不太清楚，希望相关部门给予辅导。",
    ),
    "融资信贷": (
        ("jrb", "czj"),
        18,
        (
            "流动资金贷款续贷协调",
            "技改项目贷款贴息申请",
            "政府性融资担保申请",
            "专项补助资金拨付进度",
        ),
        "企业资金周转压力较大，希望协调金融机构和有关部门给予支持，具体金额和用途见附件说明。",
    ),
    "用地用房": (
        ("zrzyj", "zjj"),
        12,
        ("新增工业用地指标申请", "不动产权证办理进度", "厂房租赁用地性质认定", "项目供地时序协调"),
        "项目用地手续办理进度较慢，影响开工建设，请协调加快办理。",
    ),
    "审批许可": (
        ("fgw", "sthjj", "scjgj", "zjj"),
        16,
        ("项目环评审批进度", "建设工程规划许可办理", "节能审查专家评审安排", "项目备案变更办理"),
        "审批事项材料已提交，办理进度较慢，请协调相关部门加快审批。",
    ),
    "人才用工": (
        ("rsj",),
        12,
        ("技术工人招聘困难", "技能人才培训补贴申领", "高层次人才子女入学", "人才公寓申请进度"),
        "企业扩产急需招聘一线工人和技术人员，希望人社部门帮助对接。",
    ),
    "基础设施": (
        ("zjj", "fgw", "jxj"),
        10,
        ("用电增容申请协调", "厂区道路配套建设", "天然气管网接入", "园区污水管网接入"),
        "厂区配套基础设施不完善，影响正常生产，请协调有关单位尽快解决。",
    ),
    "市场监管与执法": (
        ("scjgj",),
        6,
        ("商标侵权线索举报", "特种设备检验预约", "产品质量抽检结果异议"),
        "请市场监管部门依法处理并告知企业处理结果。",
    ),
    "其他": ((), 6, ("企业发展综合诉求", "跨部门协调事项"), "请相关部门协调解决。"),
}
NAME_PREFIXES = "华锦宏泰恒鑫瑞正中达丰源通博科美嘉凯诚永信明宇天隆兴"
CHAIN_WORDS = {
    "化工新材料": ("新材料", "氟化工", "硅材料", "精细化工"),
    "新能源": ("新能源", "储能科技", "光伏电力", "锂电材料"),
    "高端装备": ("精密机械", "装备制造", "智能装备", "轴承"),
    "特种纸": ("纸业", "特种纸", "包装材料"),
    "数字经济": ("数据科技", "信息技术", "智能科技"),
    "生命健康": ("生物科技", "医药", "健康食品"),
}
SOURCES = (("platform", 70), ("hotline", 12), ("session", 10), ("visit", 8))
REPLIES = (
    "经协调，相关问题已解决，具体情况已电话告知企业负责人。",
    "已会同有关部门现场办公，明确了办理路径和时限，请企业按清单准备材料。",
    "经核查，企业诉求符合政策规定，已完成办理。",
    "已将政策文件和申报指南发送企业，并安排专人对接辅导。",
)
RETURN_REASON = "该事项不属于我单位职责，请改派。"
QUESTION = "请补充相关证明材料和办理进度截图。"
ANSWER = "已补充上传相关材料。"
EXTENSION_DECLINED = "请按原期限办结。"
EXTENSION_REASON = "需多部门会商，申请延长办理期限。"
DISSATISFIED = "答复没有解决实际问题，请重新办理。"
SUPERVISION = "请抓紧办理，按期办结并反馈企业。"
PART = "我单位意见已提交主办单位。"
RATINGS = ("satisfied", "basically_satisfied", "dissatisfied")


@dataclass
class Table:
    """A table written in bulk: ``columns`` are attnames in the order rows carry them; fields
    the rows do not carry get their default."""

    model: type
    columns: tuple[str, ...]

    def __post_init__(self):
        fields = {f.attname: f for f in self.model._meta.concrete_fields}
        unknown = set(self.columns) - set(fields)
        if unknown:
            raise CommandError(f"{self.model.__name__} has no fields {sorted(unknown)}")
        self.extra_columns, self.extra_values = [], ()
        for name, field in fields.items():
            if name in self.columns:
                continue
            if not field.has_default() and not field.null:
                raise CommandError(
                    f"seed_bench does not know how to fill {self.model.__name__}.{name}"
                )
            self.extra_columns.append(field.column)
            self.extra_values += (field.get_default(),)
        self.db_columns = [fields[name].column for name in self.columns] + self.extra_columns
        self.name = self.model._meta.db_table
        self.rows: list[tuple] = []


def _pg_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = (
                value.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        return value
    if isinstance(value, dict | list):
        return _pg_text(json.dumps(value, ensure_ascii=False))
    if isinstance(value, dt.date):  # datetimes too: isoformat keeps the offset
        return value.isoformat()
    return str(value)


class Writer:
    """Writes a table's pending rows: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.rows_written = 0

    def flush(self, table: Table) -> None:
        rows, table.rows = table.rows, []
        if not rows:
            return
        extra = table.extra_values
        quoted = ", ".join(connection.ops.quote_name(c) for c in table.db_columns)
        with connection.cursor() as cursor:
            if self.postgres:
                buffer = io.StringIO()
                buffer.writelines("\t".join(map(_pg_text, row + extra)) + "\n" for row in rows)
                buffer.seek(0)
                cursor.copy_expert(
                    f"COPY {connection.ops.quote_name(table.name)} ({quoted}) FROM STDIN", buffer
                )
            else:
                adapt = self._adapt
                placeholders = ", ".join(["%s"] * len(table.db_columns))
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(table.name)} ({quoted}) "
                    f"VALUES ({placeholders})",
                    [tuple(map(adapt, row + extra)) for row in rows],
                )
        self.rows_written += len(rows)

    @staticmethod
    def _adapt(value):
        if isinstance(value, dt.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return value


class WorkCalendar:
    """Working days of a fixed range, read once from the holiday table, for fast arithmetic."""

    def __init__(self, first: dt.date, last: dt.date):
        self.first = first
        self.days = []
        day = first
        while day <= last:
            if is_working_day(day):
                self.days.append(day)
            day += dt.timedelta(days=1)
        ordinals = [d.toordinal() for d in self.days]
        # upto[k]: how many working days fall on or before first + k days.
        self.upto = [
            bisect.bisect_right(ordinals, first.toordinal() + k)
            for k in range((last - first).days + 1)
        ]

    def after(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day`` (``n`` ≥ 1), as add_working_days counts."""
        return self.days[self.upto[(day - self.first).days] + n - 1]

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (end ≥ start)."""
        return self.upto[(end - self.first).days] - self.upto[(start - self.first).days]


class Command(BaseCommand):
    help = "Bulk synthetic appeals for benchmarks (adds N appeals over the last three years)."

    def add_arguments(self, parser):
        parser.add_argument("--appeals", type=int, required=True, help="how many appeals to add")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--batch", type=int, default=10_000, help="appeals per transaction")
        parser.add_argument(
            "--open-share",
            type=float,
            default=0.0,
            help=(
                "besides the natural mix, this share of appeals is left open (accepted, assigned "
                "or in progress, never answered), e.g. 0.3 for the deadline sweep's benchmark"
            ),
        )
        parser.add_argument(
            "--force", action="store_true", help="run even with DJANGO_DEBUG=0 (not production!)"
        )

    def handle(
        self,
        *args,
        appeals: int,
        seed: int,
        batch: int,
        force: bool,
        open_share: float = 0.0,
        **options,
    ):
        if appeals < 1 or appeals > 10**8:
            raise CommandError("--appeals must be between 1 and 100000000.")
        if not 0 <= open_share <= 1:
            raise CommandError("--open-share must be between 0 and 1.")
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_bench writes synthetic data for benchmarks; with DJANGO_DEBUG=0 it needs "
                "--force, so that it never lands in a production database by accident."
            )
        started = time.monotonic()
        bench = Bench(
            appeals=appeals, seed=seed, batch=batch, stdout=self.stdout, open_share=open_share
        )
        bench.prepare()
        prepared = time.monotonic()
        bench.generate()
        finished = time.monotonic()
        rebuilt = figures.rebuild()  # the figures' roll-up, from the appeals just written
        figures.compact_tally()  # one tally row per status, not one per batch written
        if connection.vendor == "postgresql" and connection.get_autocommit():
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE enterprises_appealstatsrollup")
        rolled_up = time.monotonic()
        rows = bench.writer.rows_written
        self.stdout.write(
            self.style.SUCCESS(
                f"{appeals} appeals, {rows} rows in the appeal tables, in "
                f"{finished - started:.1f} s (set-up {prepared - started:.1f} s): "
                f"{appeals / (finished - prepared):,.0f} appeals/s, "
                f"{rows / (finished - prepared):,.0f} rows/s."
            )
        )
        self.stdout.write(
            f"Figures roll-up rebuilt: {rebuilt.days} days, {rebuilt.rows} day rows, in "
            f"{rolled_up - finished:.1f} s."
        )


class Bench:
    def __init__(self, *, appeals: int, seed: int, batch: int, stdout, open_share: float = 0.0):
        self.n = appeals
        self.open_share = open_share
        self.batch = batch
        self.rng = random.Random(seed)
        self.stdout = stdout
        self.writer = Writer()
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        # The ladder's auto-close rung, as the sweep would apply it (7 when switched off).
        self.auto_close_days = auto_close_days() or 7
        self.now = timezone.localtime(timezone.now(), self.tz)
        self.start = self.now - dt.timedelta(days=SPAN_DAYS)

    # --- reference data, enterprises and people ---------------------------------------------

    @transaction.atomic
    def prepare(self) -> None:
        ensure_built_in_regions()
        sync_from_chinesecalendar()
        rng = self.rng
        departments = list(Department.objects.filter(is_active=True).order_by("sort_order", "id"))
        if len(departments) < 2:
            for order, (code, name, short) in enumerate(FALLBACK_DEPARTMENTS):
                Department.objects.get_or_create(
                    code=code, defaults={"name": name, "short_name": short, "sort_order": order}
                )
            departments = list(
                Department.objects.filter(is_active=True).order_by("sort_order", "id")
            )
        self.departments = [d.pk for d in departments]
        self.department_names = {d.pk: d.name for d in departments}
        codes = {d.code: d.pk for d in departments}

        categories = list(AppealCategory.objects.filter(is_active=True).order_by("sort_order"))
        if not categories:
            raise CommandError("There is no active appeal category; run migrate first.")
        self.categories = []
        weights = []
        for category in categories:
            preferred, weight, titles, content = CATEGORY_PROFILE.get(
                category.name, ((), 5, (category.name,), category.guidance or category.name)
            )
            self.categories.append(
                (
                    category.pk,
                    category.handle_days,
                    category.sign_days,
                    [codes[c] for c in preferred if c in codes],
                    [(t, content) for t in titles],
                )
            )
            weights.append(weight)
        self.category_cum = self._cumulative(weights)
        self.source_cum = self._cumulative([w for _, w in SOURCES])

        self._ensure_staff(departments)
        self._create_enterprises()

        first = (self.start - dt.timedelta(days=7)).date()
        self.calendar = WorkCalendar(first, self.now.date() + dt.timedelta(days=240))

        self.ids = {
            model: (model.objects.aggregate(m=Max("id"))["m"] or 0)
            for model in (
                Appeal,
                Assignment,
                CoHandling,
                InfoRequest,
                Extension,
                AppealEvent,
                RepeatCandidate,
                Appeal.linked.through,
            )
        }
        self.counters = dict(AppealCounter.objects.values_list("year", "last"))
        rng.random()  # keep the stream independent of the lines above

    @staticmethod
    def _cumulative(weights):
        total, cum = 0, []
        for w in weights:
            total += w
            cum.append(total)
        return [c / total for c in cum]

    def _ensure_staff(self, departments) -> None:
        wanted = [(f"bench-dispatcher-{k}", Role.DISPATCHER, None) for k in range(1, 5)]
        wanted += [(f"bench-leader-{k}", Role.LEADER, None) for k in range(1, 3)]
        for d in departments:
            wanted += [
                (f"bench-{d.code}-h1", Role.HANDLER, d),
                (f"bench-{d.code}-h2", Role.HANDLER, d),
                (f"bench-{d.code}-head", Role.DEPARTMENT_HEAD, d),
            ]
        existing = set(
            User.objects.filter(username__in=[w[0] for w in wanted]).values_list(
                "username", flat=True
            )
        )
        User.objects.bulk_create(
            User(
                username=username,
                name=username,
                role=role,
                department=department,
                password=UNUSABLE_PASSWORD,
            )
            for username, role, department in wanted
            if username not in existing
        )
        staff = User.objects.filter(username__startswith="bench-").exclude(role=Role.ENTREPRENEUR)
        self.dispatchers, self.leaders = [], []
        self.handlers: dict[int, list[int]] = {}
        self.heads: dict[int, int] = {}
        for pk, role, department_id in staff.order_by("username").values_list(
            "pk", "role", "department_id"
        ):
            if role == Role.DISPATCHER:
                self.dispatchers.append(pk)
            elif role == Role.LEADER:
                self.leaders.append(pk)
            elif role == Role.HANDLER:
                self.handlers.setdefault(department_id, []).append(pk)
            elif role == Role.DEPARTMENT_HEAD:
                self.heads[department_id] = pk
        self.departments = [d for d in self.departments if d in self.handlers]

    def _create_enterprises(self) -> None:
        rng = self.rng
        count = max(100, self.n // 10)
        offset = User.objects.filter(
            username__startswith="bench-ent-", role=Role.ENTREPRENEUR
        ).count()
        counties = list(
            Region.objects.filter(parent__code=QUZHOU_CODE, level=Region.Level.COUNTY).order_by(
                "code"
            )
        )
        townships = list(
            Region.objects.filter(parent__in=counties, level=Region.Level.TOWNSHIP)
            .order_by("code")
            .values_list("pk", "parent_id")
        )
        county_code = {c.pk: c.code[:6] for c in counties}
        places = townships or [(c.pk, c.pk) for c in counties]
        chains = list(IndustryChain.objects.filter(is_active=True).order_by("sort_order"))
        sizes = [EnterpriseSize.LARGE] + [EnterpriseSize.MEDIUM] * 3 + [EnterpriseSize.SMALL] * 6
        sizes += [EnterpriseSize.MICRO] * 4
        listings = [ListingStatus.LISTED] + [ListingStatus.PREPARING] * 2
        listings += [ListingStatus.UNLISTED] * 17
        enterprises, users = [], []
        for k in range(offset, offset + count):
            region_id, county_id = rng.choice(places)
            chain = rng.choice(chains) if chains else None
            words = CHAIN_WORDS.get(chain.name if chain else "", ("实业", "科技", "贸易"))
            name = (
                "衢州"
                + rng.choice(NAME_PREFIXES)
                + rng.choice(NAME_PREFIXES)
                + rng.choice(words)
                + ("股份有限公司" if rng.random() < 0.1 else "有限公司")
            )
            org, rest = "", k
            for _ in range(8):
                rest, digit = divmod(rest, 31)
                org = USCC_CHARSET[digit] + org
            first17 = "91" + county_code[county_id] + "Q" + org
            enterprises.append(
                Enterprise(
                    uscc=first17 + compute_uscc_check(first17),
                    name=name,
                    region_id=region_id,
                    industry_chain=chain,
                    size=rng.choice(sizes),
                    listing_status=rng.choice(listings),
                )
            )
            users.append(
                User(
                    username=f"bench-ent-{k}",
                    name=f"企业联系人{k}",
                    role=Role.ENTREPRENEUR,
                    password=UNUSABLE_PASSWORD,
                )
            )
        Enterprise.objects.bulk_create(enterprises, batch_size=2000)
        User.objects.bulk_create(users, batch_size=2000)
        # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35, not everywhere.
        enterprise_ids = dict(
            Enterprise.objects.filter(uscc__in=[e.uscc for e in enterprises]).values_list(
                "uscc", "pk"
            )
        )
        user_ids = dict(
            User.objects.filter(username__in=[u.username for u in users]).values_list(
                "username", "pk"
            )
        )
        decided = self.now
        Membership.objects.bulk_create(
            (
                Membership(
                    user_id=user_ids[u.username],
                    enterprise_id=enterprise_ids[e.uscc],
                    status=Membership.Status.VERIFIED,
                    decided_by_id=self.dispatchers[0],
                    decided_at=decided,
                )
                for e, u in zip(enterprises, users, strict=True)
            ),
            batch_size=2000,
        )
        self.enterprises = [
            (enterprise_ids[e.uscc], user_ids[u.username])
            for e, u in zip(enterprises, users, strict=True)
        ]

    # --- the appeals ----------------------------------------------------------------------------

    def _next(self, model) -> int:
        self.ids[model] += 1
        return self.ids[model]

    def generate(self) -> None:
        self.t_appeal = Table(
            Appeal,
            (
                "id",
                "number",
                "enterprise_id",
                "submitted_by_id",
                "title",
                "content",
                "category_id",
                "source",
                "status",
                "priority",
                "is_supervised",
                "lead_department_id",
                "current_assignment_id",
                "due_date",
                "original_due_date",
                "extended",
                "awaiting_info",
                "stopped_days",
                "handling_days",
                "submitted_at",
                "accepted_at",
                "assigned_at",
                "signed_at",
                "first_replied_at",
                "replied_at",
                "closed_at",
                "close_reason",
                "rating",
                "rated_at",
                "callback_rating",
                "reply_count",
                "rehandle_count",
                "merged_into_id",
                "updated_at",
            ),
        )
        self.t_assignment = Table(
            Assignment,
            (
                "id",
                "appeal_id",
                "department_id",
                "assigned_by_id",
                "assigned_at",
                "sign_due_date",
                "signed_at",
                "signed_by_id",
                "returned_at",
                "return_reason",
                "is_dispute",
            ),
        )
        self.t_co = Table(
            CoHandling,
            (
                "id",
                "assignment_id",
                "appeal_id",
                "department_id",
                "due_date",
                "part",
                "submitted_at",
                "submitted_by_id",
            ),
        )
        self.t_info = Table(
            InfoRequest,
            (
                "id",
                "appeal_id",
                "question",
                "asked_by_id",
                "asked_at",
                "answer",
                "answered_by_id",
                "ended_at",
                "stopped_days",
            ),
        )
        self.t_extension = Table(
            Extension,
            (
                "id",
                "appeal_id",
                "requested_by_id",
                "requested_at",
                "previous_due_date",
                "requested_due_date",
                "reason",
                "status",
                "decided_by_id",
                "decided_at",
                "decision_note",
            ),
        )
        self.t_event = Table(
            AppealEvent,
            (
                "id",
                "appeal_id",
                "action",
                "actor_id",
                "at",
                "from_status",
                "to_status",
                "note",
                "data",
            ),
        )
        self.t_repeat = Table(RepeatCandidate, ("id", "appeal_id", "candidate_id", "score"))
        linked = Appeal.linked.through
        self.t_linked = Table(linked, ("id", "from_appeal_id", "to_appeal_id"))
        tables = (
            self.t_appeal,
            self.t_assignment,
            self.t_co,
            self.t_info,
            self.t_extension,
            self.t_event,
            self.t_repeat,
            self.t_linked,
        )
        self.last_of_enterprise: dict[int, tuple[int, str]] = {}
        self.span = (self.now - self.start).total_seconds()
        self.recent = RECENT_DAYS / SPAN_DAYS  # the recent part, as a fraction of the span

        done = 0
        while done < self.n:
            size = min(self.batch, self.n - done)
            for i in range(done, done + size):
                self._appeal(i)
            with transaction.atomic():
                for table in tables:
                    self.writer.flush(table)
            done += size
            if self.n >= 10 * self.batch and done % (10 * self.batch) == 0:
                self.stdout.write(f"  {done:,} appeals written")
        self._finish(tables)

    def _finish(self, tables) -> None:
        with transaction.atomic():
            for year, last in self.counters.items():
                AppealCounter.objects.update_or_create(year=year, defaults={"last": last})
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(
                    no_style(), [table.model for table in tables]
                ):
                    cursor.execute(sql)
        if connection.vendor == "postgresql" and connection.get_autocommit():
            # Statistics for the planner, and the visibility map that lets counts use
            # index-only scans (a bulk load leaves it empty until autovacuum comes by).
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table.name)}")

    def _pick(self, cumulative) -> int:
        return bisect.bisect_left(cumulative, self.rng.random())

    def _later(self, moment: dt.datetime, working_days: int) -> dt.datetime:
        """A moment ``working_days`` working days after ``moment`` (0: a few hours later)."""
        if working_days <= 0:
            return moment + dt.timedelta(minutes=self.rng.randint(20, 240))
        day = self.calendar.after(moment.date(), working_days)
        return dt.datetime.combine(
            day, dt.time(8 + self.rng.randint(0, 9), self.rng.randint(0, 59)), self.tz
        )

    def _appeal(self, i: int) -> None:
        rng, now = self.rng, self.now
        aid = self._next(Appeal)
        enterprise_id, member_id = self.enterprises[
            int(len(self.enterprises) * rng.random() ** 1.6)
        ]
        category_id, handle_days, sign_days, preferred, texts = self.categories[
            self._pick(self.category_cum)
        ]
        source = SOURCES[self._pick(self.source_cum)][0]
        submitter = member_id if source == "platform" else rng.choice(self.dispatchers)
        # Chronological: numbers rise with time, and repeats have an earlier original. Use of
        # the platform grows: the density rises towards today (x^0.7 of a uniform position),
        # and the last RECENT_SHARE of the appeals fall in the last RECENT_DAYS, so that even a
        # small run has appeals in every open status.
        position = (i + rng.random()) / self.n
        if position < 1 - RECENT_SHARE:
            position = (position / (1 - RECENT_SHARE)) ** 0.7 * (1 - self.recent)
        else:
            position = 1 - self.recent * (1 - position) / RECENT_SHARE
        submitted = self.start + dt.timedelta(seconds=self.span * position)
        submitted = submitted.astimezone(self.tz)
        if submitted.hour < 8 or submitted.hour > 19:
            submitted = submitted.replace(hour=8 + rng.randint(0, 10))
            submitted = min(submitted, now - dt.timedelta(minutes=1))
        year = submitted.year
        self.counters[year] = number = self.counters.get(year, 0) + 1
        number = f"QH-{year}-{number:06d}"
        title, content = rng.choice(texts)

        a = {
            "status": "submitted",
            "priority": 0,
            "is_supervised": False,
            "lead": None,
            "assignment": None,
            "due": None,
            "original_due": None,
            "extended": False,
            "awaiting_info": False,
            "stopped_days": 0,
            "accepted_at": None,
            "assigned_at": None,
            "signed_at": None,
            "first_replied_at": None,
            "replied_at": None,
            "closed_at": None,
            "close_reason": "",
            "rating": "",
            "rated_at": None,
            "callback_rating": "",
            "reply_count": 0,
            "rehandle_count": 0,
            "merged_into": None,
            "updated_at": submitted,
        }
        events = self.t_event.rows

        def event(action, actor, at, before, note="", data=None):
            events.append(
                (
                    self._next(AppealEvent),
                    aid,
                    action,
                    actor,
                    at,
                    before,
                    a["status"],
                    note,
                    data or {},
                )
            )
            a["updated_at"] = at

        event("submit", submitter, submitted, "")
        self._life(
            aid, a, event, submitted, enterprise_id, member_id, handle_days, sign_days, preferred
        )
        self.last_of_enterprise[enterprise_id] = (aid, number)

        self.t_appeal.rows.append(
            (
                aid,
                number,
                enterprise_id,
                submitter,
                title,
                content,
                category_id,
                source,
                a["status"],
                a["priority"],
                a["is_supervised"],
                a["lead"],
                a["assignment"],
                a["due"],
                a["original_due"],
                a["extended"],
                a["awaiting_info"],
                a["stopped_days"],
                self._handling_days(a),
                submitted,
                a["accepted_at"],
                a["assigned_at"],
                a["signed_at"],
                a["first_replied_at"],
                a["replied_at"],
                a["closed_at"],
                a["close_reason"],
                a["rating"],
                a["rated_at"],
                a["callback_rating"],
                a["reply_count"],
                a["rehandle_count"],
                a["merged_into"],
                a["updated_at"],
            )
        )

    def _handling_days(self, a) -> int | None:
        """As the services store it at closure (``enterprises.services.stats.handling_days``)."""
        if a["status"] != "closed" or a["accepted_at"] is None or a["merged_into"] is not None:
            return None
        accepted, closed = (a[k].astimezone(self.tz).date() for k in ("accepted_at", "closed_at"))
        return max(0, self.calendar.between(accepted, closed) - a["stopped_days"])

    def _life(self, aid, a, event, t, enterprise_id, member_id, handle_days, sign_days, preferred):
        """Walk one appeal through the loop until its next step would fall after now."""
        rng, now, cal = self.rng, self.now, self.calendar
        dispatcher = rng.choice(self.dispatchers)
        fate = rng.random()
        # Held open on purpose (--open-share): stops at one of the unanswered statuses. Without
        # the option no random number is drawn, so a seed writes what it always wrote.
        hold = None
        if self.open_share and rng.random() < self.open_share:
            hold = rng.choice(("accepted", "assigned", "in_progress", "in_progress"))
            fate = 0.5  # neither rejected nor merged

        if fate < 0.05:  # rejected
            t = self._later(t, rng.choice((0, 0, 1)))
            if t <= now:
                a["status"] = "rejected"
                event(
                    "reject",
                    dispatcher,
                    t,
                    "submitted",
                    "不属于企呼我应受理范围，已告知企业办理渠道。",
                )
            return
        previous = self.last_of_enterprise.get(enterprise_id)
        if fate < 0.065 and previous is not None:  # a repeat, merged into the earlier appeal
            t = self._later(t, rng.choice((0, 1)))
            if t <= now:
                into, into_number = previous
                a.update(status="closed", merged_into=into, closed_at=t, close_reason="merged")
                event(
                    "merge",
                    dispatcher,
                    t,
                    "submitted",
                    "与在办诉求合并办理。",
                    {"into": into, "number": into_number},
                )
                self.t_linked.rows.append((self._next(Appeal.linked.through), aid, into))
                self.t_linked.rows.append((self._next(Appeal.linked.through), into, aid))
                self.t_repeat.rows.append(
                    (self._next(RepeatCandidate), aid, into, round(0.4 + 0.5 * rng.random(), 3))
                )
            return

        t = self._later(t, rng.choice((0, 0, 1)))
        if t > now:
            return
        a.update(status="accepted", accepted_at=t)
        event("accept", dispatcher, t, "submitted")
        if hold == "accepted":
            return

        t = self._later(t, rng.choice((0, 0, 1)))
        if t > now:
            return
        department = (
            rng.choice(preferred)
            if preferred and rng.random() < 0.75
            else rng.choice(self.departments)
        )
        days = handle_days if rng.random() < 0.9 else max(1, handle_days * 2 // 3)
        a["due"] = a["original_due"] = cal.after(t.date(), days)
        co = None
        if rng.random() < 0.08 and len(self.departments) > 1:
            co = rng.choice([d for d in self.departments if d != department])
        assignment = self._assign(aid, a, event, t, dispatcher, department, co, sign_days)
        if hold == "assigned":
            return

        if rng.random() < 0.04:  # returned as misrouted, then routed again
            returned = self._later(t, rng.choice((0, 0, 1, 2)))
            if returned > now:
                return
            dispute = cal.between(t.date(), returned.date()) <= 1
            row = self.t_assignment.rows[assignment]
            self.t_assignment.rows[assignment] = row[:8] + (returned, RETURN_REASON, dispute)
            handler = rng.choice(self.handlers[department])
            a.update(status="accepted", lead=None, assignment=None)
            event(
                "return",
                handler,
                returned,
                "assigned",
                RETURN_REASON,
                {
                    "department": department,
                    "department_name": self.department_names[department],
                    "dispute": dispute,
                },
            )
            t = self._later(returned, rng.choice((0, 1)))
            if t > now:
                return
            department = rng.choice([d for d in self.departments if d != department])
            co = None
            assignment = self._assign(aid, a, event, t, dispatcher, department, None, sign_days)

        handler = rng.choice(self.handlers[department])
        t = self._later(t, rng.choices((0, 1, 2, 3), (50, 35, 10, 5))[0])
        if t > now:
            return
        row = self.t_assignment.rows[assignment]
        self.t_assignment.rows[assignment] = row[:6] + (t, handler) + row[8:]
        a.update(status="in_progress", signed_at=t)
        event("sign", handler, t, "assigned")
        signed = t

        stall = rng.random() < 0.006 or hold == "in_progress"
        if stall or rng.random() < 0.01:
            t = self._later(t, 0)
            if t > now:
                return
            a.update(is_supervised=True, priority=2)
            event("supervise", rng.choice(self.leaders), t, "in_progress", SUPERVISION)

        if rng.random() < 0.10:  # a question to the enterprise stops the clock
            asked = self._later(t, rng.randint(1, 3))
            if asked > now:
                return
            info = [self._next(InfoRequest), aid, QUESTION, handler, asked, "", None, None, 0]
            self.t_info.rows.append(info)
            a["awaiting_info"] = True
            event("request_info", handler, asked, "in_progress", QUESTION)
            answered = self._later(asked, rng.randint(1, 4))
            if answered > now:
                self.t_info.rows[-1] = tuple(info)
                return
            stopped = cal.between(asked.date(), answered.date())
            info[5:] = [ANSWER, member_id, answered, stopped]
            self.t_info.rows[-1] = tuple(info)
            a["awaiting_info"] = False
            a["stopped_days"] += stopped
            if stopped:
                a["due"] = cal.after(a["due"], stopped)
                a["original_due"] = cal.after(a["original_due"], stopped)
            event(
                "provide_info",
                member_id,
                answered,
                "in_progress",
                ANSWER,
                {"stopped_days": stopped},
            )
            t = answered

        if rng.random() < 0.06:  # an extension request
            asked = self._later(t, rng.randint(0, 2))
            if asked > now:
                return
            previous_due, wanted = a["due"], cal.after(a["due"], rng.randint(5, 15))
            extension = [
                self._next(Extension),
                aid,
                handler,
                asked,
                previous_due,
                wanted,
                EXTENSION_REASON,
                "pending",
                None,
                None,
                "",
            ]
            self.t_extension.rows.append(tuple(extension))
            event(
                "extend",
                handler,
                asked,
                "in_progress",
                EXTENSION_REASON,
                {"from": previous_due.isoformat(), "to": wanted.isoformat()},
            )
            decided = self._later(asked, rng.choice((0, 1)))
            if decided > now:
                return
            approved = rng.random() < 0.8
            approver = self.heads.get(department) or dispatcher
            extension[7:] = [
                "approved" if approved else "declined",
                approver,
                decided,
                "" if approved else EXTENSION_DECLINED,
            ]
            self.t_extension.rows[-1] = tuple(extension)
            if approved:
                a.update(due=wanted, extended=True)
            event(
                "approve_extension" if approved else "decline_extension",
                approver,
                decided,
                "in_progress",
                "" if approved else "理由不充分，请按原期限办结。",
                {"to": wanted.isoformat()},
            )
            t = decided

        if co is not None:  # the co-handling department's part
            part_at = self._later(t, rng.randint(0, 3))
            if part_at > now:
                return
            co_handler = rng.choice(self.handlers[co])
            row = self.t_co.rows[-1]
            self.t_co.rows[-1] = row[:5] + (PART, part_at, co_handler)
            event(
                "submit_part",
                co_handler,
                part_at,
                "in_progress",
                PART,
                {
                    "department": co,
                    "department_name": self.department_names[co],
                    "on_time": part_at.date() <= row[4],
                },
            )
            t = part_at

        if stall:  # never answered: overdue once the deadline passes
            return

        remaining = cal.between(signed.date(), a["due"]) if a["due"] > signed.date() else 0
        if rng.random() < 0.88:
            target = rng.randint(0, max(0, remaining))
        else:
            target = remaining + rng.randint(1, 10)
        reply = max(self._later(signed, target), self._later(t, 0))
        for round_ in (0, 1):
            if reply > now:
                return
            a["status"] = "replied"
            a.update(replied_at=reply, first_replied_at=a["first_replied_at"] or reply)
            a["reply_count"] += 1
            event(
                "reply",
                handler,
                reply,
                "in_progress",
                rng.choice(REPLIES),
                {"on_time": reply.date() <= a["due"]},
            )

            auto = dt.datetime.combine(
                cal.after(reply.date(), self.auto_close_days),
                dt.time(AUTO_CLOSE_HOUR),
                self.tz,
            )
            rated = self._later(reply, rng.choice((0, 1, 1, 2, 3, 5)))
            unrated = rng.random() < (0.08 if round_ == 0 else 0.1)
            if unrated or rated >= auto:
                if auto > now:
                    return
                a.update(status="closed", closed_at=auto, close_reason="auto")
                event("auto_close", None, auto, "replied", "未在规定时间内评价，系统自动办结。")
                break
            if rated > now:
                return
            r = rng.random()
            rating = (
                "satisfied" if r < 0.74 else "basically_satisfied" if r < 0.91 else "dissatisfied"
            )
            if round_ == 1 and rating == "dissatisfied":
                rating = "basically_satisfied"
            a.update(rating=rating, rated_at=rated)
            if rating == "dissatisfied":
                a["status"] = "in_progress"
                a["rehandle_count"] += 1
                event("rate", member_id, rated, "replied", DISSATISFIED, {"rating": rating})
                reply = self._later(rated, rng.randint(2, 8))
                continue
            a.update(status="closed", closed_at=rated, close_reason="rated")
            event("rate", member_id, rated, "replied", "", {"rating": rating})
            break

        if a["status"] == "closed" and rng.random() < 0.05:  # a call-back
            called = self._later(a["closed_at"], rng.randint(1, 5))
            if called <= now:
                rating = rng.choice(RATINGS[:2]) if rng.random() < 0.9 else "dissatisfied"
                a["callback_rating"] = rating
                event(
                    "callback",
                    rng.choice(self.dispatchers),
                    called,
                    "closed",
                    "电话回访企业。",
                    {"rating": rating},
                )

    def _assign(self, aid, a, event, t, dispatcher, department, co, sign_days) -> int:
        """One routing: an Assignment row (its index in the pending rows is returned)."""
        assignment_id = self._next(Assignment)
        self.t_assignment.rows.append(
            (
                assignment_id,
                aid,
                department,
                dispatcher,
                t,
                self.calendar.after(t.date(), sign_days),
                None,
                None,
                None,
                "",
                False,
            )
        )
        co_due = None
        if co is not None:
            co_due = max(
                self.calendar.days[self.calendar.upto[(a["due"] - self.calendar.first).days] - 3],
                self.calendar.after(t.date(), 1),
            )
            co_due = min(co_due, a["due"])
            self.t_co.rows.append(
                (self._next(CoHandling), assignment_id, aid, co, co_due, "", None, None)
            )
        before = a["status"]
        a.update(
            status="assigned",
            lead=department,
            assignment=assignment_id,
            assigned_at=a["assigned_at"] or t,
            signed_at=None,
        )
        event(
            "assign",
            dispatcher,
            t,
            before,
            "",
            {
                "department": department,
                "department_name": self.department_names[department],
                "co_departments": [co] if co else [],
                "co_department_names": [self.department_names[co]] if co else [],
                "due_date": a["due"].isoformat(),
                "co_due_date": co_due.isoformat() if co_due else None,
            },
        )
        return len(self.t_assignment.rows) - 1
