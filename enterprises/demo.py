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
    AppealCounter,
    AppealEvent,
    Assignment,
    Celebration,
    CelebrationStatus,
    DialogueSession,
    Enterprise,
    EnterpriseSize,
    Extension,
    IndustryChain,
    InvitationAnswer,
    ListingStatus,
    Membership,
    Screen,
    SessionExpert,
    SessionInvitation,
)
from enterprises.services import celebrations as celebration_services
from enterprises.services import sessions as session_services
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


# --- 亲清半月谈 dialogue sessions and 企业亮灯日 light-up days ----------------------------------
#
# The sessions as reported: 22 held every two weeks of 2023, 197 distinct entrepreneurs invited,
# 359 needs collected and all closed; the 22nd on the chemical new-materials chain. The figures
# the portal shows are counted from these rows. The 197 guests, their enterprises and the 359
# closed appeals of 2023 are written in bulk (a few hundred rows per table), each appeal with its
# whole timeline — submission, the host's instruction, acceptance, routing, signing, reply and
# the enterprise's rating — exactly as the services would have written it, numbered in the
# counter of 2023. The 23rd session, still planned, goes through the services: its invitations
# (one waits for entrepreneur1's answer) notify people like real ones.

SESSION_FIRST_DAY = dt.date(2023, 3, 9)  # a Thursday; then every two weeks
SESSIONS_HELD = 22
SESSION_GUESTS = 197
SESSION_NEEDS = 359
SESSION_VENUE = "衢州市民中心亲清会客厅"
# (theme, industry chain of its guests)
SESSION_THEMES = [
    ("优化营商环境 助力企业轻装上阵", "其他"),
    ("金融活水精准滴灌中小微企业", "其他"),
    ("新能源产业链协同发展", "新能源"),
    ("高端装备制造业转型升级", "高端装备"),
    ("特种纸产业高质量发展", "特种纸"),
    ("数字经济赋能实体经济", "数字经济"),
    ("生命健康产业招才引智", "生命健康"),
    ("工业用地提质增效", "其他"),
    ("外贸企业稳订单拓市场", "其他"),
    ("专精特新企业梯度培育", "高端装备"),
    ("锂电新材料项目落地服务", "新能源"),
    ("企业技术创新与研发投入", "数字经济"),
    ("氟硅新材料安全生产与绿色发展", "化工新材料"),
    ("民营企业家健康成长", "其他"),
    ("光伏储能应用场景拓展", "新能源"),
    ("中小企业数字化改造", "数字经济"),
    ("人才公寓与产业工人安居", "其他"),
    ("特种纸企业节能降碳", "特种纸"),
    ("智能制造示范工厂建设", "高端装备"),
    ("新生代企业家传承发展", "其他"),
    ("生物医药产业集群培育", "生命健康"),
    ('推进化工新材料"五链"深度融合', "化工新材料"),
]
# Host leaders besides the demo account "leader" (no usable password).
SESSION_HOSTS = [("host_leader1", "陈海涛"), ("host_leader2", "刘思远"), ("host_leader3", "王志华")]
SESSION_EXPERTS = [
    ("林建平", "浙江大学衢州研究院", "化工新材料"),
    ("沈晓梅", "衢州学院经济管理学院", "区域经济"),
    ("黄立群", "浙江省产业发展研究中心", "产业政策"),
    ("郑永康", "衢州市金融学会", "普惠金融"),
    ("周敏", "浙江工业大学", "智能制造"),
    ("吴国华", "衢州市律师协会", "企业合规"),
]
# (category, lead department, title, content, instruction): {chain} is the guest's chain.
SESSION_NEEDS_CATALOGUE = [
    (
        "融资信贷",
        "jrb",
        "{chain}项目流动资金贷款续贷",
        "企业在{chain}领域扩产，流动资金贷款即将到期，希望协调银行无还本续贷。",
        "请市金融办牵头对接合作银行，两周内给出续贷方案。",
    ),
    (
        "用地用房",
        "zrzyj",
        "新增工业用地指标",
        "企业{chain}二期项目需新增工业用地约30亩，希望明确供地时序。",
        "请市自然资源规划局研究用地指标，纳入年度供地计划。",
    ),
    (
        "审批许可",
        "fgw",
        "技改项目备案与节能审查加速",
        "企业{chain}技改项目已完成设计，备案和节能审查进度较慢。",
        "请市发改委开辟绿色通道，按期完成审查。",
    ),
    (
        "人才用工",
        "rsj",
        "一线技术工人招聘",
        "企业急需{chain}方向技术工人约40名，本地招聘困难。",
        "请市人力社保局组织专场招聘，对接技工院校。",
    ),
    (
        "政策咨询",
        "jxj",
        "专精特新企业申报辅导",
        "企业拟申报省级专精特新中小企业，对认定条件不清楚。",
        "请市经信局安排专人上门辅导申报。",
    ),
    (
        "基础设施",
        "zjj",
        "厂区周边道路与配套",
        "厂区周边道路破损，大型货车通行困难，影响{chain}产品运输。",
        "请市住建局会同属地尽快修复道路。",
    ),
    (
        "审批许可",
        "sthjj",
        "扩产项目环评审批",
        "企业{chain}扩产项目环评报告已报送，希望加快审批。",
        "请市生态环境局加强指导，依法提速审批。",
    ),
    (
        "政策咨询",
        "tax",
        "研发费用加计扣除口径",
        "企业研发投入较大，对研发费用加计扣除口径把握不准。",
        "请市税务局开展一对一政策辅导。",
    ),
    (
        "其他",
        "jxj",
        "产业链上下游配套对接",
        "企业希望在本地寻找{chain}上下游配套企业，降低物流成本。",
        "请市经信局组织产业链供需对接会。",
    ),
    (
        "融资信贷",
        "jrb",
        "政府性融资担保支持",
        "企业{chain}新项目投资较大，希望获得政府性融资担保支持。",
        "请市金融办协调担保机构，简化担保手续。",
    ),
]
SCREENS = [
    # slug, name, location, orientation
    ("city-hall", "市行政中心大屏", "市行政中心", "landscape"),
    ("airport", "衢州机场到达厅大屏", "衢州机场", "landscape"),
    ("quzhou-west", "衢州西站进站口大屏", "衢州西站", "portrait"),
]
FIRST_CELEBRATION = ("一道新能源科技股份有限公司", "330803", dt.date(2023, 7, 27))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
GIVEN = (
    "建国",
    "志强",
    "海波",
    "丽华",
    "伟",
    "敏",
    "静",
    "晓东",
    "国平",
    "文斌",
    "立新",
    "海燕",
    "振华",
    "春梅",
    "永康",
    "建华",
    "红霞",
    "明",
    "军",
    "秀英",
    "卫东",
    "玉兰",
    "宏伟",
    "小平",
)
GUEST_PREFIXES = "华锦宏泰恒鑫瑞正中达丰源通博科美嘉凯诚永信明宇天隆兴金创"
COUNTY_WORDS = {
    "330802": "柯城",
    "330803": "衢江",
    "330822": "常山",
    "330824": "开化",
    "330825": "龙游",
    "330881": "江山",
}
CHAIN_NAME_WORDS = {
    "化工新材料": ("新材料", "氟化工", "硅材料", "精细化工"),
    "新能源": ("新能源", "储能科技", "光伏电力", "锂电材料"),
    "高端装备": ("精密机械", "装备制造", "智能装备", "轴承"),
    "特种纸": ("纸业", "特种纸", "包装材料"),
    "数字经济": ("数据科技", "信息技术", "智能科技"),
    "生命健康": ("生物科技", "医药", "健康食品"),
    "其他": ("实业", "建材", "食品", "家居"),
}


def session_day(number: int) -> dt.date:
    """The n-th session's day: every other Thursday of 2023, moved to the next weekday off a
    holiday."""
    day = SESSION_FIRST_DAY + dt.timedelta(days=14 * (number - 1))
    while not is_working_day(day) or day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _guest_plan() -> list[list[int]]:
    """Which guests (0…196) each of the 22 sessions invited: every guest once as a newcomer,
    and a few regulars who came back; a guest's chain is that of their first session."""
    plan: list[list[int]] = []
    newcomers = iter(range(SESSION_GUESTS))
    per_session = [SESSION_GUESTS // SESSIONS_HELD] * SESSIONS_HELD  # 8 each
    for index in range(SESSION_GUESTS - sum(per_session)):  # 21 sessions get a 9th
        per_session[index % SESSIONS_HELD] += 1
    for number in range(1, SESSIONS_HELD + 1):
        guests = [next(newcomers) for _ in range(per_session[number - 1])]
        seen = [g for earlier in plan for g in earlier]
        # Regulars of earlier sessions of the same chain come back.
        chain = SESSION_THEMES[number - 1][1]
        regulars = [g for g in dict.fromkeys(seen) if _guest_chain(g, plan) == chain][:3]
        plan.append(guests + [g for g in regulars if g not in guests])
    return plan


def _guest_chain(guest: int, plan: list[list[int]]) -> str:
    for number, guests in enumerate(plan, start=1):
        if guest in guests:
            return SESSION_THEMES[number - 1][1]
    return "其他"


def _ensure_session_guests(ctx: DemoContext, plan) -> dict[int, tuple[User, Enterprise]]:
    """The 197 invited entrepreneurs, each a verified member of their own enterprise (bulk)."""
    chains = {chain.name: chain for chain in IndustryChain.objects.all()}
    counties = {
        r.code[:6]: r for r in Region.objects.filter(code__in=[f"{c}000000" for c in COUNTY_WORDS])
    }
    county_codes = list(COUNTY_WORDS)
    specs = []
    for guest in range(SESSION_GUESTS):
        chain = _guest_chain(guest, plan)
        county = county_codes[guest % len(county_codes)]
        words = CHAIN_NAME_WORDS[chain]
        name = (
            f"{COUNTY_WORDS[county]}{GUEST_PREFIXES[guest % len(GUEST_PREFIXES)]}"
            f"{GUEST_PREFIXES[(guest // len(GUEST_PREFIXES) + guest) % len(GUEST_PREFIXES)]}"
            f"{words[guest % len(words)]}有限公司"
        )
        person = SURNAMES[guest % len(SURNAMES)] + GIVEN[(guest * 7) % len(GIVEN)]
        specs.append((guest, f"qqbt{guest + 1:03d}", person, name, county, chain))

    existing_users = {
        u.username: u for u in User.objects.filter(username__in=[s[1] for s in specs])
    }
    new_users = []
    for _guest, username, person, *_rest in specs:
        if username not in existing_users:
            user = User(username=username, name=person, role=Role.ENTREPRENEUR)
            user.set_unusable_password()
            new_users.append(user)
    User.objects.bulk_create(new_users)
    users = {u.username: u for u in User.objects.filter(username__in=[s[1] for s in specs])}

    codes = {spec[0]: demo_uscc(spec[3], spec[4]) for spec in specs}
    existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes.values())}
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                uscc=codes[guest],
                name=name,
                region=counties.get(county),
                industry_chain=chains.get(chain),
                size=(EnterpriseSize.MEDIUM, EnterpriseSize.SMALL, EnterpriseSize.LARGE)[guest % 3],
                listing_status=ListingStatus.UNLISTED,
            )
            for guest, _u, _p, name, county, chain in specs
            if codes[guest] not in existing
        ]
    )
    enterprises = {
        e.uscc: e
        for e in Enterprise.objects.filter(uscc__in=codes.values()).select_related("industry_chain")
    }

    dispatcher = ctx.actors["dispatcher"]
    member_of = set(
        Membership.objects.filter(user__in=users.values()).values_list("user_id", "enterprise_id")
    )
    decided = _at(SESSION_FIRST_DAY - dt.timedelta(days=30), 10)
    memberships = [
        Membership(
            user=users[username],
            enterprise=enterprises[codes[guest]],
            status=Membership.Status.VERIFIED,
            position="董事长" if guest % 3 else "总经理",
            decided_by=dispatcher,
            decided_at=decided,
        )
        for guest, username, *_rest in specs
        if (users[username].pk, enterprises[codes[guest]].pk) not in member_of
    ]
    Membership.objects.bulk_create(memberships)
    if memberships:  # they had asked the day before the dispatcher verified them
        Membership.objects.filter(pk__in=[m.pk for m in memberships]).update(
            requested_at=decided - dt.timedelta(days=1)
        )
    return {guest: (users[username], enterprises[codes[guest]]) for guest, username, *_r in specs}


def _ensure_hosts(ctx: DemoContext) -> list[User]:
    hosts = [ctx.actors["leader"]]
    for username, name in SESSION_HOSTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, name=name, role=Role.LEADER)
            user.set_unusable_password()
            user.save()
        hosts.append(user)
    return hosts


def _need_counts() -> list[int]:
    """359 needs over 22 sessions: 16 each, and one more for seven of them."""
    counts = [SESSION_NEEDS // SESSIONS_HELD] * SESSIONS_HELD
    for index in range(SESSION_NEEDS - sum(counts)):
        counts[(index * 3) % SESSIONS_HELD] += 1
    return counts


def seed_sessions(ctx: DemoContext) -> dict[str, int]:
    """The 22 held sessions with their guests, experts and 359 closed appeals (bulk, once), and
    the planned 23rd through the services. Returns how many sessions and appeals it created."""
    created = {"sessions": 0, "session_appeals": 0}
    existing = set(DialogueSession.objects.values_list("number", flat=True))
    missing = [n for n in range(1, SESSIONS_HELD + 1) if n not in existing]
    plan = _guest_plan()
    guests = _ensure_session_guests(ctx, plan)
    hosts = _ensure_hosts(ctx)
    dispatcher = ctx.actors["dispatcher"]
    handlers = {**ctx.staff, "jxj": ctx.actors["handler1"], "zrzyj": ctx.actors["handler2"]}
    need_counts = _need_counts()

    if missing:
        sessions = DialogueSession.objects.bulk_create(
            [
                DialogueSession(
                    number=n,
                    theme=SESSION_THEMES[n - 1][0],
                    held_on=session_day(n),
                    start_time=dt.time(14, 30),
                    venue=SESSION_VENUE,
                    agenda="一、企业家代表发言，反映发展中的困难和诉求\n二、相关部门现场回应\n三、市领导交办",
                    minutes=f"第{n}期亲清半月谈围绕“{SESSION_THEMES[n - 1][0]}”召开，"
                    f"收集企业诉求{need_counts[n - 1]}项，已现场交办相关部门限时办理。",
                    status="summarised",
                    created_by=dispatcher,
                    created_at=_at(session_day(n) - dt.timedelta(days=10), 9),
                    held_at=_at(session_day(n), 17, 30),
                    summarised_at=_at(add_working_days(session_day(n), 1), 11),
                )
                for n in missing
            ]
        )
        created["sessions"] = len(sessions)
        Through = DialogueSession.hosts.through
        Through.objects.bulk_create(
            [
                Through(dialoguesession_id=s.pk, user_id=host.pk)
                for s in sessions
                for host in (hosts[0], hosts[1 + s.number % (len(hosts) - 1)])
            ]
        )
        SessionExpert.objects.bulk_create(
            [
                SessionExpert(session=s, name=name, organisation=org, field=field)
                for s in sessions
                for name, org, field in (
                    SESSION_EXPERTS[s.number % len(SESSION_EXPERTS)],
                    *(
                        (SESSION_EXPERTS[(s.number + 3) % len(SESSION_EXPERTS)],)
                        if s.number % 2
                        else ()
                    ),
                )
            ]
        )
        invitations = []
        for s in sessions:
            invited_at = _at(s.held_on - dt.timedelta(days=7), 10)
            for position, guest in enumerate(plan[s.number - 1]):
                user, enterprise = guests[guest]
                # Every twelfth guest could not come.
                declined = (guest + s.number) % 12 == 0 and position > 0
                invitations.append(
                    SessionInvitation(
                        session=s,
                        user=user,
                        enterprise=enterprise,
                        answer=InvitationAnswer.DECLINED if declined else InvitationAnswer.ACCEPTED,
                        answered_at=invited_at + dt.timedelta(hours=20),
                        invited_by=dispatcher,
                        invited_at=invited_at,
                    )
                )
        SessionInvitation.objects.bulk_create(invitations)
        created["session_appeals"] = _seed_session_appeals(
            ctx, sessions, invitations, need_counts, hosts, handlers
        )

    # The 23rd, planned: entrepreneur1 is invited and has not answered yet.
    if not DialogueSession.objects.filter(number=SESSIONS_HELD + 1).exists():
        today = timezone.localdate()
        held_on = today + dt.timedelta(days=(3 - today.weekday()) % 7 or 7)
        if (held_on - today).days < 3:
            held_on += dt.timedelta(days=7)
        session = session_services.session_create(
            actor=dispatcher,
            number=SESSIONS_HELD + 1,
            theme="数字经济赋能传统制造业转型升级",
            held_on=held_on,
            start_time=dt.time(14, 30),
            venue=SESSION_VENUE,
            hosts=[hosts[0].pk, hosts[1].pk],
            agenda="一、企业家代表发言\n二、数字化改造服务商案例分享\n三、市领导交办",
        )
        session_services.session_add_expert(
            session=session,
            actor=dispatcher,
            name="周敏",
            organisation="浙江工业大学",
            field="智能制造",
        )
        invited = [
            (ctx.actors["ent1"], ctx.enterprises["hx"]),
            (ctx.actors["ent2"], ctx.enterprises["ly"]),
            *(guests[g] for g in (5, 40, 77, 120)),
        ]
        for user, enterprise in invited:
            session_services.session_invite(
                session=session, actor=dispatcher, user=user, enterprise=enterprise
            )
        invitation = session.invitations.get(user=ctx.actors["ent2"])
        session_services.session_answer(
            invitation=invitation, actor=ctx.actors["ent2"], answer="accepted"
        )
        created["sessions"] += 1
    return created


def _seed_session_appeals(ctx, sessions, invitations, need_counts, hosts, handlers) -> int:
    """The closed appeals of the held sessions, each with its whole timeline (bulk)."""
    attending: dict[int, list] = {}
    for invitation in invitations:
        if invitation.answer == "accepted":
            attending.setdefault(invitation.session_id, []).append(invitation)
    departments = ctx.departments
    specs = []  # (session, invitation, catalogue entry, index)
    for s in sorted(sessions, key=lambda s: s.number):
        guests = attending[s.pk]
        for index in range(need_counts[s.number - 1]):
            invitation = guests[index % len(guests)]
            entry = SESSION_NEEDS_CATALOGUE[
                (s.number * 7 + index * 3) % len(SESSION_NEEDS_CATALOGUE)
            ]
            specs.append((s, invitation, entry, index))
    if not specs:
        return 0

    counter, _created = AppealCounter.objects.select_for_update().get_or_create(year=2023)
    first = counter.last + 1
    counter.last += len(specs)
    counter.save(update_fields=["last"])

    dispatcher = ctx.actors["dispatcher"]
    appeals, plans = [], []
    for offset, (s, invitation, entry, index) in enumerate(specs):
        category_name, code, title, content, instruction = entry
        category = ctx.categories[category_name]
        chain = (
            invitation.enterprise.industry_chain.name
            if invitation.enterprise.industry_chain_id
            else "产业"
        )
        submitted = _at(s.held_on, 16, 30) + dt.timedelta(minutes=index)
        accept_day = add_working_days(s.held_on, 1)
        due = add_working_days(accept_day, category.handle_days)
        reply_day = add_working_days(accept_day, 1 + (index * 5) % max(1, category.handle_days - 1))
        reply_day = min(reply_day, due)
        rate_day = add_working_days(reply_day, 1)
        rating = "basically_satisfied" if (s.number + index) % 7 == 0 else "satisfied"
        times = {
            "accepted": _at(accept_day, 9, 30),
            "assigned": _at(accept_day, 10, 30),
            "signed": _at(accept_day, 15),
            "replied": _at(reply_day, 16),
            "rated": _at(rate_day, 10),
        }
        appeals.append(
            Appeal(
                number=f"QH-2023-{first + offset:06d}",
                enterprise_id=invitation.enterprise_id,
                submitted_by=dispatcher,
                title=title.format(chain=chain)[:100],
                content=content.format(chain=chain),
                category=category,
                source="session",
                status="closed",
                lead_department=departments[code],
                due_date=due,
                original_due_date=due,
                submitted_at=submitted,
                accepted_at=times["accepted"],
                assigned_at=times["assigned"],
                signed_at=times["signed"],
                first_replied_at=times["replied"],
                replied_at=times["replied"],
                closed_at=times["rated"],
                close_reason="rated",
                rating=rating,
                rated_at=times["rated"],
                reply_count=1,
                session=s,
                session_instruction=instruction,
            )
        )
        plans.append((s, invitation, code, category, due, times, rating, instruction, submitted))
    Appeal.objects.bulk_create(appeals)

    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                appeal=appeal,
                department=departments[code],
                assigned_by=dispatcher,
                assigned_at=times["assigned"],
                sign_due_date=add_working_days(
                    timezone.localdate(times["assigned"]), category.sign_days
                ),
                signed_at=times["signed"],
                signed_by=handlers[code],
            )
            for appeal, (_s, _i, code, category, _due, times, *_rest) in zip(
                appeals, plans, strict=True
            )
        ]
    )
    for appeal, assignment in zip(appeals, assignments, strict=True):
        appeal.current_assignment = assignment
    Appeal.objects.bulk_update(appeals, ["current_assignment"], batch_size=200)

    Action = AppealEvent.Action
    events = []
    for appeal, plan in zip(appeals, plans, strict=True):
        s, invitation, code, _category, due, times, rating, instruction, submitted = plan
        department = departments[code]
        host = hosts[0]
        handler = handlers[code]
        for action, actor, at, before, after, note, data in (
            (Action.SUBMIT, dispatcher, submitted, "", "submitted", "", {}),
            (
                Action.INSTRUCT,
                dispatcher,
                submitted,
                "submitted",
                "submitted",
                instruction,
                {
                    "session": s.pk,
                    "session_number": s.number,
                    "leader": host.pk,
                    "leader_name": host.display_name,
                },
            ),
            (Action.ACCEPT, dispatcher, times["accepted"], "submitted", "accepted", "", {}),
            (
                Action.ASSIGN,
                dispatcher,
                times["assigned"],
                "accepted",
                "assigned",
                "",
                {
                    "department": department.pk,
                    "department_name": department.name,
                    "co_departments": [],
                    "co_department_names": [],
                    "due_date": due.isoformat(),
                    "co_due_date": None,
                },
            ),
            (Action.SIGN, handler, times["signed"], "assigned", "in_progress", "", {}),
            (
                Action.REPLY,
                handler,
                times["replied"],
                "in_progress",
                "replied",
                "已按交办意见办理完毕，并当面向企业反馈办理结果。",
                {"on_time": True},
            ),
            (
                Action.RATE,
                invitation.user,
                times["rated"],
                "replied",
                "closed",
                "",
                {"rating": rating},
            ),
        ):
            events.append(
                AppealEvent(
                    appeal=appeal,
                    action=action,
                    actor=actor,
                    at=at,
                    from_status=before,
                    to_status=after,
                    note=note,
                    data=data,
                )
            )
    AppealEvent.objects.bulk_create(events, batch_size=1000)
    return len(appeals)


def _ensure_screens() -> list[Screen]:
    screens = []
    for order, (slug, name, location, orientation) in enumerate(SCREENS, start=1):
        screen, _created = Screen.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "location": location,
                "orientation": orientation,
                "sort_order": order * 10,
            },
        )
        screens.append(screen)
    return screens


def seed_celebrations(ctx: DemoContext) -> int:
    """Three public screens; the first light-up day (一道新能源, 27 July 2023); one celebration
    on the screens today and one request waiting for a decision. Returns how many it created."""
    screens = _ensure_screens()
    dispatcher, leader = ctx.actors["dispatcher"], ctx.actors["leader"]
    created = 0
    name, county, day = FIRST_CELEBRATION
    chain = IndustryChain.objects.filter(name="新能源").first()
    enterprise, _new = Enterprise.objects.get_or_create(
        uscc=demo_uscc(name, county),
        defaults={
            "name": name,
            "region": Region.objects.filter(code=f"{county}000000").first(),
            "industry_chain": chain,
            "size": EnterpriseSize.LARGE,
            "listing_status": ListingStatus.UNLISTED,
        },
    )
    if not Celebration.objects.filter(enterprise=enterprise, starts_on=day).exists():
        # The first one, on record as it happened (the services only book days ahead).
        celebration = Celebration.objects.create(
            enterprise=enterprise,
            kind="other",
            screen_text="衢州企业亮灯日 · 致敬一道新能源",
            starts_on=day,
            ends_on=day,
            status=CelebrationStatus.APPROVED,
            requested_by=dispatcher,
            requested_at=_at(day - dt.timedelta(days=9), 10),
            decided_by=leader,
            decided_at=_at(day - dt.timedelta(days=7), 15),
            decision_note="首个企业亮灯日，全市三块公共大屏同步点亮。",
        )
        celebration.screens.set(screens)
        created += 1

    today = timezone.localdate()
    current = (
        ctx.enterprises["xh"],
        "anniversary",
        "仙鹤特种纸业扎根衢州二十载 感恩同行",
        today,
        today + dt.timedelta(days=2),
        screens[:2],
    )
    waiting = (
        ctx.enterprises["hx"],
        "award",
        "热烈祝贺华星氟硅获评省级专精特新中小企业",
        today + dt.timedelta(days=7),
        today + dt.timedelta(days=9),
        screens,
    )
    for enterprise, kind, text, starts_on, ends_on, on_screens in (current, waiting):
        if Celebration.objects.filter(enterprise=enterprise, screen_text=text).exists():
            continue
        celebration = celebration_services.celebration_request(
            actor=ctx.actors["ent1"],
            enterprise=enterprise,
            kind=kind,
            screen_text=text,
            starts_on=starts_on,
            ends_on=ends_on,
            screens=on_screens,
        )
        if text == current[2]:
            celebration_services.celebration_approve(
                celebration=celebration, actor=leader, note="同意在市行政中心和机场大屏展示。"
            )
        created += 1
    return created


def seed(context: dict) -> dict:
    """The app's seeder (registered in ``enterprises.registrations``, after ``portal``):
    reference data, enterprises and their verified members, one membership waiting, appeals in
    every status, the dialogue sessions and light-up days, and the figures' roll-up."""
    from enterprises.reference import ensure_escalation_rules, ensure_reference_data
    from enterprises.services import membership_request
    from enterprises.services import stats as stats_services

    ensure_reference_data()
    ensure_escalation_rules()
    users, departments = context["users"], context["departments"]
    enterprises = ensure_enterprises()
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
    ctx = DemoContext(users=users, departments=departments, enterprises=enterprises)
    created = seed_appeals(ctx)
    sessions = seed_sessions(ctx)
    celebrations = seed_celebrations(ctx)
    # The sessions' history is written in bulk: give its closed appeals their handling time
    # and build the figures' roll-up, so the dashboard reads the demo at full speed.
    stats_services.recount_handling_days(missing_only=True)
    stats_services.rebuild()
    return {
        "enterprises": enterprises,
        "summary": [
            f"{len(enterprises)} enterprises, {len(created)} new appeals "
            f"({Appeal.objects.count()} in all)",
            f"Dialogue sessions: {sessions['sessions']} new, with "
            f"{sessions['session_appeals']} appeals of their needs; light-up days: "
            f"{celebrations} new.",
        ],
    }
