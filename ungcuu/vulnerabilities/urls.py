app_name = "vulnerabilities"

urlpatterns: list = []
