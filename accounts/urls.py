from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("people/<slug:slug>/", views.profile_detail, name="profile"),
    path("account/profile/", views.profile_edit, name="profile_edit"),
    path("account/data/", views.data_download, name="data"),
    path("account/delete/", views.account_delete, name="delete"),
]
