from django.urls import path

from . import notice_views, views

app_name = "notifications"

urlpatterns = [
    path("", notice_views.notice_list, name="notices"),
    path("<int:pk>/open/", notice_views.open_notice, name="open"),
    path("<int:pk>/read/", notice_views.mark_read, name="mark_read"),
    path("read-all/", notice_views.mark_all_read, name="mark_all_read"),
    path("preferences/", notice_views.preferences, name="preferences"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<uuid:pk>/", views.email_detail, name="email"),
    path("outbox/<uuid:pk>/retry/", views.retry, name="retry"),
    path("outbox/<uuid:pk>/resend/", views.resend, name="resend"),
]
