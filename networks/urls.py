app_name = "networks"

urlpatterns = []
