from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("experience-expertise/", views.about, name="about"),
    path("kinds-of-expert/", views.kinds, name="kinds"),
    path("how-to-order/", views.ordering, name="ordering"),
    path("join/", views.joining, name="joining"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
