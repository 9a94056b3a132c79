"""The Chinese catalogue is complete and compiles; the UI defaults to Chinese, English on request."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_and_none_is_fuzzy():
    with PO.open("rb") as po_file:
        catalog = read_po(po_file, locale="zh_Hans")
    untranslated = [
        m.id for m in catalog if m.id and not (m.string[0] if m.pluralizable else m.string)
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def _entries(text: str):
    """(context, msgid) of each entry of a .po file, multi-line ids joined."""
    for block in text.split("\n\n"):
        context, msgid, part = "", None, None
        for line in block.splitlines():
            if line.startswith("msgctxt "):
                part, context = "ctxt", line[8:].strip('"')
            elif line.startswith("msgid "):
                part, msgid = "id", line[6:].strip('"')
            elif line.startswith('"') and part in ("ctxt", "id"):
                if part == "id":
                    msgid += line.strip('"')
                else:
                    context += line.strip('"')
            else:
                part = None
        if msgid:
            yield context, msgid


def test_no_message_is_in_the_catalogue_twice():
    # Appended entries from two branches may repeat a msgid; babel would keep one silently.
    seen, twice = set(), []
    for entry in _entries(PO.read_text(encoding="utf-8")):
        if entry in seen:
            twice.append(entry)
        seen.add(entry)
    assert twice == []


def test_placeholders_survive_translation():
    with PO.open("rb") as po_file:
        catalog = read_po(po_file, locale="zh_Hans")
    pattern = re.compile(r"%\(\w+\)[sd]")
    for message in catalog:
        if not message.id:
            continue
        source = message.id[0] if message.pluralizable else message.id
        target = message.string[0] if message.pluralizable else message.string
        assert sorted(pattern.findall(source)) == sorted(pattern.findall(target)), source


@pytest.mark.django_db
def test_login_page_is_chinese_by_default_and_english_on_switch(client):
    # An English browser still gets the portal's working language until the user switches.
    page = client.get("/accounts/login/", headers={"accept-language": "en-US,en"}).content.decode()
    assert "登录" in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert "Log in" in page
    assert "登录同心" not in page


def test_validator_message_in_chinese():
    from django.core.exceptions import ValidationError

    from portal.validators import validate_mobile

    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as exc:
            validate_mobile("12345")
        assert "手机号码" in exc.value.messages[0]
