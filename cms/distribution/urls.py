from django.urls import path

from cms.distribution import views

urlpatterns = [
    path("api/alerts/", views.subscribe, name="alerts_subscribe"),
    path("alerts/confirm/<str:token>/", views.confirm, name="alerts_confirm"),
    path("alerts/stop/<str:token>/", views.unsubscribe, name="alerts_unsubscribe"),
]
