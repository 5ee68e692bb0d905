"""Public URLs of people."""

from django.urls import path

from people import views

urlpatterns = [
    # No trailing slash: "people/suggest/" would be the page of a person slugged "suggest".
    path("people/suggest", views.person_suggest, name="person-suggest"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
]
