"""Every query of the contract, against the seeded records."""

from __future__ import annotations

from strawberry.relay import to_base64

from tests.api.conftest import TREATY, GraphQL


def test_duda_visits_come_oldest_first_with_kyiv_among_destinations(gql: GraphQL) -> None:
    body = gql(
        """{ visits(filters: {visitor: "andrzej-duda"}) { totalCount edges { node {
             slug visitor { slug } hostCountry { code } destinations { slug }
             event { date { earliest } } } } } }"""
    )
    visits = [edge["node"] for edge in body["data"]["visits"]["edges"]]
    assert {v["visitor"]["slug"] for v in visits} == {"andrzej-duda"}
    dates = [v["event"]["date"]["earliest"] for v in visits]
    assert dates == sorted(dates)
    assert "kyiv" in {d["slug"] for v in visits for d in v["destinations"]}
    assert body["data"]["visits"]["totalCount"] == len(visits)


def test_person_visits_are_oldest_first(gql: GraphQL) -> None:
    body = gql('{ person(slug: "andrzej-duda") { name visits { slug event { date { earliest } } } } }')
    visits = body["data"]["person"]["visits"]
    assert "duda-first-visit-kyiv" in [v["slug"] for v in visits]
    dates = [v["event"]["date"]["earliest"] for v in visits]
    assert dates == sorted(dates)


def test_treaty_filter_by_parties_in_any_case_and_provision_finds_the_may_treaty(gql: GraphQL) -> None:
    body = gql(
        """{ treaties(filters: {parties: ["ru", "KP"], provision: MUTUAL_DEFENSE}) { totalCount edges { node {
             slug parties { country { code } } provisions { kind article }
             events { slug treaty { slug } } } } } }"""
    )
    treaties = {edge["node"]["slug"]: edge["node"] for edge in body["data"]["treaties"]["edges"]}
    treaty = treaties[TREATY]
    assert {"RU", "KP"} <= {p["country"]["code"] for p in treaty["parties"]}
    assert "MUTUAL_DEFENSE" in {p["kind"] for p in treaty["provisions"]}
    assert treaty["events"], "the treaty's signing event is listed"
    assert {e["treaty"]["slug"] for e in treaty["events"]} == {TREATY}


def test_treaty_filter_needs_every_listed_party(gql: GraphQL) -> None:
    body = gql('{ treaties(filters: {parties: ["RU", "PL"]}) { totalCount } }')
    assert body["data"]["treaties"]["totalCount"] == 0


def test_donetsk_oblast_timeline_holds_the_chervona_zirka_claim(gql: GraphQL) -> None:
    body = gql(
        """{ region(slug: "donetsk-oblast") { isoCode timeline(first: 100) { edges { node {
             slug status kind regions { slug } } } } } }"""
    )
    region = body["data"]["region"]
    assert region["isoCode"] == "UA-14"
    events = {edge["node"]["slug"]: edge["node"] for edge in region["timeline"]["edges"]}
    claim = events["chervona-zirka-capture-claim"]
    assert claim["status"] == "CLAIMED"
    assert claim["kind"] == "TERRITORIAL_CONTROL"
    assert "chervona-zirka" in {r["slug"] for r in claim["regions"]}


def test_event_by_slug_with_its_relations(gql: GraphQL) -> None:
    body = gql(
        """{ event(slug: "lyubimova-north-korea-visit") { slug kind title summary status
             date { edtf earliest latest precision uncertain approximate display }
             participants { role } countries { code } regions { slug } citations { quote }
             visit { slug delegationSize hostCountry { code } visitor { slug } kind purpose }
             treaty { slug } } }"""
    )
    event = body["data"]["event"]
    assert event["kind"] == "VISIT"
    assert event["visit"]["delegationSize"] == 125
    assert event["visit"]["hostCountry"]["code"] == "KP"
    assert event["visit"]["visitor"]["slug"] == "olga-lyubimova"
    assert event["date"]["edtf"] and event["date"]["display"]


def test_fuzzy_date_fields(gql: GraphQL) -> None:
    body = gql(
        """{ event(slug: "russia-north-korea-treaty-signing") {
             date { edtf earliest latest precision uncertain approximate display } } }"""
    )
    assert body["data"]["event"]["date"] == {
        "edtf": "2025-05?",
        "earliest": "2025-05-01",
        "latest": "2025-05-31",
        "precision": "MONTH",
        "uncertain": True,
        "approximate": False,
        "display": "May 2025?",
    }


def test_unknown_slugs_and_codes_give_null_for_single_lookups(gql: GraphQL) -> None:
    body = gql(
        """{ event(slug: "nothing") { slug } person(slug: "nobody") { slug } country(code: "zz") { code }
             region(slug: "nowhere") { slug } treaty(slug: "no-treaty") { slug } }"""
    )
    assert body == {"data": {"event": None, "person": None, "country": None, "region": None, "treaty": None}}


def test_country_code_is_case_insensitive(gql: GraphQL) -> None:
    body = gql('{ lower: country(code: "ua") { code name } upper: country(code: "UA") { code } }')
    assert body["data"]["lower"]["code"] == "UA"
    assert body["data"]["upper"]["code"] == "UA"


def test_country_regions_and_timeline(gql: GraphQL) -> None:
    body = gql(
        """{ country(code: "ua") { aliases regions(first: 100) { totalCount edges { node { slug } } }
             timeline(first: 100) { totalCount edges { node { slug } } } } }"""
    )
    country = body["data"]["country"]
    assert {"donetsk-oblast", "kyiv"} <= {e["node"]["slug"] for e in country["regions"]["edges"]}
    slugs = {e["node"]["slug"] for e in country["timeline"]["edges"]}
    # In a region of Ukraine, or with Ukraine as a participant, or hosted by it.
    assert {
        "chervona-zirka-capture-claim",
        "syrskyi-kostiantynivka-statement",
        "duda-first-visit-kyiv",
    } <= slugs


def test_countries_connection(gql: GraphQL) -> None:
    body = gql("{ countries(first: 100) { totalCount edges { cursor node { code name } } } }")
    codes = [e["node"]["code"] for e in body["data"]["countries"]["edges"]]
    assert len(codes) == 100
    assert codes == sorted(codes)
    assert body["data"]["countries"]["totalCount"] >= 249  # every ISO 3166-1 country


def test_region_tree_fields(gql: GraphQL) -> None:
    body = gql(
        """{ region(slug: "chervona-zirka") { name kind country { code } parent { slug }
             ancestors { slug } children { slug } latitude longitude } }"""
    )
    region = body["data"]["region"]
    assert region["country"]["code"] == "UA"
    assert region["ancestors"][-1]["slug"] == "donetsk-oblast"
    assert region["parent"]["slug"] == region["ancestors"][0]["slug"]
    body = gql('{ region(slug: "donetsk-oblast") { ancestors { slug } parent { slug } } }')
    assert body["data"]["region"] == {"ancestors": [], "parent": None}


def test_person_by_slug_with_roles_timeline_and_history(gql: GraphQL) -> None:
    body = gql(
        """{ person(slug: "oleksandr-syrskyi") { slug name aliases wikidataId
             roles { title country { code } start { edtf } end { edtf } }
             timeline(first: 10) { edges { node { slug } } }
             history { date kind user reason changes { field old new } } } }"""
    )
    person = body["data"]["person"]
    assert "syrskyi-kostiantynivka-statement" in {e["node"]["slug"] for e in person["timeline"]["edges"]}
    assert person["history"][0]["kind"] == "CREATED"


def test_people_search(gql: GraphQL) -> None:
    body = gql('{ people(search: "zelensk", first: 10) { totalCount edges { node { slug } } } }')
    assert "volodymyr-zelenskyy" in {e["node"]["slug"] for e in body["data"]["people"]["edges"]}
    assert "andrzej-duda" not in {e["node"]["slug"] for e in body["data"]["people"]["edges"]}
    everyone = gql("{ people(first: 100) { totalCount } }")["data"]["people"]["totalCount"]
    assert everyone >= 4


def test_treaty_by_slug(gql: GraphQL) -> None:
    body = gql(
        f"""{{ treaty(slug: "{TREATY}") {{ slug name shortName signed {{ edtf earliest }} inForce {{ edtf }}
              parties {{ country {{ code }} signatory {{ slug }} signed {{ edtf }} ratified {{ edtf }} }}
              provisions {{ kind article summary }} events {{ slug }} citations {{ quote }}
              history {{ kind changes {{ field new }} }} }} }}"""
    )
    treaty = body["data"]["treaty"]
    assert treaty["signed"]["edtf"] == "2025-05?"  # "in May", year inferred and marked uncertain
    assert treaty["shortName"] == "Russia–North Korea mutual-defence treaty"
    fields = {c["field"] for rev in treaty["history"] for c in rev["changes"]}
    assert {"parties", "provisions"} <= fields, "relation changes are part of the treaty's history"


def test_node_resolves_every_node_type_by_global_id(gql: GraphQL) -> None:
    ids = gql(
        f"""{{ event(slug: "duda-first-visit-kyiv") {{ id visit {{ id }} citations {{ source {{ id }} }} }}
              person(slug: "andrzej-duda") {{ id }} country(code: "PL") {{ id }}
              region(slug: "kyiv") {{ id }} treaty(slug: "{TREATY}") {{ id }}
              claim: event(slug: "chervona-zirka-capture-claim") {{ citations {{ source {{ id }} }} }} }}"""
    )["data"]
    wanted = {
        ids["event"]["id"]: "Event",
        ids["event"]["visit"]["id"]: "Visit",
        ids["person"]["id"]: "Person",
        ids["country"]["id"]: "Country",
        ids["region"]["id"]: "Region",
        ids["treaty"]["id"]: "Treaty",
        ids["claim"]["citations"][0]["source"]["id"]: "Source",
    }
    for global_id, typename in wanted.items():
        body = gql("query ($id: ID!) { node(id: $id) { __typename id } }", {"id": global_id})
        assert body["data"]["node"] == {"__typename": typename, "id": global_id}


def test_node_with_an_unknown_id_is_null(gql: GraphQL) -> None:
    body = gql("query ($id: ID!) { node(id: $id) { id } }", {"id": to_base64("Event", "999999")})
    assert body["data"]["node"] is None
