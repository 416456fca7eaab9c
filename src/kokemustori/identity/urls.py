from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path("signed-out/<slug:slug>/", views.signed_out, name="signed_out"),
    path("confirm/", views.confirm, name="confirm"),
]
