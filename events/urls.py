"""Public URLs of the timeline explorer, its exports, events and treaties."""

from django.urls import path

from events import feeds, plover_export, views

urlpatterns = [
    path("", views.explorer, name="explorer"),
    path("export/timelinejs.json", views.export_timelinejs, name="export-timelinejs"),
    path("export/events.csv", views.export_csv, name="export-csv"),
    path("export/events.json", views.export_json, name="export-json"),
    path("export/plover.jsonl", plover_export.export_plover, name="export-plover"),
    path("feed.atom", feeds.TimelineFeed(), name="feed"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("treaties/<slug:slug>/", views.treaty_detail, name="treaty"),
]
