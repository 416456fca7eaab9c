from django.urls import path

from . import views

app_name = "calendars"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("turn-on/", views.turn_on, name="turn_on"),
    path("turn-off/", views.turn_off, name="turn_off"),
]
