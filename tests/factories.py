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
