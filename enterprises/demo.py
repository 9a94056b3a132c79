"""The appeal loop's part of ``seed_demo``: enterprises of Quzhou's industry chains, and appeals
in every status with real timelines.

Every appeal is driven through ``enterprises.services`` with the clock set back
(``django.utils.timezone.now`` patched around each call), so numbers, deadlines in working days,
clock stops, timeline events and notifications are exactly what the portal itself would have
written on those days. Appeals are keyed by (enterprise, title): running it again adds nothing.

Times are given in working days before today (``-3`` = three working days ago) and a time of
day; steps dated today that the real clock has not reached yet are squeezed into the part of
today that has passed, keeping their order.
"""

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone

from enterprises import services
from enterprises.models import (
    Appeal,
    AppealCategory,
    Enterprise,
    EnterpriseSize,
    Extension,
    IndustryChain,
    ListingStatus,
)
from portal.models import Department, Notification, Region, Role, User
from portal.validators import USCC_CHARSET, compute_uscc_check
from portal.workdays import add_working_days, is_working_day

L = EnterpriseSize.LARGE
M = EnterpriseSize.MEDIUM
S = EnterpriseSize.SMALL
LISTED, PREPARING, UNLISTED = ListingStatus.LISTED, ListingStatus.PREPARING, ListingStatus.UNLISTED


@dataclass(frozen=True)
class DemoEnterprise:
    key: str
    name: str
    county: str  # 6-digit county code
    chain: str
    size: str
    listing: str


# The first seven keep the names earlier demo data used (their codes derive from name + county).
ENTERPRISES = [
    DemoEnterprise("hx", "衢州华星氟硅新材料有限公司", "330803", "化工新材料", L, LISTED),
    DemoEnterprise("ly", "衢州锂源新能源科技有限公司", "330802", "新能源", M, PREPARING),
    DemoEnterprise("jg", "龙游精工高端装备制造有限公司", "330825", "高端装备", M, UNLISTED),
    DemoEnterprise("xh", "衢州仙鹤特种纸业有限公司", "330802", "特种纸", L, LISTED),
    DemoEnterprise("szy", "江山数智云科技有限公司", "330881", "数字经济", S, UNLISTED),
    DemoEnterprise("hy", "常山胡柚生物科技有限公司", "330822", "生命健康", S, UNLISTED),
    DemoEnterprise("gg", "开化根宫文旅发展有限公司", "330824", "其他", M, UNLISTED),
    DemoEnterprise("fg", "衢州氟谷新材料股份有限公司", "330803", "化工新材料", L, PREPARING),
    DemoEnterprise("gj", "浙江衢江硅基材料有限公司", "330803", "化工新材料", M, UNLISTED),
    DemoEnterprise("gh", "江山光合储能科技有限公司", "330881", "新能源", M, UNLISTED),
    DemoEnterprise("zc", "衢州智造精密轴承有限公司", "330802", "高端装备", M, UNLISTED),
    DemoEnterprise("hc", "龙游恒昌特种纸业有限公司", "330825", "特种纸", L, PREPARING),
    DemoEnterprise("yf", "开化云峰数据科技有限公司", "330824", "数字经济", S, UNLISTED),
    DemoEnterprise("xy", "常山鑫源输送机械有限公司", "330822", "高端装备", S, UNLISTED),
    DemoEnterprise("jx", "江山匠心木业智能家居有限公司", "330881", "其他", M, UNLISTED),
    DemoEnterprise("lg", "龙游绿能光伏电力有限公司", "330825", "新能源", S, UNLISTED),
]

# Handlers of the other departments: actors of the demo timelines. They get no usable
# password (an admin can give them one); the CONTRACT.md accounts are made by seed_demo.
STAFF = [
    # username, name, department code
    ("fgw_handler", "赵志明", "fgw"),
    ("rsj_handler", "钱晓红", "rsj"),
    ("jrb_handler", "孙立新", "jrb"),
    ("tax_handler", "周海燕", "tax"),
    ("sthjj_handler", "吴国平", "sthjj"),
    ("zjj_handler", "郑文斌", "zjj"),
]


def demo_uscc(name: str, county_code: str) -> str:
    """A valid, stable unified social credit code for a demo enterprise."""
    digest = hashlib.sha256(name.encode()).digest()
    org = "".join(USCC_CHARSET[b % 31] for b in digest[:9])
    first17 = "91" + county_code + org
    return first17 + compute_uscc_check(first17)


def _location(spec: DemoEnterprise) -> Region | None:
    """A township of the county when the township level is loaded, else the county itself."""
    county = Region.objects.filter(code=spec.county + "000000").first()
    if county is None:
        return None
    townships = list(
        Region.objects.filter(parent=county, level=Region.Level.TOWNSHIP).order_by("code")
    )
    if not townships:
        return county
    return townships[hashlib.sha256(spec.name.encode()).digest()[0] % len(townships)]


def ensure_enterprises() -> dict[str, Enterprise]:
    """The demo enterprises, created when missing; missing directory fields are filled in."""
    chains = {chain.name: chain for chain in IndustryChain.objects.all()}
    result = {}
    for spec in ENTERPRISES:
        chain = chains.get(spec.chain)
        enterprise, created = Enterprise.objects.get_or_create(
            uscc=demo_uscc(spec.name, spec.county),
            defaults={
                "name": spec.name,
                "region": _location(spec),
                "industry_chain": chain,
                "size": spec.size,
                "listing_status": spec.listing,
            },
        )
        if not created and (enterprise.industry_chain_id is None or not enterprise.size):
            # Rows written by an earlier seed_demo, before the directory had these fields.
            enterprise.industry_chain = enterprise.industry_chain or chain
            enterprise.size = enterprise.size or spec.size
            enterprise.listing_status = spec.listing
            enterprise.region = enterprise.region or _location(spec)
            enterprise.save(update_fields=["industry_chain", "size", "listing_status", "region"])
        result[spec.key] = enterprise
    return result


def ensure_staff(departments: dict[str, Department]) -> dict[str, User]:
    staff = {}
    for username, name, code in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, name=name, role=Role.HANDLER)
            user.department = departments[code]
            user.set_unusable_password()
            user.save()
        staff[code] = user
    return staff


# --- the appeals --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    wd: int  # working days before today (0 = today, -1 = the working day before, …)
    at: str  # time of day, "HH:MM"
    action: str
    actor: str  # a key of DemoContext.actors, e.g. "ent1", "handler1", "h:rsj", "system"
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    title: str
    enterprise: str
    category: str
    content: str
    steps: tuple[Step, ...]
    source: str = "platform"


def st(wd: int, at: str, action: str, actor: str, **kwargs) -> Step:
    return Step(wd, at, action, actor, kwargs)


def routed(
    submit: int,
    by: str,
    department: str,
    handler: str,
    *,
    accept: int | None = None,
    assign: int | None = None,
    sign: int | None = None,
    **assign_kwargs,
) -> list[Step]:
    """Submission, acceptance, assignment and signing on the given working days."""
    accept = submit if accept is None else accept
    assign = accept if assign is None else assign
    steps = [
        st(submit, "09:12", "submit", by),
        st(accept, "10:40", "accept", "dispatcher"),
        st(assign, "14:05", "assign", "dispatcher", department=department, **assign_kwargs),
    ]
    if sign is not None:
        steps.append(st(sign, "16:20", "sign", handler))
    return steps


SCENARIOS: list[Scenario] = [
    # --- submitted: waiting in the dispatcher's inbox ------------------------------------------
    Scenario(
        "高新技术企业认定申报材料咨询",
        "hx",
        "政策咨询",
        "我司计划今年申报国家高新技术企业，对研发费用归集口径、知识产权数量和科技人员占比的要求"
        "不太清楚，希望相关部门给予一对一的政策辅导。",
        (st(0, "09:20", "submit", "ent1"),),
    ),
    Scenario(
        "储能电站并网接入进度缓慢",
        "ly",
        "基础设施",
        "我司在衢州智造新城建设的10MW/20MWh储能电站已完工两个月，供电公司并网接入方案至今"
        "未批复，设备闲置，每月损失约30万元，恳请协调加快并网。",
        (st(-1, "15:40", "submit", "ent2"),),
    ),
    Scenario(
        "特种纸生产线技改补助资金何时拨付",
        "xh",
        "融资信贷",
        "我司特种纸生产线技术改造项目已通过验收，补助资金拨付进度一直没有消息，请问补助资金何时"
        "能够拨付到位？",
        (st(0, "10:05", "submit", "ent1"),),
    ),
    Scenario(
        "景区配套停车场用地报批咨询",
        "gg",
        "用地用房",
        "企业来电：根宫佛国景区拟新建配套停车场约40亩，咨询用地报批流程、所需材料和办理时限，"
        "以及能否使用点状供地政策。",
        (st(-1, "11:00", "submit", "dispatcher"),),
        source="hotline",
    ),
    # --- accepted: waiting to be routed (one of them returned as misrouted) ----------------------
    Scenario(
        "数据中心用电扩容申请",
        "szy",
        "基础设施",
        "走访中企业反映：公司数据中心二期机柜上架后用电负荷将增加2000千伏安，现有变压器容量"
        "不足，申请协调供电部门尽快扩容。",
        (st(-2, "14:00", "submit", "dispatcher"), st(-1, "09:30", "accept", "dispatcher")),
        source="visit",
    ),
    Scenario(
        "胡柚深加工项目环评审批",
        "hy",
        "审批许可",
        "企业来电反映：胡柚深加工（胡柚膏、胡柚饮料）扩产项目环评报告表已提交一个月，尚未出具"
        "审批意见，影响设备进场。",
        (
            st(-4, "10:00", "submit", "dispatcher"),
            st(-4, "15:00", "accept", "dispatcher"),
            st(-3, "09:00", "assign", "dispatcher", department="jxj"),
            st(
                -3,
                "16:00",
                "return",
                "handler1",
                reason="环评审批属于生态环境部门职责，不在我局职能范围，请改派市生态环境局。",
            ),
        ),
        source="hotline",
    ),
    # --- rejected ------------------------------------------------------------------------------
    Scenario(
        "请求协调解决与供应商的合同纠纷",
        "ly",
        "其他",
        "我司与外地一家隔膜供应商因质量问题产生合同纠纷，对方拒绝退货退款，请政府出面协调。",
        (
            st(-6, "10:00", "submit", "ent2"),
            st(
                -5,
                "11:00",
                "reject",
                "dispatcher",
                reason="该事项属于企业间民事合同纠纷，不属于企呼我应受理范围。建议通过协商、"
                "仲裁或诉讼解决，可拨打12348公共法律服务热线咨询。",
            ),
        ),
    ),
    Scenario(
        "要求政府回购闲置厂房",
        "jx",
        "其他",
        "企业来电：因订单下滑，公司一栋约8000平方米厂房闲置，希望政府按原价回购。",
        (
            st(-15, "09:40", "submit", "dispatcher"),
            st(
                -14,
                "10:10",
                "reject",
                "dispatcher",
                reason="厂房处置属于企业自主经营事项，政府不承担回购。可通过产业园区招商平台"
                "发布厂房出租信息，已告知企业联系方式。",
            ),
        ),
        source="hotline",
    ),
    # --- assigned, not yet signed for -----------------------------------------------------------
    Scenario(
        "省级企业技术中心认定申报辅导",
        "xh",
        "政策咨询",
        "我司拟申报省级企业技术中心，请问研发投入、研发人员和创新成果方面的具体认定标准，"
        "以及申报时间安排。",
        tuple(routed(-1, "ent1", "jxj", "handler1", assign=0)),
    ),
    Scenario(
        "光伏项目屋顶租赁用地性质认定",
        "gh",
        "用地用房",
        "企业来电：公司租用园区企业厂房屋顶建设分布式光伏，备案时被要求提供用地性质证明，"
        "不清楚应由哪个部门出具。",
        tuple(routed(-2, "dispatcher", "zrzyj", "handler2", assign=-1)),
        source="hotline",
    ),
    Scenario(
        "数控机床技术工人招聘难",
        "zc",
        "人才用工",
        "走访中企业反映：公司新上两条精密轴承产线，急需数控机床操作工30名、设备维修工5名，"
        "本地招聘困难，希望人社部门帮助对接技工院校。",
        tuple(routed(-2, "dispatcher", "rsj", "h:rsj", assign=-1)),
        source="visit",
    ),
    Scenario(
        "数字经济企业上云补贴政策咨询",
        "yf",
        "政策咨询",
        "企业来电咨询：今年企业上云用云补贴的申报条件、补贴比例和申报入口。",
        tuple(routed(-3, "dispatcher", "jxj", "handler1", assign=-2)),
        source="hotline",
    ),
    # --- in progress ---------------------------------------------------------------------------
    Scenario(
        "新建有机硅单体项目节能审查卡在专家评审环节",
        "hx",
        "审批许可",
        "我司年产20万吨有机硅单体项目已报送节能报告，专家评审会迟迟未安排，影响项目开工，"
        "请协调尽快组织评审。",
        (
            *routed(-7, "ent1", "jxj", "handler1", assign=-6, sign=-6),
            st(
                -2,
                "10:30",
                "request_info",
                "handler1",
                question="请补充项目节能报告修改稿及用能指标来源说明，以便我局提请专家评审。",
            ),
        ),
    ),
    Scenario(
        "新能源汽车零部件技改项目备案变更",
        "ly",
        "审批许可",
        "我司技改项目建设内容调整，新增电池包壳体生产线，需要办理项目备案变更，请指导办理。",
        (
            *routed(-10, "ent2", "jxj", "handler1", assign=-9, sign=-9),
            st(
                -1,
                "10:00",
                "extend",
                "handler1",
                days=10,
                reason="备案变更涉及省经信厅会签，预计需两周，申请延期10个工作日。",
            ),
        ),
    ),
    Scenario(
        "化工园区专用管廊接入协调",
        "hx",
        "基础设施",
        "我司新建装置需接入园区公共管廊，管廊穿越相邻地块的规划手续尚未办理，请协调经信、"
        "自然资源部门共同推进。",
        (
            *routed(-8, "ent1", "jxj", "handler1", assign=-7, sign=-7, co=["zrzyj"]),
            st(
                -3,
                "15:30",
                "submit_part",
                "handler2",
                content="管廊穿越地块的规划选址意见已出具，相邻地块权属清晰，可按临时用地办理"
                "施工手续，具体材料清单已发企业联系人。",
            ),
        ),
    ),
    Scenario(
        "特种纸厂区扩建新增用地指标",
        "xh",
        "用地用房",
        "我司特种纸三期项目拟在现有厂区东侧扩建，需新增工业用地约60亩，请协调用地指标和供地时序。",
        tuple(routed(-6, "ent1", "zrzyj", "handler2", assign=-5, sign=-5, co=["jxj"])),
    ),
    Scenario(
        "数字化改造专项补助资金迟迟未拨付",
        "hx",
        "融资信贷",
        "我司2025年数字化改造项目已通过验收并公示，专项补助资金300万元至今未拨付，企业资金"
        "周转压力较大，请协调尽快拨付。",
        (
            *routed(-16, "ent1", "jxj", "handler1", accept=-15, assign=-14, sign=-14),
            st(
                -2,
                "17:00",
                "supervise",
                "leader",
                note="请市经信局会同市财政局本周内拿出拨付方案，确保按期办结并向企业反馈。",
            ),
        ),
    ),
    Scenario(
        "新厂区不动产权证办理延误",
        "hc",
        "用地用房",
        "企业来电：新厂区已竣工验收三个月，不动产权证仍未办出，影响银行抵押贷款。",
        tuple(routed(-37, "dispatcher", "zrzyj", "handler2", accept=-36, assign=-35, sign=-34)),
        source="hotline",
    ),
    Scenario(
        "新厂房建设工程规划许可证办理",
        "jg",
        "审批许可",
        "走访中企业反映：高端装备新厂房设计方案已通过审查，建设工程规划许可证办理进度较慢。",
        tuple(routed(-10, "dispatcher", "zrzyj", "handler2", assign=-9, sign=-8)),
        source="visit",
    ),
    Scenario(
        "技能人才培训补贴申领",
        "ly",
        "人才用工",
        "我司今年组织120名员工参加电工、焊工等职业技能等级认定，请问培训补贴如何申领。",
        tuple(routed(-4, "ent2", "rsj", "h:rsj", assign=-3, sign=-3)),
    ),
    Scenario(
        "数据中心项目能耗指标申请",
        "szy",
        "审批许可",
        "亲清半月谈会上企业提出：数据中心二期项目需新增能耗指标约5000吨标准煤，请协调解决。",
        (
            *routed(-13, "dispatcher", "fgw", "h:fgw", assign=-12, sign=-11),
            st(
                -4,
                "11:20",
                "extend",
                "h:fgw",
                days=8,
                reason="需等待省发改委下达年度能耗指标，申请延期8个工作日。",
            ),
            st(-3, "09:15", "approve_extension", "dispatcher", note="同意延期，请按新期限办结。"),
        ),
        source="session",
    ),
    Scenario(
        "特种纸生产线技术改造补助资金拨付进度",
        "xh",
        "融资信贷",
        "我司特种纸生产线技术改造项目已通过验收，补助资金拨付进度一直没有消息，请协调尽快"
        "拨付补助资金。",
        tuple(routed(-6, "ent1", "jxj", "handler1", assign=-5, sign=-5)),
    ),
    Scenario(
        "硅基材料项目危化品经营许可证换证",
        "gj",
        "审批许可",
        "亲清半月谈会上企业提出：危险化学品经营许可证即将到期，换证需要的安全评价报告"
        "编制周期长，担心影响正常经营。",
        tuple(routed(-4, "dispatcher", "sthjj", "h:sthjj", assign=-3, sign=-2)),
        source="session",
    ),
    Scenario(
        "首台套装备保险补偿资金申请",
        "xy",
        "融资信贷",
        "亲清半月谈会上企业提出：公司研制的大倾角带式输送机入选省首台套目录，咨询保险补偿"
        "资金的申请流程。",
        tuple(routed(-14, "dispatcher", "jrb", "h:jrb", assign=-13, sign=-12)),
        source="session",
    ),
    Scenario(
        "厂区土地证登记面积与实测不符",
        "ly",
        "用地用房",
        "我司厂区土地证登记面积比实测面积少约1.2亩，影响后续扩建审批，请协助办理更正登记。",
        (
            *routed(-20, "ent2", "zrzyj", "handler2", assign=-19, sign=-19),
            st(
                -6,
                "15:00",
                "reply",
                "handler2",
                content="经核查，差异系原测绘误差所致，请企业委托有资质的测绘单位出具报告后"
                "申请更正登记。",
            ),
            st(
                -5,
                "09:30",
                "rate",
                "ent2",
                rating="dissatisfied",
                comment="答复只让企业自行委托测绘，没有说明费用承担和办理时限，请给出明确意见。",
            ),
        ),
    ),
    # --- replied, waiting for the enterprise's rating --------------------------------------------
    Scenario(
        "出口退税办理进度咨询",
        "hx",
        "政策咨询",
        "我司8月份申报的出口退税约260万元尚未到账，请问目前审核进度和预计到账时间。",
        (
            *routed(-4, "ent1", "tax", "h:tax", assign=-3, sign=-3),
            st(
                -1,
                "16:40",
                "reply",
                "h:tax",
                content="经查，贵司申报的出口退税已审核通过，预计5个工作日内退库到账。",
            ),
        ),
    ),
    Scenario(
        "专精特新中小企业认定条件咨询",
        "xh",
        "政策咨询",
        "我司主营特种装饰原纸，请问申报省级专精特新中小企业需要满足哪些条件。",
        (
            *routed(-5, "ent1", "jxj", "handler1", assign=-4, sign=-4),
            st(
                -2,
                "11:00",
                "reply",
                "handler1",
                content="已将认定办法和评分细则发至企业邮箱，贵司主导产品细分市场占有率符合要求，"
                "建议补充研发费用专项审计报告后于下月申报。",
            ),
        ),
    ),
    Scenario(
        "锂电池产线扩产急需招聘操作工",
        "ly",
        "人才用工",
        "我司锂电池材料产线扩产，需新招操作工80名，希望人社部门协助组织专场招聘会。",
        (
            *routed(-8, "ent2", "rsj", "h:rsj", assign=-7, sign=-7),
            st(
                -1,
                "10:20",
                "reply",
                "h:rsj",
                content="已安排下周三在智造新城人力资源市场举办专场招聘会，并对接衢州技师学院"
                "定向输送实习生。",
            ),
        ),
    ),
    Scenario(
        "分布式光伏并网验收延迟",
        "lg",
        "基础设施",
        "企业来电：公司投资的分布式光伏项目已建成，并网验收一再推迟。",
        (
            *routed(-9, "dispatcher", "fgw", "h:fgw", assign=-8, sign=-8),
            st(
                -3,
                "14:30",
                "reply",
                "h:fgw",
                content="已协调供电公司，并网验收定于本周五进行，请企业做好现场准备。",
            ),
        ),
        source="hotline",
    ),
    # --- closed --------------------------------------------------------------------------------
    Scenario(
        "流动资金贷款到期续贷",
        "hx",
        "融资信贷",
        "我司一笔2000万元流动资金贷款下月到期，原贷款银行表示需压降额度，请协调续贷。",
        (
            *routed(-25, "ent1", "jrb", "h:jrb", assign=-24, sign=-24),
            st(
                -20,
                "15:10",
                "reply",
                "h:jrb",
                content="经协调，贷款银行同意按原额度办理无还本续贷，已与企业财务负责人对接。",
            ),
            st(
                -19,
                "09:05",
                "rate",
                "ent1",
                rating="satisfied",
                comment="银行已完成续贷，感谢协调！",
            ),
            st(
                -15,
                "10:00",
                "callback",
                "dispatcher",
                rating="satisfied",
                note="电话回访，企业对办理结果满意。",
            ),
        ),
    ),
    Scenario(
        "新厂区道路路灯配套建设",
        "ly",
        "基础设施",
        "我司新厂区门前道路至今没有路灯，夜班员工上下班存在安全隐患，请协调建设。",
        (
            *routed(-45, "ent2", "zjj", "h:zjj", assign=-44, sign=-43),
            st(
                -25,
                "16:00",
                "reply",
                "h:zjj",
                content="路灯已纳入今年园区道路提升工程，已完成安装并通电。",
            ),
            st(
                -24,
                "10:00",
                "rate",
                "ent2",
                rating="basically_satisfied",
                comment="路灯已装好，但进度偏慢。",
            ),
        ),
    ),
    Scenario(
        "排污许可证延续办理",
        "xh",
        "审批许可",
        "我司排污许可证将于下月到期，延续申请提交后系统一直显示待审核，请协调加快办理。",
        (
            st(-31, "09:00", "submit", "ent1"),
            st(-31, "11:00", "accept", "dispatcher"),
            st(-30, "09:00", "assign", "dispatcher", department="jxj"),
            st(
                -30,
                "14:00",
                "return",
                "handler1",
                reason="排污许可证核发属于生态环境部门职责，请改派市生态环境局。",
            ),
            st(-29, "09:30", "assign", "dispatcher", department="sthjj"),
            st(-29, "14:00", "sign", "h:sthjj"),
            st(
                -27,
                "10:00",
                "request_info",
                "h:sthjj",
                question="请补充近一年的自行监测报告和执行报告。",
            ),
            st(
                -25,
                "15:00",
                "provide_info",
                "ent1",
                content="已上传2025年度自行监测报告和季度执行报告。",
            ),
            st(
                -22,
                "16:00",
                "reply",
                "h:sthjj",
                content="排污许可证已完成延续审批，可在平台下载电子证照。",
            ),
            st(-21, "09:00", "rate", "ent1", rating="satisfied"),
        ),
    ),
    Scenario(
        "亩均效益评价结果异议",
        "hx",
        "政策咨询",
        "我司亩均效益评价被评为B类，认为用地面积统计有误，请问如何提出复核。",
        (
            *routed(-30, "ent1", "jxj", "handler1", assign=-29, sign=-29),
            st(
                -27,
                "15:00",
                "reply",
                "handler1",
                content="经复核，贵司用地面积已按新证更正，评价结果调整为A类，将在下一批名单中公布。",
            ),
            st(-26, "09:20", "rate", "ent1", rating="satisfied", comment="问题解决了，谢谢！"),
        ),
    ),
    Scenario(
        "新建厂房不动产首次登记",
        "ly",
        "用地用房",
        "我司新建厂房已竣工验收，请问不动产首次登记需要准备哪些材料。",
        (
            *routed(-50, "ent2", "zrzyj", "handler2", assign=-49, sign=-49),
            st(
                -30,
                "14:00",
                "reply",
                "handler2",
                content="已指导企业通过浙里办提交材料，登记已办结。",
            ),
            st(-29, "10:00", "rate", "ent2", rating="satisfied"),
        ),
    ),
    Scenario(
        "技改项目电力增容费用减免",
        "xh",
        "基础设施",
        "我司技改项目需电力增容4000千伏安，请问能否享受省里降低企业用电成本的增容费用减免政策。",
        (
            *routed(-24, "ent1", "jxj", "handler1", assign=-23, sign=-23),
            st(-18, "15:00", "reply", "handler1", content="相关政策文件已发送企业，请对照执行。"),
            st(
                -17,
                "09:40",
                "rate",
                "ent1",
                rating="dissatisfied",
                comment="答复只转述了政策文件，没有明确我司能否享受减免，请给出具体意见。",
            ),
            st(
                -12,
                "16:00",
                "reply",
                "handler1",
                content="经与供电公司核实，贵司项目符合增容费用减免条件，可减免约56万元，"
                "已出具认定函。",
            ),
            st(-11, "10:00", "rate", "ent1", rating="satisfied", comment="重办后答复明确，感谢。"),
        ),
    ),
    Scenario(
        "旅游项目用地规划调整咨询",
        "gg",
        "用地用房",
        "企业来电：根宫文旅二期项目部分地块规划为林地，咨询能否调整为旅游设施用地。",
        (
            *routed(-22, "dispatcher", "zrzyj", "handler2", assign=-20, sign=-20),
            st(
                -12,
                "15:00",
                "reply",
                "handler2",
                content="该地块位于生态保护红线外，可结合国土空间规划修编统筹调整，已告知企业办理路径。",
            ),
            st(-3, "02:00", "auto_close", "system"),
        ),
        source="hotline",
    ),
    Scenario(
        "新材料首批次应用保险补偿申报",
        "fg",
        "政策咨询",
        "亲清半月谈会上企业提出：新研发的电子级氢氟酸如何申报新材料首批次应用保险补偿。",
        (
            *routed(-26, "dispatcher", "jxj", "handler1", assign=-25, sign=-25),
            st(
                -21,
                "10:00",
                "reply",
                "handler1",
                content="已将申报指南和材料清单发给企业，申报窗口为每年6月。",
            ),
            st(-12, "02:00", "auto_close", "system"),
        ),
        source="session",
    ),
    # --- a repeat, merged into the earlier appeal it repeats ------------------------------------
    Scenario(
        "数字化改造补助资金拨付太慢",
        "hx",
        "融资信贷",
        "我司2025年数字化改造项目已通过验收，专项补助资金300万元至今未拨付，请协调尽快拨付。",
        (
            st(-9, "10:00", "submit", "ent1"),
            st(
                -8,
                "09:30",
                "merge",
                "dispatcher",
                into="数字化改造专项补助资金迟迟未拨付",
                note="与已在办的同一事项合并办理。",
            ),
        ),
    ),
]


OPENS = dt.time(8)


class DemoContext:
    """The demo's people, departments and enterprises, and its clock."""

    def __init__(
        self,
        *,
        users: dict[str, User],
        departments: dict[str, Department],
        enterprises: dict[str, Enterprise],
        now: dt.datetime | None = None,
    ):
        self.departments = departments
        self.enterprises = enterprises
        self.staff = ensure_staff(departments)
        self.actors: dict[str, User | None] = {
            "dispatcher": users["dispatcher"],
            "leader": users["leader"],
            "handler1": users["handler1"],
            "handler2": users["handler2"],
            "depthead1": users["depthead1"],
            "ent1": users["entrepreneur1"],
            "ent2": users["entrepreneur2"],
            "system": None,
            **{f"h:{code}": user for code, user in self.staff.items()},
        }
        self.categories = {c.name: c for c in AppealCategory.objects.all()}
        self.now = timezone.localtime(now or timezone.now())
        today = self.now.date()
        # "Today" of the demo is today if it is a working day whose office hours have begun,
        # else the working day before.
        if is_working_day(today) and self.now.time() >= dt.time(OPENS.hour + 1):
            self.base = today
        else:
            self.base = add_working_days(today, -1)

    def moment(self, wd: int, at: str) -> dt.datetime:
        day = add_working_days(self.base, wd) if wd else self.base
        hour, minute = (int(part) for part in at.split(":"))
        nominal = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        if nominal < self.now:
            return nominal
        # Not reached yet today: squeeze the office day into the part of it that has passed,
        # keeping the steps' order.
        opens = timezone.make_aware(dt.datetime.combine(day, OPENS))
        fraction = max(0, (hour - OPENS.hour) * 60 + minute) / ((24 - OPENS.hour) * 60)
        return opens + (self.now - opens) * fraction


Handler = Callable[[DemoContext, Scenario, Appeal | None, User | None, dict], Appeal | None]


def _submit(ctx, scenario, appeal, actor, kwargs):
    return services.appeal_submit(
        actor=actor,
        enterprise=ctx.enterprises[scenario.enterprise],
        title=scenario.title,
        content=scenario.content,
        category=ctx.categories[scenario.category],
        source=scenario.source,
    )


def _assign(ctx, scenario, appeal, actor, kwargs):
    return services.appeal_assign(
        appeal=appeal,
        actor=actor,
        department=ctx.departments[kwargs["department"]],
        co_departments=[ctx.departments[code] for code in kwargs.get("co", ())],
        priority=kwargs.get("priority"),
    )


def _extend(ctx, scenario, appeal, actor, kwargs):
    appeal = services.appeal_extend(
        appeal=appeal,
        actor=actor,
        due_date=add_working_days(appeal.due_date, kwargs["days"]),
        reason=kwargs["reason"],
    )
    # ``requested_at`` defaults to the real clock (a field default is not patched).
    Extension.objects.filter(appeal=appeal, status=Extension.Decision.PENDING).update(
        requested_at=timezone.now()
    )
    return appeal


def _merge(ctx, scenario, appeal, actor, kwargs):
    into = Appeal.objects.get(enterprise=ctx.enterprises[scenario.enterprise], title=kwargs["into"])
    return services.appeal_merge(appeal=appeal, actor=actor, into=into, note=kwargs["note"])


def _auto_close(ctx, scenario, appeal, actor, kwargs):
    services.close_unrated_replies(today=timezone.localdate())
    return Appeal.objects.get(pk=appeal.pk)


def _service(name: str) -> Handler:
    def run(ctx, scenario, appeal, actor, kwargs):
        return getattr(services, f"appeal_{name}")(appeal=appeal, actor=actor, **kwargs)

    return run


ACTIONS: dict[str, Handler] = {
    "submit": _submit,
    "assign": _assign,
    "extend": _extend,
    "merge": _merge,
    "auto_close": _auto_close,
    **{
        name: _service(name)
        for name in (
            "accept",
            "reject",
            "sign",
            "return",
            "request_info",
            "provide_info",
            "submit_part",
            "reply",
            "rate",
            "approve_extension",
            "supervise",
            "callback",
        )
    },
}


def seed_appeals(ctx: DemoContext) -> list[Appeal]:
    """Create the demo appeals that do not exist yet, oldest submission first (so numbers rise
    with time); returns the ones created."""
    scenarios = sorted(SCENARIOS, key=lambda s: ctx.moment(s.steps[0].wd, s.steps[0].at))
    created = []
    for scenario in scenarios:
        enterprise = ctx.enterprises[scenario.enterprise]
        if Appeal.objects.filter(enterprise=enterprise, title=scenario.title).exists():
            continue
        appeal = None
        for step in scenario.steps:
            moment = ctx.moment(step.wd, step.at)
            with mock.patch("django.utils.timezone.now", new=lambda moment=moment: moment):
                appeal = ACTIONS[step.action](
                    ctx, scenario, appeal, ctx.actors[step.actor], dict(step.kwargs)
                )
        created.append(appeal)
    _mark_old_notifications_read(created, ctx.now)
    return created


def _mark_old_notifications_read(appeals: list[Appeal], now: dt.datetime) -> None:
    """People have read what reached them more than three days ago; newer news stays unread."""
    if not appeals:
        return
    Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(Appeal),
        target_id__in=[a.pk for a in appeals],
        read_at__isnull=True,
        created_at__lt=now - dt.timedelta(days=3),
    ).update(read_at=F("created_at") + dt.timedelta(hours=2))
