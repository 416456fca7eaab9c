from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("orders/<int:order_pk>/", views.order_thread, name="order_thread"),
    path(
        "orders/<int:order_pk>/experts/<int:expert_pk>/",
        views.expert_thread,
        name="expert_thread",
    ),
]
