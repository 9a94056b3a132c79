from django.urls import path

from enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("mine/", views.my_enterprises, name="my-enterprises"),
    path("memberships/", views.membership_list, name="membership-list"),
    path("memberships/<int:pk>/verify/", views.membership_verify, name="membership-verify"),
    path("memberships/<int:pk>/reject/", views.membership_reject, name="membership-reject"),
    path("memberships/<int:pk>/mobile/", views.membership_mobile, name="membership-mobile"),
]
