from django.urls import path

from . import views

app_name = "opencalls"

urlpatterns = [
    path("", views.my_calls, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("orders/<int:order_pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/interested/", views.manage, name="manage"),
    path("<int:pk>/close/", views.close, name="close"),
]
