from django.urls import path

from . import views

app_name = "experts"

urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("me/", views.me, name="me"),
    path("me/edit/", views.edit_profile, name="edit"),
    path("me/break/", views.toggle_break, name="break"),
    path("me/kinds/", views.apply_for_kind, name="apply_for_kind"),
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    path(
        "review/<int:pk>/training/<int:training_pk>/",
        views.review_training,
        name="review_training",
    ),
    path("review/<int:pk>/kind/<int:application_pk>/", views.decide_kind, name="decide_kind"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<int:pk>/", views.public_detail, name="public_detail"),
]
