"""Admin for who is who: possible duplicates with their evidence side by side, merges and their undoing.

Every decision goes through ``people.identity`` with the editor and their reason:
the pair's page merges (the editor picks the survivor) or marks the pair "not the
same person"; a merge's page undoes it (a split); a person's page merges another
record into them by slug. Nothing here writes a row itself.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core import limits
from core.admin_filters import open_by_default
from core.admin_input import IdsChecked, id_or_404
from core.fuzzydates import FuzzyDate
from core.permissions import may
from events.models import Participation, Visit
from people.identity import person_mark_distinct, person_merge, person_split
from people.models import CandidateStatus, Person, PersonCandidate, PersonMerge
from people.selectors import person_by_slug

VISITS_SHOWN = 8
ROLES_SHOWN = 8


def may_merge(user: Any) -> bool:
    """A merge changes one person and deletes another: it takes both permissions."""
    return may(user, "change", Person) and may(user, "delete", Person)


def person_evidence(person: Person) -> dict[str, Any]:
    """What an editor compares to tell whether two records are one person."""
    born, died = FuzzyDate.of(person, "born"), FuzzyDate.of(person, "died")
    roles = list(
        person.roles.select_related("country", "post_country", "post_organization")[: ROLES_SHOWN + 1]
    )
    visits = Visit.objects.filter(visitor=person).select_related("event", "host_country")
    return {
        "person": person,
        "url": reverse("admin:people_person_change", args=[person.pk]),
        "aliases": person.aliases,
        "nationality": person.nationality,
        "born": born.display if born else "",
        "died": died.display if died else "",
        "wikidata_id": person.wikidata_id,
        "identifiers": [str(i) for i in person.identifiers.all()],
        "roles": [(str(r), _period(r)) for r in roles[:ROLES_SHOWN]],
        "more_roles": len(roles) > ROLES_SHOWN,
        "visit_count": visits.count(),
        "visits": [
            (FuzzyDate.of(v.event, "date"), v.host_country.name, v.event.title)
            for v in visits.order_by("event_date_earliest", "pk")[:VISITS_SHOWN]
        ],
        "participations": Participation.objects.filter(person=person).count(),
    }


def _period(role: Any) -> str:
    start, end = FuzzyDate.of(role, "start"), FuzzyDate.of(role, "end")
    left = start.display if start else "?"
    right = end.display if end else ("in office" if role.ongoing else "?")
    return f"{left} – {right}"


class DecisionForm(forms.Form):
    """What an editor says about a pair: who remains if they are one, and why."""

    survivor = forms.ChoiceField(
        label="Keep",
        widget=forms.RadioSelect,
        help_text="The record that remains; the other's slug will name it.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=limits.REASON,
        help_text="Shown in history with the decision, e.g. 'Same birth date and office; two spellings'.",
    )

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [(str(p.pk), f"{p.name} ({p.slug})") for p in people]
        self.fields["survivor"].initial = str(people[0].pk)
        # The versions the editor saw: a record changed since is refused, not merged unseen.
        for person in people:
            self.fields[f"version_{person.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=person.version, required=False
            )

    def version_of(self, person: Person) -> int | None:
        return self.cleaned_data.get(f"version_{person.pk}")


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=limits.REASON)


class MergeIntoForm(forms.Form):
    other = forms.CharField(
        label="Slug of the other record",
        max_length=120,
        help_text="The record to merge into this one, e.g. binyamin-netanyahu. This one remains.",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=limits.REASON)


def _refused(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, on the field it names where the form has it."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


StatusFilter = open_by_default(CandidateStatus, CandidateStatus.OPEN)


@admin.register(PersonCandidate)
class PersonCandidateAdmin(IdsChecked, admin.ModelAdmin):
    """The list of possible duplicates; a pair's page shows the evidence and takes the decision."""

    list_display = ("pair", "countries", "lives", "score_shown", "rule", "status", "decided_by")
    list_display_links = None
    list_filter = (StatusFilter, "rule")
    search_fields = ("slug_a", "slug_b", "person_a__name", "person_b__name")
    list_select_related = ("person_a__nationality", "person_b__nationality", "decided_by")
    ordering = ("-score", "slug_a", "slug_b")
    change_form_template = "people/admin/decide.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # pairs come from imports, or from an editor's merge on a person's page

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a decision is undone by deciding again, not by forgetting it

    @admin.display(description="pair")
    def pair(self, candidate: PersonCandidate) -> str:
        link = reverse("admin:people_personcandidate_change", args=[candidate.pk])
        names = [
            p.name if p else f"{slug} (gone)"
            for p, slug in ((candidate.person_a, candidate.slug_a), (candidate.person_b, candidate.slug_b))
        ]
        return format_html('<a href="{}">{} / {}</a>', link, *names)

    @admin.display(description="countries")
    def countries(self, candidate: PersonCandidate) -> str:
        return " / ".join(
            (p.nationality.code if p and p.nationality else "—")
            for p in (candidate.person_a, candidate.person_b)
        )

    @admin.display(description="born – died")
    def lives(self, candidate: PersonCandidate) -> str:
        return " / ".join(
            f"{p.born or '?'} – {p.died or '?'}" if p else "—"
            for p in (candidate.person_a, candidate.person_b)
        )

    @admin.display(description="score", ordering="score")
    def score_shown(self, candidate: PersonCandidate) -> str:
        return "—" if candidate.score is None else f"{candidate.score:.2f}"

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        id_or_404(PersonCandidate, object_id)
        candidate = get_object_or_404(PersonCandidate, pk=object_id)
        if not self.has_view_permission(request, candidate):
            raise PermissionDenied
        people = [p for p in (candidate.person_a, candidate.person_b) if p is not None]
        form = DecisionForm(request.POST or None, people=people) if len(people) == 2 else None
        if request.method == "POST" and form is not None:
            if not may_merge(request.user) or not self.has_change_permission(request, candidate):
                raise PermissionDenied
            if form.is_valid():
                done = self._decide(request, candidate, people, form)
                if done is not None:
                    return done
        context = {
            **self.admin_site.each_context(request),
            "title": "Possible duplicate: " + " / ".join(p.name for p in people)
            if people
            else str(candidate),
            "opts": self.model._meta,
            "candidate": candidate,
            "sides": [person_evidence(p) for p in people],
            "form": form,
            "may_decide": may_merge(request.user),
            "evidence": candidate.evidence,
            "list_url": reverse("admin:people_personcandidate_changelist"),
        }
        return TemplateResponse(request, self.change_form_template, context)

    def _decide(
        self, request: HttpRequest, candidate: PersonCandidate, people: list[Person], form: DecisionForm
    ) -> HttpResponse | None:
        reason = form.cleaned_data["reason"]
        survivor = next(p for p in people if str(p.pk) == form.cleaned_data["survivor"])
        other = next(p for p in people if p.pk != survivor.pk)
        try:
            if "_distinct" in request.POST:
                person_mark_distinct(actor=request.user, reason=reason, a=survivor, b=other)
                messages.success(request, f"Recorded: {survivor.name} and {other.name} are two people.")
            else:
                name, slug = other.name, other.slug
                person_merge(
                    actor=request.user,
                    reason=reason,
                    survivor=survivor,
                    merged=other,
                    survivor_version=form.version_of(survivor),
                    merged_version=form.version_of(other),
                )
                messages.success(
                    request, f"Merged {name} ({slug}) into {survivor.name}; {slug} now names {survivor.slug}."
                )
                return HttpResponseRedirect(reverse("admin:people_person_change", args=[survivor.pk]))
        except ValidationError as error:
            _refused(form, error)
            return None
        return HttpResponseRedirect(reverse("admin:people_personcandidate_changelist"))


@admin.register(PersonMerge)
class PersonMergeAdmin(IdsChecked, admin.ModelAdmin):
    """Merges made, newest first; a merge's page undoes it."""

    list_display = ("merged_slug", "merged_name", "survivor_link", "reason", "decided_by", "decided_at")
    list_display_links = ("merged_slug",)
    search_fields = ("merged_slug", "merged_name", "survivor__name", "survivor__slug")
    list_select_related = ("survivor", "decided_by")
    change_form_template = "people/admin/split.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # merges are made on a pair's page or a person's page

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # undone by a split, which gives back what the merge took

    @admin.display(description="merged into")
    def survivor_link(self, merge: PersonMerge) -> str:
        url = reverse("admin:people_person_change", args=[merge.survivor_id])
        return format_html('<a href="{}">{}</a>', url, merge.survivor)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        id_or_404(PersonMerge, object_id)
        merge = get_object_or_404(PersonMerge.objects.select_related("survivor", "decided_by"), pk=object_id)
        if not self.has_view_permission(request, merge):
            raise PermissionDenied
        form = ReasonForm(request.POST or None)
        if request.method == "POST":
            if not may_merge(request.user):
                raise PermissionDenied
            if form.is_valid():
                try:
                    restored = person_split(
                        actor=request.user, reason=form.cleaned_data["reason"], merge_record=merge
                    )
                except ValidationError as error:
                    _refused(form, error)
                else:
                    messages.success(
                        request, f"Split: {restored.name} ({restored.slug}) is a record of its own again."
                    )
                    return HttpResponseRedirect(reverse("admin:people_person_change", args=[restored.pk]))
        moved = {key: len(value) for key, value in merge.moved.items() if isinstance(value, list) and value}
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge of {merge.merged_name or merge.merged_slug} into {merge.survivor.name}",
            "opts": self.model._meta,
            "merge": merge,
            "moved": moved,
            "form": form,
            "may_split": may_merge(request.user),
            "survivor_url": reverse("admin:people_person_change", args=[merge.survivor_id]),
        }
        return TemplateResponse(request, self.change_form_template, context)


def merge_into_view(model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> HttpResponse:
    """A person's "Merge another record into this one" page."""
    survivor = get_object_or_404(Person, pk=object_id)
    if not may_merge(request.user):
        raise PermissionDenied
    form = MergeIntoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        slug = form.cleaned_data["other"].strip()
        other = Person.objects.filter(slug=slug).first()
        if other is None:
            found = person_by_slug(slug=slug).first()
            form.add_error(
                "other",
                f"{slug!r} already names {found.name} ({found.slug}) by an earlier merge."
                if found
                else f"No person has the slug {slug!r}.",
            )
        else:
            try:
                person_merge(
                    actor=request.user, reason=form.cleaned_data["reason"], survivor=survivor, merged=other
                )
            except ValidationError as error:
                _refused(form, error)
            else:
                messages.success(request, f"Merged {other.name} ({slug}) into {survivor.name}.")
                return HttpResponseRedirect(reverse("admin:people_person_change", args=[survivor.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Merge another record into {survivor.name}",
        "opts": Person._meta,
        "original": survivor,
        "form": form,
        "survivor_url": reverse("admin:people_person_change", args=[survivor.pk]),
    }
    return TemplateResponse(request, "people/admin/merge_into.html", context)


def merges_of(person: Person) -> str:
    """The merges into ``person``, each linked to the page that undoes it (the person's page shows it)."""
    merges = list(person.merges.order_by("-decided_at"))
    if not merges:
        return "—"
    return format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        ((reverse("admin:people_personmerge_change", args=[m.pk]), m.merged_slug) for m in merges),
    )
