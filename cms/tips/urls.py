from django.urls import path

from cms.tips.views import submit_tip

app_name = "tips_api"
urlpatterns = [path("", submit_tip, name="submit")]
