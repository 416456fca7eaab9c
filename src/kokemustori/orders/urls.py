from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/", views.create, name="create"),
    path("inbox/", views.inbox, name="inbox"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/form/<slug:section>/", views.form_step, name="form_step"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/step/<slug:step>/", views.take_step, name="step"),
]
