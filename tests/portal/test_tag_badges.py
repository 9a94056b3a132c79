"""Tag badges: the palette's colours as CSS classes, readable text on each, and the admin."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from portal.models import Colour, Department, Tag, TagCategory, User
from portal.models.tags import DARK_TEXT, LIGHT_TEXT, contrast_ratio, palette_name, text_tone
from portal.services.tags import tags_set

CSS = Path(settings.BASE_DIR) / "static" / "portal" / "css" / "tags.css"


def render(template: str, **context) -> str:
    return Template("{% load portal_tags %}" + template).render(Context(context))


@pytest.mark.parametrize("colour", Colour.values)
def test_each_palette_colour_has_a_class_and_readable_text(colour):
    tone = text_tone(colour)
    text = LIGHT_TEXT if tone == "light" else DARK_TEXT
    assert contrast_ratio(colour, text) >= 4.5
    rule = rf"\.tag-bg-{palette_name(colour)} \{{ background-color: {colour}; \}}"
    assert re.search(rule, CSS.read_text())


def test_the_text_colour_follows_the_luminance():
    assert text_tone(Colour.BLUE) == "light"
    assert text_tone(Colour.YELLOW) == "dark"
    assert text_tone("#ffffff") == "dark" and text_tone("#000000") == "light"
    css = CSS.read_text()
    assert f".tag-fg-light {{ color: {LIGHT_TEXT}; }}" in css
    assert f".tag-fg-dark {{ color: {DARK_TEXT}; }}" in css


@pytest.mark.django_db
def test_tag_badges_renders_a_records_tags_without_inline_style():
    sectors = TagCategory.objects.create(name="行业", colour=Colour.YELLOW, order=1)
    places = TagCategory.objects.create(name="地区<b>", colour=Colour.TEAL, order=2)
    department = Department.objects.create(name="测试部门")
    tags_set(
        department,
        [
            Tag.objects.create(category=sectors, name="医疗"),
            Tag.objects.create(category=places, name="<i>柯城"),
        ],
        actor=None,
    )
    html = render("{% tag_badges obj %}", obj=department)
    assert html.count('data-testid="tag"') == 2
    assert "tag-bg-yellow tag-fg-dark" in html and "tag-bg-teal tag-fg-light" in html
    assert html.index("医疗") < html.index("柯城")  # in the categories' order
    assert "&lt;i&gt;柯城" in html and 'title="地区&lt;b&gt;"' in html
    assert "style=" not in html


@pytest.mark.django_db
def test_tag_badges_takes_tags_already_read_and_nothing():
    category = TagCategory.objects.create(name="类别", colour=Colour.RED)
    tag = Tag.objects.create(category=category, name="红")
    assert "tag-bg-red" in render("{% tag_badges tags %}", tags=[tag])
    assert render("{% tag_badges obj %}", obj=None).strip() == ""
    department = Department.objects.create(name="无标签")
    assert render("{% tag_badges obj %}", obj=department).strip() == ""


@pytest.mark.django_db
def test_a_colour_outside_the_palette_is_refused():
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    category = TagCategory(name="类别", colour="#123456")
    with pytest.raises(ValidationError):
        category.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        category.save()


@pytest.mark.django_db
def test_admin_edits_categories_and_tags(client):
    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)
    response = client.post(
        "/admin/portal/tagcategory/add/",
        {
            "name": "行业",
            "colour": Colour.GREEN,
            "order": 0,
            "tags-TOTAL_FORMS": 1,
            "tags-INITIAL_FORMS": 0,
            "tags-0-name": "医疗",
        },
    )
    assert response.status_code == 302, response.content
    category = TagCategory.objects.get(name="行业")
    assert list(category.tags.values_list("name", flat=True)) == ["医疗"]
    listing = client.get("/admin/portal/tagcategory/").content.decode()
    assert "tag-bg-green tag-fg-light" in listing and "portal/css/tags.css" in listing
    assert client.get("/admin/portal/tag/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["dispatcher", "entrepreneur"])
def test_people_without_admin_access_cannot_edit_tags(client, role):
    user = User.objects.create_user("someone", password="x", role=role)
    client.force_login(user)
    response = client.get("/admin/portal/tagcategory/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
