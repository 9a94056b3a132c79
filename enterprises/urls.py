"""The app's page URLs, included at the site's root through ``portal.registry.register_urls``."""

from django.urls import include, path

from enterprises.views import accounts, appeals, directory, exports, screens, stats
from enterprises.views import celebrations as celebration_views
from enterprises.views import sessions as session_views

# /enterprises/… (namespace "enterprises")
enterprise_patterns = [
    path("mine/", accounts.my_enterprises, name="my-enterprises"),
    path("memberships/", accounts.membership_list, name="membership-list"),
    path("memberships/<int:pk>/verify/", accounts.membership_verify, name="membership-verify"),
    path("memberships/<int:pk>/reject/", accounts.membership_reject, name="membership-reject"),
    path("memberships/<int:pk>/mobile/", accounts.membership_mobile, name="membership-mobile"),
    # directory
    path("", directory.enterprise_list, name="list"),
    path("search/", directory.enterprise_search, name="search"),
    path("<int:pk>/", directory.enterprise_detail, name="detail"),
    # 亲清半月谈 dialogue sessions
    path("sessions/", session_views.session_list, name="session-list"),
    path("sessions/new/", session_views.session_new, name="session-new"),
    path("sessions/<int:pk>/", session_views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", session_views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/invite/", session_views.session_invite, name="session-invite"),
    path("sessions/<int:pk>/answer/", session_views.session_answer, name="session-answer"),
    path("sessions/<int:pk>/experts/", session_views.expert_add, name="session-expert-add"),
    path(
        "sessions/<int:pk>/experts/<int:expert_pk>/remove/",
        session_views.expert_remove,
        name="session-expert-remove",
    ),
    path("sessions/<int:pk>/hold/", session_views.session_hold, name="session-hold"),
    path("sessions/<int:pk>/summarise/", session_views.session_summarise, name="session-summarise"),
    path("sessions/<int:pk>/needs/new/", session_views.need_new, name="session-need-new"),
    path("sessions/<int:pk>/export/", session_views.session_export, name="session-export"),
    # 企业亮灯日 light-up days
    path("celebrations/", celebration_views.celebration_list, name="celebration-list"),
    path("celebrations/new/", celebration_views.celebration_new, name="celebration-new"),
    path("celebrations/<int:pk>/", celebration_views.celebration_detail, name="celebration-detail"),
    path(
        "celebrations/<int:pk>/approve/",
        celebration_views.celebration_approve,
        name="celebration-approve",
    ),
    path(
        "celebrations/<int:pk>/decline/",
        celebration_views.celebration_decline,
        name="celebration-decline",
    ),
    path(
        "celebrations/<int:pk>/image/",
        celebration_views.celebration_image,
        name="celebration-image",
    ),
    path(
        "<int:pk>/celebrations/",
        celebration_views.enterprise_celebrations,
        name="enterprise-celebrations",
    ),
]

# /appeals/… (namespace "appeals")
appeal_patterns = [
    path("", appeals.appeal_list, name="list"),
    path("new/", appeals.appeal_new, name="new"),
    path("inbox/", appeals.appeal_inbox, name="inbox"),
    path("export/", exports.appeal_list_export, name="export"),
    path("stats/", stats.dashboard, name="stats"),
    path("stats/export/", exports.stats_export, name="stats-export"),
    path("stats/report/", stats.monthly_report, name="stats-report"),
    path("extensions/", appeals.extension_list, name="extensions"),
    path("deadline-preview/", appeals.deadline_preview, name="deadline-preview"),
    path("category-guidance/", appeals.category_guidance, name="category-guidance"),
    path("<int:pk>/", appeals.appeal_detail, name="detail"),
    path("<int:pk>/files/<int:attachment_pk>/", appeals.attachment_download, name="attachment"),
    path("<int:pk>/<slug:action>/", appeals.appeal_action, name="action"),
]

urlpatterns = [
    path("accounts/register/", accounts.register, name="register"),
    path("enterprises/", include((enterprise_patterns, "enterprises"))),
    path("appeals/", include((appeal_patterns, "appeals"))),
    # Public kiosks of the light-up day screens: no login, read-only.
    path("screens/<slug:slug>/", screens.kiosk, name="screen-kiosk"),
    path("screens/<slug:slug>/feed/", screens.kiosk_feed, name="screen-feed"),
    path("screens/<slug:slug>/images/<int:pk>/", screens.kiosk_image, name="screen-image"),
]
