from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("<int:order_pk>/", views.order_matching, name="order"),
]
