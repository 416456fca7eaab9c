from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/change/", views.amend, name="amend"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/kept/<int:version>/<str:language>.pdf", views.kept_copy, name="kept_copy"),
    path("<int:pk>/calendar.ics", views.ics, name="ics"),
]
