from django.urls import path

from . import views

app_name = "series"

urlpatterns = [
    path("orders/<int:order_pk>/set-up/", views.set_up, name="set_up"),
    path("<int:pk>/", views.detail, name="detail"),
    path("meetings/<int:pk>/cancel/", views.cancel_meeting, name="cancel_meeting"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("fees/<int:pk>/approve/", views.approve_fee, name="approve_fee"),
    path("fees/<int:pk>/paid/", views.mark_fee_paid, name="fee_paid"),
]
