from django.urls import path

from . import views

app_name = "offers"

urlpatterns = [
    path("", views.my_offers, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decline/", views.decline, name="decline"),
]
