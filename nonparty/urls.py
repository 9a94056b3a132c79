"""The app's page URLs, included at the site's root through ``portal.registry.register_urls``."""

from django.urls import include, path

from nonparty.views import associations, batches, evaluation, liaison, people, talks

# /nonparty/… (namespace "nonparty")
patterns = [
    path("", people.person_list, name="list"),
    path("new/", people.person_create, name="create"),
    path("<int:pk>/", people.person_detail, name="detail"),
    path("<int:pk>/edit/", people.person_edit, name="edit"),
    path("<int:pk>/numbers/", people.person_numbers, name="numbers"),
    path("<int:pk>/photo/", people.person_photo, name="photo"),
    path("<int:pk>/education/new/", people.education_add, name="education-add"),
    path("education/<int:pk>/remove/", people.education_remove, name="education-remove"),
    path("<int:pk>/posts/new/", people.post_add, name="post-add"),
    path("<int:pk>/growth/<slug:kind>/new/", people.growth_add, name="growth-add"),
    path("<int:pk>/liaison/", liaison.liaison_link, name="liaison-link"),
    path("liaison/<int:pk>/end/", liaison.liaison_end, name="liaison-end"),
    path("coverage/", liaison.coverage, name="coverage"),
    path("handover/", liaison.handover, name="handover"),
    path("talks/", talks.talks, name="talks"),
    path("talks/plan/", talks.talk_plan_add, name="talk-plan-add"),
    path("talks/<int:pk>/record/", talks.talk_record, name="talk-record"),
    path("batches/", batches.batch_list, name="batch-list"),
    path("batches/new/", batches.batch_create, name="batch-create"),
    path("batches/<int:pk>/", batches.batch_detail, name="batch-detail"),
    path("batches/<int:pk>/people/", batches.batch_add_people, name="batch-add-people"),
    path("batches/<int:pk>/approve/", batches.batch_approve, name="batch-approve"),
    path("evaluations/", evaluation.evaluation_list, name="evaluation-list"),
    path("evaluations/scheme/", evaluation.evaluation_scheme, name="evaluation-scheme"),
    path("evaluations/<int:pk>/", evaluation.evaluation_detail, name="evaluation-detail"),
    path("evaluations/<int:pk>/review/", evaluation.evaluation_review, name="evaluation-review"),
    path("evaluations/<int:pk>/return/", evaluation.evaluation_return, name="evaluation-return"),
    path("<int:pk>/evaluation/<int:year>/", evaluation.evaluation_score, name="evaluation-score"),
    # The associations (知联会) and the president's yearly report and review.
    path("associations/", associations.association_list, name="association-list"),
    path("associations/new/", associations.association_create, name="association-create"),
    path("associations/<int:pk>/", associations.association_detail, name="association-detail"),
    path("associations/<int:pk>/members/", associations.member_add, name="association-member-add"),
    path(
        "association-members/<int:pk>/leave/",
        associations.member_leave,
        name="association-member-leave",
    ),
    path("associations/<int:pk>/reports/new/", associations.report_create, name="report-create"),
    path("reports/<int:pk>/", associations.report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", associations.report_edit, name="report-edit"),
    path("reports/<int:pk>/open/", associations.report_open, name="report-open"),
    path("reports/<int:pk>/close/", associations.report_close, name="report-close"),
    path("review-links/<int:pk>/reissue/", associations.link_reissue, name="review-link-reissue"),
    path("review/<str:token>/", associations.review, name="review"),
    path("export/", people.person_export, name="export"),
    path("export.csv", people.person_export_csv, name="export-csv"),
]

urlpatterns = [path("nonparty/", include((patterns, "nonparty")))]
