from django.urls import path

from newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("", views.sign_up, name="sign_up"),
    path("thanks/", views.thanks, name="thanks"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
