"""The portal's part of ``seed_demo``: reference data, departments and the CONTRACT.md accounts.

Registered as seeder ``portal`` (``portal.registry.register_seeder``); every app's seeder runs
after it and finds ``users`` and ``departments`` in the shared context.
"""

from portal.models import Department, Region, Role, RoleGrant, User
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
    ("county1", "毛建华", Role.COUNTY_STAFF, None, "13905700007"),
    ("village1", "蓝秀英", Role.VILLAGE_REPORTER, None, "13905700008"),
]

JIANGSHAN = "330881000000"  # 江山市, county1's county
# village1's village: 双戴村 of 沐尘畲族乡 (龙游县), an ethnic (畲族) village, under its 2023 codes.
# With the full region dataset loaded (``load_regions``) the rows are found by code (the
# dataset names the village "双戴村村民委员会"); otherwise they are added.
LONGYOU = "330825000000"
ETHNIC_TOWNSHIP = ("330825212000", "沐尘畲族乡")
ETHNIC_VILLAGE = ("330825212227", "双戴村")


def demo_village() -> Region:
    """The ethnic village ``village1`` reports for (added if the dataset is not loaded)."""
    found = Region.objects.filter(code=ETHNIC_VILLAGE[0]).first()
    if found:
        return found
    county = Region.objects.get(code=LONGYOU)
    township, _ = Region.objects.get_or_create(
        code=ETHNIC_TOWNSHIP[0],
        defaults={
            "name": ETHNIC_TOWNSHIP[1],
            "level": Region.Level.TOWNSHIP,
            "parent": county,
            "vintage": county.vintage,
        },
    )
    village, _ = Region.objects.get_or_create(
        code=ETHNIC_VILLAGE[0],
        defaults={
            "name": ETHNIC_VILLAGE[1],
            "level": Region.Level.VILLAGE,
            "parent": township,
            "vintage": county.vintage,
        },
    )
    return village


def seed(context: dict) -> dict:
    """Regions, the holiday calendar, departments and accounts (passwords reset to
    ``context["password"]``); idempotent."""
    # Reference data the migrations ship, restored if a test or an admin removed it.
    ensure_built_in_regions()
    sync_from_chinesecalendar()
    departments = {}
    for order, (code, name, short) in enumerate(DEPARTMENTS):
        departments[code], _ = Department.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short, "sort_order": order}
        )
    users = {}
    for username, name, role, dept, mobile in ACCOUNTS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.name, user.role, user.mobile = name, role, mobile
        user.department = departments[dept] if dept else None
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.set_password(context["password"])
        user.save()
        users[username] = user
    scopes = {
        "county1": Region.objects.get(code=JIANGSHAN),
        "village1": demo_village(),
    }
    for username, region in scopes.items():
        user = users[username]
        RoleGrant.objects.get_or_create(user=user, role=user.role, region=region)
    return {
        "departments": departments,
        "users": users,
        "summary": [
            f"{len(departments)} departments, {len(users)} accounts "
            f"(password {context['password']!r})"
        ],
    }
