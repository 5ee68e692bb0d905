"""Public URLs of countries and regions."""

from django.urls import path

from places import views

urlpatterns = [
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
]
