import factory
from django.utils import timezone

from enterprises.models import Enterprise, Membership
from portal.models import Department, User
from portal.validators import USCC_CHARSET, compute_uscc_check

PASSWORD = "correct-horse-9"


def uscc_for(n: int) -> str:
    """A valid unified social credit code, different for every ``n``."""
    org = ""
    for _ in range(9):
        n, digit = divmod(n, 31)
        org = USCC_CHARSET[digit] + org
    first17 = "91330802" + org
    return first17 + compute_uscc_check(first17)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试局{n}")
    short_name = factory.Sequence(lambda n: f"测{n}")
    code = factory.Sequence(lambda n: f"dept-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    role = "dispatcher"
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.Sequence(lambda n: uscc_for(n + 1000))
    name = factory.Sequence(lambda n: f"衢州测试企业{n}有限公司")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, role="entrepreneur")
    enterprise = factory.SubFactory(EnterpriseFactory)
    status = "pending"
    decided_at = factory.LazyAttribute(lambda m: None if m.status == "pending" else timezone.now())


def category(name: str = "融资信贷"):
    """One of the categories migration 0004 seeds (10 working days unless named otherwise)."""
    from enterprises.models import AppealCategory
    from enterprises.reference import ensure_reference_data

    found = AppealCategory.objects.filter(name=name).first()
    if found is None:  # a transactional test flushed the database before this one
        ensure_reference_data()
        found = AppealCategory.objects.get(name=name)
    return found


def appeal_in(
    status: str,
    *,
    entrepreneur,
    dispatcher=None,
    handler=None,
    title: str = "贷款续贷审批进度缓慢",
    content: str = "我司500万元流动资金贷款将于下月到期，续贷审批迟迟没有进展，请协调。",
):
    """An appeal driven through the real services to ``status`` (the entrepreneur's enterprise).

    ``dispatcher`` and ``handler`` are needed from ``accepted`` and ``assigned`` on; the handler's
    department becomes the lead department.
    """
    from enterprises import services

    appeal = services.appeal_submit(
        actor=entrepreneur,
        enterprise=entrepreneur.enterprise,
        title=title,
        content=content,
        category=category(),
    )
    steps = ["submitted", "accepted", "assigned", "in_progress", "replied", "closed"]
    if status == "rejected":
        return services.appeal_reject(appeal=appeal, actor=dispatcher, reason="不属于受理范围")
    target = steps.index(status)
    if target >= 1:
        appeal = services.appeal_accept(appeal=appeal, actor=dispatcher)
    if target >= 2:
        appeal = services.appeal_assign(
            appeal=appeal, actor=dispatcher, department=handler.department
        )
    if target >= 3:
        appeal = services.appeal_sign(appeal=appeal, actor=handler)
    if target >= 4:
        appeal = services.appeal_reply(appeal=appeal, actor=handler, content="已协调银行完成续贷。")
    if target >= 5:
        appeal = services.appeal_rate(appeal=appeal, actor=entrepreneur, rating="satisfied")
    return appeal
