from core.widgets import EDTFInput


def test_the_input_carries_the_preview_url_and_the_current_reading():
    html = EDTFInput().render("date", "2022~", attrs={"id": "id_date"})
    assert 'data-edtf-preview-url="/admin/edtf-preview/"' in html
    assert 'class="edtf-input"' in html
    assert 'id="id_date_preview" aria-live="polite">c. 2022 (2022-01-01 to 2022-12-31)</span>' in html


def test_an_invalid_or_empty_value_has_no_reading():
    for value in ("", None, "not a date"):
        html = EDTFInput().render("date", value, attrs={"id": "id_date"})
        assert 'aria-live="polite"></span>' in html


def test_the_widget_brings_its_script():
    assert "core/admin/edtf-preview.js" in str(EDTFInput().media)
