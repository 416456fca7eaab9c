from django.urls import path

from . import views

app_name = "requirements"

urlpatterns = [
    path("orders/<int:order_pk>/", views.order_requirements, name="order"),
    path("experts/<int:expert_pk>/", views.expert_record, name="expert"),
    path(
        "experts/<int:expert_pk>/<int:pk>/remove/",
        views.remove_qualification,
        name="remove",
    ),
]
