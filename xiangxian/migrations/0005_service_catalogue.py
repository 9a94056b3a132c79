"""The ten services (十项服务) the catalogue starts with: finance, business and travel lead
(DESIGN §1); administrators may rename, add or retire services later."""

from django.db import migrations

# code, name, description, flagship
SERVICES = (
    ("finance", "金融服务", "乡贤贷、授信与融资对接", True),
    ("business", "商务服务", "项目对接、落地审批与商务接待", True),
    ("travel", "畅游服务", "景区、酒店与文旅优惠", True),
    ("medical", "医疗服务", "就医绿色通道与健康咨询", False),
    ("education", "子女教育", "子女入学与升学咨询", False),
    ("government", "政务代办", "证照与政务事项帮办代办", False),
    ("talent", "人才服务", "人才认定、落户与住房保障", False),
    ("legal", "法律服务", "法律咨询与权益维护", False),
    ("culture", "文化服务", "乡愁文化活动与家乡情怀", False),
    ("elderly", "康养服务", "回乡康养与养老服务", False),
)


def add_catalogue(apps, schema_editor):
    ServiceKind = apps.get_model("xiangxian", "ServiceKind")
    for order, (code, name, description, flagship) in enumerate(SERVICES, start=1):
        ServiceKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "flagship": flagship,
                "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("xiangxian", "0004_services_contributions_associations")]

    operations = [migrations.RunPython(add_catalogue, migrations.RunPython.noop)]
