"""/api/v1/: the REST API. Each app contributes its routes from <app>/api.py."""

app_name = "api"
urlpatterns = []
