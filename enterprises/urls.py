from django.urls import path

from enterprises.views import accounts, appeals, directory

# /enterprises/… (namespace "enterprises")
app_name = "enterprises"
urlpatterns = [
    path("mine/", accounts.my_enterprises, name="my-enterprises"),
    path("memberships/", accounts.membership_list, name="membership-list"),
    path("memberships/<int:pk>/verify/", accounts.membership_verify, name="membership-verify"),
    path("memberships/<int:pk>/reject/", accounts.membership_reject, name="membership-reject"),
    path("memberships/<int:pk>/mobile/", accounts.membership_mobile, name="membership-mobile"),
    # directory
    path("", directory.enterprise_list, name="list"),
    path("search/", directory.enterprise_search, name="search"),
    path("import/", directory.enterprise_import, name="import"),
    path("import/template/", directory.enterprise_import_template, name="import-template"),
    path("<int:pk>/", directory.enterprise_detail, name="detail"),
]

# /appeals/… (namespace "appeals", included by portal/urls.py)
appeal_patterns = [
    path("", appeals.appeal_list, name="list"),
    path("new/", appeals.appeal_new, name="new"),
    path("inbox/", appeals.appeal_inbox, name="inbox"),
    path("extensions/", appeals.extension_list, name="extensions"),
    path("deadline-preview/", appeals.deadline_preview, name="deadline-preview"),
    path("category-guidance/", appeals.category_guidance, name="category-guidance"),
    path("<int:pk>/", appeals.appeal_detail, name="detail"),
    path("<int:pk>/files/<int:attachment_pk>/", appeals.attachment_download, name="attachment"),
    path("<int:pk>/<slug:action>/", appeals.appeal_action, name="action"),
]
