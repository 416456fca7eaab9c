from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("confidentiality/", views.texts, name="texts"),
    path("confidentiality/sign/", views.sign, name="sign"),
    path("experts/<int:pk>/programme/", views.programme, name="programme"),
]
