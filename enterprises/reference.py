"""Reference data the loop needs from the first day: industry chains and appeal categories.

Migration 0004 loads it; ``seed_demo`` restores whatever is missing (tests that flush the
database, an admin who deleted a row). Admins edit the rows afterwards; nothing here
overwrites an existing row.
"""

INDUSTRY_CHAINS = ["化工新材料", "新能源", "高端装备", "特种纸", "数字经济", "生命健康", "其他"]

# name, sign-for limit, close limit (working days), guidance for entrepreneurs
CATEGORIES = [
    ("政策咨询", 1, 3, "对惠企政策、申报条件、办事流程有疑问，请写明政策名称和您的具体情况。"),
    ("融资信贷", 1, 10, "融资、贷款、担保、转贷等需求，请写明金额、用途和已联系的金融机构。"),
    ("用地用房", 1, 30, "用地指标、厂房、不动产登记等问题，请写明地块位置和办理进度。"),
    ("审批许可", 1, 10, "项目审批、证照办理、环评能评等，请写明事项名称和卡在哪一环节。"),
    ("人才用工", 1, 10, "招工、人才引进、社保、子女入学等，请写明岗位和人数。"),
    ("基础设施", 1, 30, "水电气、道路、网络等配套问题，请写明地点和影响。"),
    ("市场监管与执法", 1, 10, "检查、处罚、知识产权等问题，请写明涉及的部门和时间。"),
    ("其他", 1, 10, "不属于以上类别的问题，请尽量写清楚诉求和期望的结果。"),
]


def ensure_reference_data(industry_chain_model=None, category_model=None) -> None:
    """Create the default industry chains and categories that do not exist yet."""
    if industry_chain_model is None or category_model is None:
        from enterprises.models import AppealCategory, IndustryChain

        industry_chain_model, category_model = IndustryChain, AppealCategory
    for order, name in enumerate(INDUSTRY_CHAINS, start=1):
        industry_chain_model.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
    for order, (name, sign_days, handle_days, guidance) in enumerate(CATEGORIES, start=1):
        category_model.objects.get_or_create(
            name=name,
            defaults={
                "sign_days": sign_days,
                "handle_days": handle_days,
                "guidance": guidance,
                "sort_order": order * 10,
            },
        )


# The default escalation ladder (DESIGN.md §3). code, name, trigger, offset in working days,
# who is told (handlers, head, dispatchers, supervising leaders, part department, enterprise),
# and flags.
LADDER = [
    ("unsigned", "未签收提醒", "unsigned", 0, {"notify_handlers": True}),
    ("due-soon", "到期前2个工作日提醒", "due", -2, {"notify_handlers": True}),
    ("due-today", "到期当日提醒", "due", 0, {"notify_handlers": True, "notify_heads": True}),
    ("overdue", "超期提醒受理员", "due", 1, {"notify_dispatchers": True}),
    (
        "overdue-supervised",
        "超期每日提醒督办领导",
        "due",
        1,
        {"notify_supervisors": True, "supervised_only": True, "repeat_daily": True},
    ),
    ("part-due", "协办部分到期提醒", "part_due", 0, {"notify_part_department": True}),
    (
        "unrated-close",
        "回复未评价自动办结",
        "unrated",
        7,
        {"auto_close": True, "notify_enterprise": True},
    ),
]


def ensure_escalation_rules(rule_model=None) -> None:
    """Create the rungs of the default ladder that do not exist yet (by code)."""
    if rule_model is None:
        from enterprises.models import EscalationRule

        rule_model = EscalationRule
    for order, (code, name, trigger, offset, flags) in enumerate(LADDER, start=1):
        rule_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "trigger": trigger,
                "offset_days": offset,
                "sort_order": order * 10,
                **flags,
            },
        )
