"""``seed_demo [--password PW]``: idempotent demo data and the CONTRACT.md accounts.

Departments, the accounts, enterprises of Quzhou's industry chains with their members, and
appeals in every status (``enterprises.demo``). A second run changes passwords back to PW and
creates nothing new.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from enterprises import demo
from enterprises.models import Appeal, Membership
from enterprises.reference import ensure_escalation_rules, ensure_reference_data
from enterprises.services import membership_request
from enterprises.services import stats as stats_services
from portal.models import Department, Role, User
from portal.regions import ensure_built_in_regions
from portal.workdays import sync_from_chinesecalendar

DEPARTMENTS = [
    ("fgw", "衢州市发展和改革委员会", "市发改委"),
    ("jxj", "衢州市经济和信息化局", "市经信局"),
    ("kjj", "衢州市科学技术局", "市科技局"),
    ("czj", "衢州市财政局", "市财政局"),
    ("rsj", "衢州市人力资源和社会保障局", "市人力社保局"),
    ("zrzyj", "衢州市自然资源和规划局", "市自然资源规划局"),
    ("zjj", "衢州市住房和城乡建设局", "市住建局"),
    ("swj", "衢州市商务局", "市商务局"),
    ("scjgj", "衢州市市场监督管理局", "市市场监管局"),
    ("jrb", "衢州市地方金融监督管理局", "市金融办"),
    ("sthjj", "衢州市生态环境局", "市生态环境局"),
    ("tax", "国家税务总局衢州市税务局", "市税务局"),
]

ACCOUNTS = [
    # username, name, role, department code, mobile
    ("admin", "系统管理员", Role.ADMIN, None, "13905700001"),
    ("dispatcher", "王晓燕", Role.DISPATCHER, None, "13905700002"),
    ("handler1", "李建国", Role.HANDLER, "jxj", "13905700003"),
    ("handler2", "陈丽华", Role.HANDLER, "zrzyj", "13905700004"),
    ("depthead1", "张卫东", Role.DEPARTMENT_HEAD, "jxj", "13905700005"),
    ("leader", "周书记", Role.LEADER, None, "13905700006"),
    ("entrepreneur1", "徐志强", Role.ENTREPRENEUR, None, "13805701234"),
    ("entrepreneur2", "吴美玲", Role.ENTREPRENEUR, None, "13805705678"),
    ("applicant", "郑新民", Role.ENTREPRENEUR, None, "13605709876"),
]


class Command(BaseCommand):
    help = "Load demo departments, enterprises and the demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="tongxin-demo")

    @transaction.atomic
    def handle(self, *args, password: str, **options):
        # Reference data the migrations ship, restored if a test or an admin removed it.
        ensure_built_in_regions()
        sync_from_chinesecalendar()
        ensure_reference_data()
        ensure_escalation_rules()
        departments = {}
        for order, (code, name, short) in enumerate(DEPARTMENTS):
            departments[code], _ = Department.objects.update_or_create(
                code=code, defaults={"name": name, "short_name": short, "sort_order": order}
            )

        enterprises = demo.ensure_enterprises()

        users = {}
        for username, name, role, dept, mobile in ACCOUNTS:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.name, user.role, user.mobile = name, role, mobile
            user.department = departments[dept] if dept else None
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.set_password(password)
            user.save()
            users[username] = user

        dispatcher = users["dispatcher"]
        for username, key in (
            ("entrepreneur1", "hx"),
            ("entrepreneur1", "xh"),
            ("entrepreneur2", "ly"),
        ):
            Membership.objects.get_or_create(
                user=users[username],
                enterprise=enterprises[key],
                defaults={
                    "status": Membership.Status.VERIFIED,
                    "decided_by": dispatcher,
                    "decided_at": timezone.now(),
                },
            )
        # One request waits in the dispatcher's queue, with its notification.
        if not Membership.objects.filter(user=users["applicant"]).exists():
            membership_request(user=users["applicant"], uscc=enterprises["szy"].uscc)
        context = demo.DemoContext(users=users, departments=departments, enterprises=enterprises)
        created = demo.seed_appeals(context)
        sessions = demo.seed_sessions(context)
        celebrations = demo.seed_celebrations(context)
        # The sessions' history is written in bulk: give its closed appeals their handling time
        # and build the figures' roll-up, so the dashboard reads the demo at full speed.
        stats_services.recount_handling_days(missing_only=True)
        stats_services.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(departments)} departments, {len(enterprises)} enterprises, "
                f"{len(users)} accounts (password {password!r}), {len(created)} new appeals "
                f"({Appeal.objects.count()} in all)."
            )
        )
        self.stdout.write(
            f"Dialogue sessions: {sessions['sessions']} new, with {sessions['session_appeals']} "
            f"appeals of their needs; light-up days: {celebrations} new."
        )
