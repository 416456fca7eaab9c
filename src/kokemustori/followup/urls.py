from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("orders/<int:order_pk>/planning/", views.planning, name="planning"),
    path("orders/<int:order_pk>/debrief/<int:expert_pk>/", views.debrief, name="debrief"),
    path("orders/<int:order_pk>/feedback/<int:expert_pk>/", views.feedback, name="feedback"),
    path("summary/", views.summary, name="summary"),
    path("support/", views.support, name="support"),
]
