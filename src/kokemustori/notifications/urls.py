from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<uuid:pk>/", views.email_detail, name="email"),
    path("outbox/<uuid:pk>/retry/", views.retry, name="retry"),
    path("outbox/<uuid:pk>/resend/", views.resend, name="resend"),
]
