"""The app's part of ``seed_demo``: the unit leads ``unitlead1`` and ``unitlead2`` and a few
dozen units in the six domains across Quzhou's six counties. Idempotent: units are found by
county, domain and name; the accounts' passwords are reset every run."""

from grassroots.models import Domain, Unit
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


def seed(context: dict) -> dict:
    leads = ensure_leads(context)
    units = ensure_units(leads)
    return {
        "grassroots_units": units,
        "summary": [f"{len(units)} grassroots units, unit leads unitlead1 and unitlead2"],
    }
