from django.urls import path

from . import views

app_name = "orderers"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("waiting/", views.waiting, name="waiting"),
    path("<int:pk>/decide/", views.decide, name="decide"),
]
