from django.urls import path

from . import views

app_name = "fees"

urlpatterns = [
    path("", views.fee_list, name="list"),
    path("overdue/", views.overdue, name="overdue"),
    path("export.csv", views.export_csv, name="export"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("mine/", views.mine, name="mine"),
    path("mine/identity-code/", views.identity_code, name="identity_code"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/add/", views.schedule_add, name="schedule_add"),
    path("schedule/<int:pk>/", views.schedule_edit, name="schedule_edit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/paid/", views.mark_paid, name="paid"),
    path("<int:pk>/expenses/", views.expenses, name="expenses"),
]
