from django.urls import path

from . import views

app_name = "privacy"

# Under /<language>/privacy/; the bare /privacy/ is the privacy notice (pages:privacy).
urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.my_data_download, name="my_data_download"),
    path("erase/", views.erase_me, name="erase_me"),
    path("erased/", views.erased, name="erased"),
    path("experts/<int:pk>/", views.expert_data, name="expert_data"),
    path("experts/<int:pk>/download/", views.expert_data_download, name="expert_data_download"),
    path("experts/<int:pk>/erase/", views.erase_expert, name="erase_expert"),
]
