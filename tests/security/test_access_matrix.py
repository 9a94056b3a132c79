"""The access matrix: every page and API endpoint × every role × their own objects, another
department's and another enterprise's.

The routes come from walking the URL resolver, so a new page is tried as soon as it exists; each
route needs an entry in ``PAGES``, ``API`` or the admin rule below, reviewed like code, or the
first test fails. A case passes when the status keeps the route's promise (``access.expected``):
outside a person's scope 403 or 404 (404 in the API), anonymous people sent to the login page
(401 in the API), never a 500 — and when nothing in the response (HTML, JSON, Excel cells, file
bytes) carries the marker of an object the person may not see. The number of cases tried is
printed in pytest's summary and kept in ``var/security/access-matrix.txt``.
"""

import pytest
from django.conf import settings
from django.urls import resolve, reverse

from enterprises.actions import APPEAL_ACTIONS
from portal.models import Region
from tests.security.access import (
    POST_OK,
    Asker,
    Case,
    Route,
    expected,
    judge,
    url_parameters,
    walk,
)
from tests.security.world import (
    AL_READERS,
    DEPARTMENT,
    ENTREPRENEURS,
    GR_CASE_READERS,
    GR_READERS,
    NP_READERS,
    PEOPLE,
    REGISTRY,
    SIGNED_IN,
    STAFF,
    TRIAGE,
)

pytestmark = pytest.mark.django_db

ALL = frozenset(PEOPLE)
DIRECTORY = STAFF | DEPARTMENT
STATS = STAFF | {"head"}
COCKPIT = STAFF | {"county"}
INBOX = TRIAGE | DEPARTMENT
# An entrepreneur with a verified enterprise may ask for a light-up day; ``pending`` has none.
CELEBRATION_REQUESTERS = TRIAGE | {"entrepreneur"}
# A few read-only pages answer a POST as they answer a GET (no require_GET): harmless, since a
# POST still needs the CSRF token (test_csrf.py) and changes nothing.
# The registry's editors: the department's staff and administrators (leaders read only).
XX_OFFICE = frozenset({"dispatcher", "admin"})
# County staff keep their county's people too; the associations are the office's.
XX_EDITORS = XX_OFFICE | {"county"}
READ_ONLY = "a read-only page that renders on POST too"
# The non-party archive's recorders: the office and the person's own liaison cadre.
NP_LIAISON = XX_OFFICE | {"liaison"}
# Alliances: only the office writes (leaders, county staff and reporters read their part).
AL_OFFICE = frozenset({"dispatcher", "admin"})
AL_REPORTER = frozenset({"village"})
AL_COUNTY = frozenset({"county"})
AL_CORRECTORS = AL_OFFICE | AL_REPORTER
# Whoever has an import kind: the registry's editors, and village reporters (their figures).
IMPORTERS = XX_EDITORS | AL_REPORTER
# Grassroots: the office and county staff record duties and score (leaders read only).
GR_WRITERS = XX_OFFICE | {"county"}

# Grassroots: the office ties leaders to counties; county staff and the office draft cases.
GR_OFFICE = frozenset({"dispatcher", "admin"})
GR_DRAFTERS = GR_OFFICE | {"county"}

# --- pages ----------------------------------------------------------------------------------

PAGES: dict[str, Route] = {
    "home": Route(get=SIGNED_IN, post=SIGNED_IN, ok={"POST": {200}}, why=READ_ONLY),
    "login": Route(
        get=ALL,
        post=ALL,
        public=True,
        ok={"GET": {200, 302}, "POST": {200, 302}},
        why="signed-in people are sent home",
    ),
    "logout": Route(post=ALL, public=True, ok={"POST": {302}}),
    "password_change": Route(get=SIGNED_IN, post=SIGNED_IN, ok={"POST": {200}}),
    "register": Route(
        get=ALL,
        post=ALL,
        public=True,
        ok={"GET": {200, 302}, "POST": {200, 302}},
        why="signed-in people are sent home",
    ),
    "notification-list": Route(get=SIGNED_IN, post=SIGNED_IN, ok={"POST": {200}}, why=READ_ONLY),
    "notification-mark-read": Route(post=SIGNED_IN, ok={"POST": {302}}),
    "portal:notification-preferences": Route(get=SIGNED_IN, post=SIGNED_IN),
    "xiangxian:list": Route(get=REGISTRY),
    "alliances:list": Route(get=AL_READERS),
    # The villages' figures: the reporter enters, the county checks, the office approves.
    "alliances:report-list": Route(get=AL_READERS),
    "alliances:report-create": Route(get=AL_REPORTER, post=AL_REPORTER, ok={"POST": {200}}),
    "alliances:report-detail": Route(get=AL_READERS, kind="al_report"),
    "alliances:report-edit": Route(get=AL_REPORTER, post=AL_REPORTER, kind="al_report"),
    "alliances:report-correct": Route(post=AL_CORRECTORS, kind="al_report", ok={"POST": {302}}),
    "alliances:report-action": Route(post=AL_REPORTER, kind="al_report_submit", ok={"POST": {302}}),
    "alliances:figures": Route(get=AL_READERS),
    "alliances:figures-export": Route(get=AL_READERS),
    "alliances:create": Route(get=AL_OFFICE, post=AL_OFFICE),
    "alliances:coverage": Route(get=AL_READERS),
    "alliances:detail": Route(get=AL_READERS, kind="alliance"),
    "alliances:edit": Route(get=AL_OFFICE, post=AL_OFFICE, kind="alliance"),
    "alliances:member-add": Route(post=AL_OFFICE, kind="alliance"),
    # An empty body records nothing and goes back to the alliance with a message.
    "alliances:member-leave": Route(post=AL_OFFICE, kind="al_membership", ok={"POST": {302}}),
    "alliances:company-add": Route(post=AL_OFFICE, kind="alliance"),
    "alliances:base-add": Route(post=AL_OFFICE, kind="alliance"),
    "alliances:maker-team-add": Route(post=AL_OFFICE, kind="alliance"),
    "alliances:activity-add": Route(post=AL_OFFICE, kind="alliance"),
    "alliances:tourism-set": Route(post=AL_OFFICE, kind="alliance"),
    "xiangxian:export": Route(get=REGISTRY),
    "xiangxian:create": Route(get=XX_EDITORS, post=XX_EDITORS),
    "xiangxian:search-save": Route(post=REGISTRY, ok={"POST": {302}}),
    "xiangxian:search-open": Route(get=REGISTRY, kind="saved_search", ok={"GET": {302}}),
    "xiangxian:search-delete": Route(
        post=frozenset({"dispatcher"}),
        kind="saved_search",
        ok={"POST": {302}},
        why="only the one who saved a search deletes it; colleagues get 403",
    ),
    "xiangxian:detail": Route(get=REGISTRY, kind="xiangxian"),
    "xiangxian:edit": Route(get=XX_EDITORS, post=XX_EDITORS, kind="xiangxian"),
    "xiangxian:numbers": Route(post=XX_OFFICE, kind="xiangxian", ok={"POST": {200}}),
    "xiangxian:merge": Route(post=XX_EDITORS, kind="xiangxian"),
    "xiangxian:merge-undo": Route(post=XX_EDITORS, kind="xiangxian_merge"),
    "xiangxian:service-list": Route(get=REGISTRY),
    "xiangxian:service-create": Route(get=XX_EDITORS, post=XX_EDITORS, kind="xiangxian"),
    "xiangxian:service-edit": Route(get=XX_EDITORS, post=XX_EDITORS, kind="service_record"),
    "xiangxian:service-delete": Route(post=XX_EDITORS, kind="service_record", ok={"POST": {302}}),
    "xiangxian:contribution-list": Route(get=REGISTRY),
    "xiangxian:contribution-create": Route(get=XX_EDITORS, post=XX_EDITORS, kind="xiangxian"),
    "xiangxian:contribution-detail": Route(get=REGISTRY, kind="contribution"),
    "xiangxian:contribution-edit": Route(get=XX_EDITORS, post=XX_EDITORS, kind="contribution"),
    "xiangxian:contribution-attach": Route(post=XX_EDITORS, kind="contribution"),
    "xiangxian:association-list": Route(get=REGISTRY),
    "xiangxian:association-create": Route(get=XX_OFFICE, post=XX_OFFICE),
    "xiangxian:association-detail": Route(get=REGISTRY, kind="association"),
    "xiangxian:association-edit": Route(get=XX_OFFICE, post=XX_OFFICE, kind="association"),
    "xiangxian:association-member-add": Route(post=XX_OFFICE, kind="association"),
    "xiangxian:association-member-remove": Route(
        post=XX_OFFICE, kind="association_membership", ok={"POST": {302}}
    ),
    "xiangxian:association-officer-set": Route(post=XX_OFFICE, kind="association"),
    "xiangxian:event-list": Route(get=REGISTRY),
    "xiangxian:event-create": Route(get=XX_OFFICE, post=XX_OFFICE),
    "xiangxian:event-detail": Route(get=REGISTRY, kind="xx_event"),
    "xiangxian:event-edit": Route(get=XX_OFFICE, post=XX_OFFICE, kind="xx_event"),
    "xiangxian:programme-add": Route(get=XX_OFFICE, post=XX_OFFICE, kind="xx_event"),
    "xiangxian:programme-edit": Route(get=XX_OFFICE, post=XX_OFFICE, kind="xx_programme_item"),
    "xiangxian:event-invite": Route(get=XX_OFFICE, post=XX_OFFICE, kind="xx_event"),
    "xiangxian:event-check-in": Route(get=XX_OFFICE, post=XX_OFFICE, kind="xx_event"),
    "xiangxian:invitation-itinerary": Route(get=XX_OFFICE, post=XX_OFFICE, kind="xx_invitation"),
    # The invitee's private page: no sign-in, its unguessable token is the key; a token that is
    # no one's is 404 for everyone.
    "xiangxian:invitation": Route(
        get=ALL,
        post=ALL,
        public=True,
        kind="xx_private_link",
        ok={"POST": {302, 400}},
        why="an invitation's private link needs no sign-in",
    ),
    "xiangxian:invitation-reminders": Route(
        post=ALL,
        public=True,
        kind="xx_private_link",
        ok={"POST": {302, 400}},
        why="an invitation's private link needs no sign-in",
    ),
    # The non-party archive: the office edits, leaders read, county staff read their county's
    "grassroots:list": Route(get=GR_READERS),
    "grassroots:unit-detail": Route(get=GR_READERS, kind="gr_unit"),
    "grassroots:record-add": Route(get=GR_WRITERS, post=GR_WRITERS, kind="gr_unit"),
    "grassroots:index": Route(get=GR_READERS),
    "grassroots:periods": Route(get=GR_READERS),
    "grassroots:period": Route(get=GR_READERS, kind="gr_period"),
    "grassroots:period-action": Route(post=XX_OFFICE, kind="gr_period_action", ok={"POST": {302}}),
    "grassroots:unit-score": Route(get=GR_READERS, kind="gr_unit_score"),
    "grassroots:unit-score-save": Route(post=GR_WRITERS, kind="gr_unit_score", ok={"POST": {302}}),
    # people, the liaison cadre their own people (recording their growth and talks).
    "nonparty:list": Route(get=NP_READERS),
    "nonparty:create": Route(get=XX_OFFICE, post=XX_OFFICE),
    "nonparty:detail": Route(get=NP_READERS, kind="np_person"),
    "nonparty:edit": Route(get=XX_OFFICE, post=XX_OFFICE, kind="np_person"),
    "nonparty:numbers": Route(post=XX_OFFICE, kind="np_person", ok={"POST": {200}}),
    "nonparty:photo": Route(get=NP_READERS, kind="np_person", ok={"GET": {404}}),
    "nonparty:education-add": Route(get=XX_OFFICE, post=XX_OFFICE, kind="np_person"),
    "nonparty:education-remove": Route(post=XX_OFFICE, kind="np_education", ok={"POST": {302}}),
    "nonparty:post-add": Route(get=XX_OFFICE, post=XX_OFFICE, kind="np_person"),
    "nonparty:growth-add": Route(get=NP_LIAISON, post=NP_LIAISON, kind="np_growth"),
    "nonparty:liaison-link": Route(post=XX_OFFICE, kind="np_person", ok={"POST": {302}}),
    "nonparty:liaison-end": Route(post=XX_OFFICE, kind="np_liaison", ok={"POST": {302}}),
    "nonparty:coverage": Route(get=NP_READERS),
    "nonparty:handover": Route(get=XX_OFFICE, post=XX_OFFICE),
    "nonparty:batch-list": Route(get=NP_READERS),
    "nonparty:batch-create": Route(get=XX_OFFICE, post=XX_OFFICE),
    "nonparty:batch-detail": Route(get=NP_READERS, kind="np_batch"),
    "nonparty:batch-add-people": Route(post=XX_OFFICE, kind="np_batch", ok={"POST": {302}}),
    "nonparty:batch-approve": Route(post=XX_OFFICE, kind="np_batch", ok={"POST": {302}}),
    "nonparty:talks": Route(get=NP_READERS),
    "nonparty:talk-plan-add": Route(post=XX_OFFICE, ok={"POST": {302}}),
    "nonparty:talk-record": Route(get=NP_LIAISON, post=NP_LIAISON, kind="np_talk_plan"),
    # The comprehensive evaluation: the office reviews or returns (an empty return is 400), only
    # the person's liaison cadre (``liaison``) scores and submits.
    "nonparty:evaluation-list": Route(get=NP_READERS),
    "nonparty:evaluation-scheme": Route(get=XX_OFFICE, post=XX_OFFICE, ok={"POST": {400}}),
    "nonparty:evaluation-detail": Route(get=NP_READERS, kind="np_evaluation"),
    "nonparty:evaluation-review": Route(post=XX_OFFICE, kind="np_evaluation", ok={"POST": {302}}),
    "nonparty:evaluation-return": Route(post=XX_OFFICE, kind="np_evaluation", ok={"POST": {400}}),
    "nonparty:evaluation-score": Route(
        get=frozenset({"liaison"}),
        post=frozenset({"liaison"}),
        kind="np_person_year",
        # The world's evaluation is submitted: the form sends its cadre to the evaluation.
        ok={"GET": {302}, "POST": {302, 400, 409}},
        why="only the person's liaison cadre scores",
    ),
    # The associations (知联会) and the president's report: the office edits; leaders, county
    # staff (their county's association) and the president's or a member's cadre read.
    "nonparty:association-list": Route(get=NP_READERS),
    "nonparty:association-create": Route(get=XX_OFFICE, post=XX_OFFICE),
    "nonparty:association-detail": Route(get=NP_READERS, kind="np_association"),
    "nonparty:association-member-add": Route(
        post=XX_OFFICE, kind="np_association", ok={"POST": {302}}
    ),
    "nonparty:association-member-leave": Route(
        post=XX_OFFICE, kind="np_association_member", ok={"POST": {302}}
    ),
    "nonparty:report-create": Route(get=XX_OFFICE, post=XX_OFFICE, kind="np_association"),
    "nonparty:report-detail": Route(get=NP_READERS, kind="np_report"),
    "nonparty:report-edit": Route(get=XX_OFFICE, post=XX_OFFICE, kind="np_report"),
    "nonparty:report-open": Route(post=XX_OFFICE, kind="np_report", ok={"POST": {302}}),
    "nonparty:report-close": Route(post=XX_OFFICE, kind="np_report", ok={"POST": {302}}),
    "nonparty:review-link-reissue": Route(
        post=XX_OFFICE, kind="np_review_link", ok={"POST": {200}}
    ),
    # A member's review page: no sign-in, the one-time token is the key; an empty POST is a
    # form with errors and uses nothing.
    # The people list exported as filtered (.xlsx through the portal's exports, and .csv).
    "nonparty:export": Route(get=NP_READERS),
    "nonparty:export-csv": Route(get=NP_READERS),
    "nonparty:review": Route(
        get=ALL,
        post=ALL,
        public=True,
        kind="np_review_token",
        ok={"POST": {400}},
        why="a member's review link needs no sign-in",
    ),
    # Grassroots: units, leaders' supervision visits and the typical-case library.
    "grassroots:visit-list": Route(get=GR_READERS),
    # Leaders and the office record visits; an empty POST shows the county's choice again.
    "grassroots:visit-new": Route(get=STAFF, post=STAFF, ok={"POST": {200}}),
    "grassroots:visit-detail": Route(get=GR_READERS, kind="gr_visit"),
    # The world's visits are the leader's own: leader and office edit, county staff read.
    "grassroots:visit-edit": Route(get=STAFF, post=STAFF, kind="gr_visit", ok={"POST": {200}}),
    "grassroots:follow-up-close": Route(post=GR_READERS, kind="gr_follow_up", ok={"POST": {302}}),
    "grassroots:ties": Route(get=STAFF, post=GR_OFFICE, ok={"POST": {200}}),
    "grassroots:case-list": Route(get=GR_CASE_READERS),
    "grassroots:case-new": Route(get=GR_DRAFTERS, post=GR_DRAFTERS, ok={"POST": {200}}),
    "grassroots:case-detail": Route(get=GR_CASE_READERS, kind="gr_case"),
    "grassroots:case-edit": Route(
        get=GR_DRAFTERS, post=GR_DRAFTERS, kind="gr_case_draft", ok={"POST": {200}}
    ),
    # Whether the role may take the step is the transition table's business (403), the
    # status's a message (302); the scope is this test's.
    "grassroots:case-action": Route(
        post=GR_CASE_READERS, kind="gr_case_action", ok={"POST": {302, 403}}
    ),
    "grassroots:case-photo": Route(get=GR_CASE_READERS, kind="gr_case_photo"),
    "exports:list": Route(get=SIGNED_IN),
    "exports:job": Route(get=SIGNED_IN, kind="export_job"),
    "exports:job-progress": Route(get=SIGNED_IN, kind="export_job"),
    "exports:job-download": Route(get=SIGNED_IN, kind="export_job", ok={"GET": {200, 404}}),
    "imports:list": Route(get=SIGNED_IN),
    "imports:new": Route(get=IMPORTERS, post=IMPORTERS, ok={"POST": {200}}),
    "imports:template": Route(get=IMPORTERS, kind="import_kind"),
    "imports:job": Route(get=SIGNED_IN, kind="import_job"),
    "imports:job-check": Route(post=SIGNED_IN, kind="import_job", ok={"POST": {200}}),
    "imports:job-apply": Route(post=SIGNED_IN, kind="import_job", ok={"POST": {200}}),
    "imports:job-progress": Route(get=SIGNED_IN, kind="import_job"),
    "imports:job-rejected": Route(get=SIGNED_IN, kind="import_job", ok={"GET": {200, 404}}),
    "department-list": Route(get=SIGNED_IN, post=SIGNED_IN, ok={"POST": {200}}, why=READ_ONLY),
    "calendar": Route(get=SIGNED_IN, post=SIGNED_IN, ok={"POST": {200}}, why=READ_ONLY),
    "region-browser": Route(get=SIGNED_IN, post=SIGNED_IN, ok={"POST": {200}}, why=READ_ONLY),
    "region-children": Route(get=ALL, public=True, why="administrative divisions are public"),
    "region-search": Route(get=ALL, public=True, why="administrative divisions are public"),
    "enterprises:my-enterprises": Route(get=ENTREPRENEURS, post=ENTREPRENEURS),
    "enterprises:membership-list": Route(get=STAFF, post=STAFF, ok={"POST": {200}}, why=READ_ONLY),
    "enterprises:membership-verify": Route(post=TRIAGE, kind="membership"),
    "enterprises:membership-reject": Route(post=TRIAGE, kind="membership"),
    "enterprises:membership-mobile": Route(post=TRIAGE, kind="membership"),
    "enterprises:list": Route(get=DIRECTORY),
    "enterprises:search": Route(get=SIGNED_IN, query={"q": "mk-ent"}),
    "enterprises:detail": Route(get=SIGNED_IN, kind="enterprise"),
    "enterprises:session-list": Route(get=STAFF | ENTREPRENEURS),
    "enterprises:session-new": Route(get=TRIAGE, post=TRIAGE),
    "enterprises:session-detail": Route(get=SIGNED_IN, kind="session"),
    "enterprises:session-edit": Route(
        get=TRIAGE, post=TRIAGE, kind="session", ok={"GET": {200, 302}}
    ),
    "enterprises:session-invite": Route(post=TRIAGE, kind="session"),
    "enterprises:session-answer": Route(post={"entrepreneur"}, kind="session"),
    "enterprises:session-expert-add": Route(post=TRIAGE, kind="session"),
    "enterprises:session-expert-remove": Route(post=TRIAGE, kind="expert"),
    "enterprises:session-hold": Route(post=TRIAGE, kind="session"),
    "enterprises:session-summarise": Route(post=TRIAGE, kind="session"),
    "enterprises:session-need-new": Route(
        get=TRIAGE, post=TRIAGE, kind="session", ok={"GET": {200, 302}}
    ),
    "enterprises:session-export": Route(get=STAFF, kind="session"),
    "enterprises:celebration-list": Route(get=SIGNED_IN),
    "enterprises:celebration-new": Route(get=CELEBRATION_REQUESTERS, post=CELEBRATION_REQUESTERS),
    "enterprises:celebration-detail": Route(get=SIGNED_IN, kind="celebration"),
    "enterprises:celebration-approve": Route(post=STAFF, kind="celebration"),
    "enterprises:celebration-decline": Route(post=STAFF, kind="celebration"),
    "enterprises:celebration-image": Route(get=SIGNED_IN, kind="celebration"),
    "enterprises:enterprise-celebrations": Route(get=SIGNED_IN, kind="enterprise"),
    "appeals:list": Route(get=SIGNED_IN),
    "appeals:new": Route(get=TRIAGE | ENTREPRENEURS, post=TRIAGE | ENTREPRENEURS),
    "appeals:inbox": Route(get=INBOX),
    "appeals:export": Route(get=SIGNED_IN),
    "appeals:stats": Route(get=STATS),
    # The cockpit: the office for the city, county staff for their county; others 403.
    "cockpit": Route(get=COCKPIT),
    "appeals:stats-export": Route(get=STATS),
    "appeals:stats-report": Route(get=STATS),
    "appeals:extensions": Route(get=TRIAGE | {"head"}),
    "appeals:deadline-preview": Route(get=INBOX, kind="appeal"),
    "appeals:category-guidance": Route(get=SIGNED_IN),
    "appeals:detail": Route(get=SIGNED_IN, kind="appeal"),
    "appeals:attachment": Route(get=SIGNED_IN, kind="attachment"),
    "portal:attachment": Route(get=SIGNED_IN, kind="portal_attachment"),
    # Every action of the loop is tried (see ``action_urls``); whether the role may take the
    # step is the transition table's business (403 or a warning), the scope is this test's.
    "appeals:action": Route(post=SIGNED_IN, kind="appeal", ok={"POST": POST_OK | {403}}),
    "screen-kiosk": Route(get=ALL, public=True, kind="screen"),
    "screen-feed": Route(get=ALL, public=True, kind="screen"),
    "screen-image": Route(get=ALL, public=True, kind="screen_image"),
    "healthz": Route(
        get=ALL, post=ALL, public=True, ok={"GET": {200, 503}, "POST": {200, 503}}, why=READ_ONLY
    ),
    "set_language": Route(
        get=ALL, post=ALL, public=True, ok={"GET": {200, 204, 302}, "POST": {200, 204, 302}}
    ),
    "javascript-catalog": Route(get=ALL, public=True),
    "api-schema": Route(get=ALL, public=True, why="the API's description is public"),
    "api-docs": Route(get=ALL, public=True),
}

# --- API (token) ----------------------------------------------------------------------------


def api(**kwargs) -> Route:
    return Route(api=True, **kwargs)


API: dict[str, Route] = {
    "api:token": api(post=ALL, public=True, ok={"POST": {400}}),
    "api:register": api(post=ALL, public=True, ok={"POST": {400}}),
    "api:me": api(get=SIGNED_IN),
    "api:stats-appeals": api(get=STATS, query={"group_by": "department"}),
    "api:cockpit": api(get=COCKPIT),
    "api:department-list": api(get=SIGNED_IN),
    "api:department-detail": api(get=SIGNED_IN, kind="department"),
    "api:notification-list": api(get=SIGNED_IN),
    "api:notification-mark-read": api(post=SIGNED_IN, ok={"POST": {200}}),
    "api:appeal-category-list": api(get=SIGNED_IN),
    "api:appeal-category-detail": api(get=SIGNED_IN, kind="category"),
    "api:appeal-list": api(get=SIGNED_IN, post=SIGNED_IN, ok={"POST": {400, 403}}),
    "api:appeal-detail": api(get=SIGNED_IN, kind="appeal"),
    "api:session-list": api(get=SIGNED_IN, post=SIGNED_IN, ok={"POST": {400, 403}}),
    "api:session-detail": api(get=SIGNED_IN, kind="session"),
    "api:session-answer": api(post=SIGNED_IN, kind="session", ok={"POST": {400, 403, 409}}),
    "api:session-invite": api(post=SIGNED_IN, kind="session", ok={"POST": {400, 403, 409}}),
    "api:screen-list": api(get=SIGNED_IN),
    # An empty body: 400 for the registry's editors; leaders read only.
    "api:xiangxian-list": api(get=REGISTRY, post=XX_EDITORS, ok={"POST": {400}}),
    "api:xiangxian-detail": api(get=REGISTRY, kind="xiangxian"),
    "api:xiangxian-stats": api(get=REGISTRY),
    "api:xiangxian-event-list": api(get=REGISTRY),
    "api:xiangxian-event-detail": api(get=REGISTRY, kind="xx_event"),
    "api:alliance-report-list": api(get=AL_READERS, post=AL_READERS, ok={"POST": {400}}),
    "api:alliance-report-detail": api(get=AL_READERS, kind="al_report"),
    "api:alliance-report-submit": api(post=AL_REPORTER, kind="al_report", ok={"POST": {200, 400}}),
    "api:alliance-report-edit": api(post=AL_REPORTER, kind="al_report", ok={"POST": {200, 400}}),
    "api:alliance-report-check": api(post=AL_COUNTY, kind="al_report", ok={"POST": {409}}),
    "api:alliance-report-approve": api(post=AL_OFFICE, kind="al_report", ok={"POST": {409}}),
    "api:alliance-report-return": api(
        post=AL_OFFICE | AL_COUNTY, kind="al_report", ok={"POST": {400}}
    ),
    "api:alliance-report-correct": api(post=AL_CORRECTORS, kind="al_report", ok={"POST": {400}}),
    "api:alliance-figures": api(get=AL_READERS, query={"period": "2023H1"}),
    # An empty body: 400 for the office; everyone else who reads alliances 403.
    "api:alliance-list": api(get=AL_READERS, post=AL_OFFICE, ok={"POST": {400}}),
    "api:alliance-detail": api(get=AL_READERS, kind="alliance"),
    "api:alliance-coverage": api(get=AL_READERS),
    # The non-party archive: an empty body is 400 for the office; the rest read only.
    "api:grassroots-unit-list": api(get=GR_READERS),
    "api:grassroots-unit-detail": api(get=GR_READERS, kind="gr_unit"),
    "api:grassroots-index": api(get=GR_READERS, query={"period": "2023"}),
    "api:grassroots-periods": api(get=GR_READERS),
    "api:grassroots-period-action": api(
        post=XX_OFFICE, kind="gr_period_action", ok={"POST": {200}}
    ),
    "api:grassroots-period-score": api(post=GR_WRITERS, kind="gr_period", ok={"POST": {400}}),
    "api:grassroots-period-correct": api(post=XX_OFFICE, kind="gr_period", ok={"POST": {400}}),
    "api:nonparty-person-list": api(get=NP_READERS, post=XX_OFFICE, ok={"POST": {400}}),
    "api:nonparty-person-detail": api(get=NP_READERS, kind="np_person"),
    "api:nonparty-batch-list": api(get=NP_READERS),
    "api:nonparty-batch-detail": api(get=NP_READERS, kind="np_batch"),
    "api:nonparty-talk-plans": api(get=NP_READERS),
    "api:nonparty-president-report-list": api(get=NP_READERS),
    # Evaluations: the office reviews (an empty body reviews as scored) or returns (400 without
    # a reason); only the person's cadre (not one of PEOPLE) submits.
    "api:nonparty-evaluation-list": api(get=NP_READERS),
    "api:nonparty-evaluation-detail": api(get=NP_READERS, kind="np_evaluation"),
    "api:nonparty-evaluation-submit": api(
        post=frozenset({"liaison"}), kind="np_evaluation", ok={"POST": {409}}
    ),
    "api:nonparty-evaluation-review": api(post=XX_OFFICE, kind="np_evaluation", ok={"POST": {200}}),
    "api:nonparty-evaluation-return": api(post=XX_OFFICE, kind="np_evaluation", ok={"POST": {400}}),
    "api:grassroots-visit-list": api(get=GR_READERS, post=STAFF, ok={"POST": {400}}),
    "api:grassroots-visit-detail": api(get=GR_READERS, kind="gr_visit"),
    "api:grassroots-follow-up-close": api(post=GR_READERS, kind="gr_follow_up", ok={"POST": {400}}),
    "api:grassroots-case-list": api(get=GR_CASE_READERS, post=GR_DRAFTERS, ok={"POST": {400}}),
    "api:grassroots-case-detail": api(get=GR_CASE_READERS, kind="gr_case"),
    "api:grassroots-case-recommend": api(
        post=GR_CASE_READERS, kind="gr_case", ok={"POST": {200, 403, 409}}
    ),
    "api:grassroots-case-publish": api(
        post=GR_CASE_READERS, kind="gr_case", ok={"POST": {200, 403, 409}}
    ),
}
# Each step of the loop on an appeal in scope: 400 (empty body), 403 (not this role's step) or
# 409 (not now); out of scope 404 (``expected``).
for _entry in APPEAL_ACTIONS:
    API[f"api:appeal-{_entry.name.replace('_', '-')}"] = api(
        post=SIGNED_IN, kind="appeal", ok={"POST": {200, 400, 403, 409}}
    )

ADMIN_NAMESPACE = "admin:"

# Leaks known and reported to their owners: (route, person, marker) → why it is still here.
# A known leak that no longer happens fails the test, so this list only ever shrinks.
KNOWN_LEAKS: dict[tuple[str, str, str], str] = {}


def _route_for(name: str | None) -> Route | None:
    if name is None:
        return None
    return PAGES.get(name) or API.get(name)


# --- the tables cover the resolver ------------------------------------------------------------


def test_every_route_has_a_reviewed_expectation():
    missing, unnamed = [], []
    names = set()
    for name, pattern_text, _pattern in walk():
        if name is None:
            if not pattern_text.startswith("admin/"):
                unnamed.append(pattern_text)
            continue
        names.add(name)
        if name.startswith(ADMIN_NAMESPACE):
            continue
        if _route_for(name) is None:
            missing.append(f"{name} ({pattern_text})")
    assert not missing, "routes with no expectation in the access matrix: " + ", ".join(missing)
    assert not unnamed, "unnamed routes cannot be listed in the matrix: " + ", ".join(unnamed)
    stale = sorted((set(PAGES) | set(API)) - names)
    assert not stale, f"expectations for routes that no longer exist: {stale}"


def test_every_operation_of_the_openapi_schema_is_in_the_matrix(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    missing = []
    for path, operations in schema["paths"].items():
        concrete = path.replace("{id}", "1")
        match = resolve(concrete)
        for method in operations:
            if method.upper() not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                continue
            route = API.get(match.view_name)
            served = route and (route.get if method == "get" else route.post)
            if route is None or (method in ("get", "post") and served is None):
                missing.append(f"{method.upper()} {path} ({match.view_name})")
            elif method not in ("get", "post"):
                missing.append(f"{method.upper()} {path}: the matrix tries GET and POST only")
    assert not missing, "API operations outside the access matrix: " + ", ".join(missing)


# --- the matrix ---------------------------------------------------------------------------------


def _targets(world, name: str, route: Route, pattern) -> list[tuple[str, str, frozenset | None]]:
    """(object label, URL, who may see it) for every object the route is tried on."""
    parameters = url_parameters(pattern)
    if route.kind is None:
        assert not parameters, f"{name} takes {parameters}: give it a kind of object"
        return [("—", reverse(name), None)]
    targets = []
    for obj in world.objects[route.kind]:
        kwargs = {key: value for key, value in obj.kwargs.items() if key in parameters}
        if name == "appeals:action":
            for action in (entry.name for entry in APPEAL_ACTIONS):
                url = reverse(name, kwargs={**kwargs, "action": action.replace("_", "-")})
                targets.append((f"{obj.name}, {action}", url, obj.seen_by))
            continue
        targets.append((obj.name, reverse(name, kwargs=kwargs), obj.seen_by))
    return targets


def _query(world, route: Route, name: str, label: str) -> dict:
    query = dict(route.query)
    if name == "region-children":
        query["parent"] = Region.objects.get(code__startswith="3308", level=2).pk
    if name == "appeals:deadline-preview":
        obj = next(o for o in world.objects["appeal"] if o.name == label)
        query.update(obj.query)
    return query


def run_matrix(world, table: dict[str, Route], methods=("GET", "POST")) -> tuple[int, list]:
    asker = Asker(world.people)
    login_url = settings.LOGIN_URL if settings.LOGIN_URL.startswith("/") else reverse("login")
    patterns = {name: pattern for name, _text, pattern in walk() if name}
    tried, failures = 0, []
    seen_leaks = set()
    for name, route in table.items():
        for label, url, seen_by in _targets(world, name, route, patterns[name]):
            for method in methods:
                for person in PEOPLE:
                    case = Case(
                        route=name,
                        method=method,
                        person=person,
                        obj=label,
                        url=url,
                        expected=expected(route, method, person, seen_by),
                    )
                    response, body = asker.ask(
                        person,
                        method,
                        url,
                        api=route.api,
                        query=_query(world, route, name, label) if method == "GET" else None,
                    )
                    tried += 1
                    hidden = [
                        marker
                        for marker in world.hidden_from(person)
                        if (name, person, marker) not in KNOWN_LEAKS
                    ]
                    case = judge(case, response, body, hidden, login_url)
                    if case.problem:
                        failures.append(case)
                    for marker in world.hidden_from(person):
                        if (name, person, marker) in KNOWN_LEAKS and marker in body:
                            seen_leaks.add((name, person, marker))
    for key in KNOWN_LEAKS:
        if key[0] in table and key not in seen_leaks:
            failures.append(f"known leak {key} no longer happens: remove it from KNOWN_LEAKS")
    return tried, failures


def _report(failures: list) -> str:
    shown = "\n".join(str(case) for case in failures[:400])
    more = f"\n… and {len(failures) - 400} more" if len(failures) > 400 else ""
    return f"{len(failures)} cases broke their promise:\n{shown}{more}"


def test_pages(world, report_cases):
    tried, failures = run_matrix(world, PAGES)
    known = sum(1 for key in KNOWN_LEAKS if key[0] in PAGES)
    report_cases(
        f"access matrix, pages: {tried} cases ({len(PAGES)} routes × people × objects); "
        f"{known} known leaks still open (KNOWN_LEAKS)"
    )
    assert not failures, _report(failures)


def test_api(world, report_cases):
    tried, failures = run_matrix(world, API, methods=("GET", "POST", "DELETE"))
    report_cases(f"access matrix, API: {tried} cases ({len(API)} endpoints × people × objects)")
    assert not failures, _report(failures)


def test_admin_site_is_for_staff_only(world, report_cases):
    """Every admin URL sends anyone but staff to the admin's login page; staff reach every
    model's list."""
    asker = Asker(world.people)
    tried, failures = 0, []
    for name, text, pattern in walk():
        if not text.startswith("admin/"):
            continue
        url = "/" + _admin_path(text, pattern)
        for person in PEOPLE:
            if person == "admin":
                continue
            for method in ("GET", "POST"):
                response, _body = asker.ask(person, method, url, api=False)
                tried += 1
                location = response.get("Location", "")
                if name in ("admin:login", "admin:logout"):
                    ok = response.status_code in (200, 302, 405)
                else:
                    ok = response.status_code == 302 and location.startswith("/admin/login/")
                if not ok:
                    failures.append(f"{method} {url} ({name}) as {person}: {response.status_code}")
        if name and name.endswith(("_changelist", ":index")):
            response, _body = asker.ask("admin", "GET", url, api=False)
            tried += 1
            if response.status_code != 200:
                failures.append(f"GET {url} ({name}) as admin: {response.status_code}")
    report_cases(f"access matrix, admin site: {tried} cases")
    assert not failures, "\n".join(failures)


def _admin_path(text: str, pattern) -> str:
    import re

    values = {"app_label": "portal", "url": "nothing-here/"}
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "1"), text)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values.get(m.group(1), "1"), path)
    return path.replace("^", "").replace("$", "")


def test_post_ok_is_never_a_refusal():
    # A sanity check of the table's vocabulary: "allowed" never includes 403, 404 or 500.
    assert not POST_OK & {403, 404, 500}
