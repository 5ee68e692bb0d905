"""Public URLs of people."""

from django.urls import path

from people import views

urlpatterns = [path("people/<slug:slug>/", views.person_detail, name="person")]
