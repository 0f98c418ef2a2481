app_name = "incubator"
urlpatterns = []
