from core.forms import AliasesField


def test_aliases_are_edited_one_a_line():
    field = AliasesField(required=False)
    assert field.clean("DPRK\n  North Korea \n\n") == ["DPRK", "North Korea"]
    assert field.clean("") == []
    assert field.prepare_value(["DPRK", "North Korea"]) == "DPRK\nNorth Korea"
    assert field.prepare_value(None) == ""


def test_unchanged_aliases_are_not_a_change():
    field = AliasesField(required=False)
    assert not field.has_changed(["DPRK", "North Korea"], "DPRK\r\nNorth Korea")
    assert not field.has_changed([], "")
    assert field.has_changed(["DPRK"], "DPRK\nNorth Korea")


def test_the_help_says_one_a_line():
    assert AliasesField(help_text="Other names.").help_text == "Other names. One name a line."
