app_name = "preparedness"

urlpatterns: list = []
