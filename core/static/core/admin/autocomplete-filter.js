'use strict';
// A changelist filter picked by search (core.admin_filters.AutocompleteFilter) or typed
// (ValueFilter): choosing a
// record reloads the list filtered by it, clearing the box removes the filter. The search
// box itself is Django's autocomplete.js (select2), bound to the admin's autocomplete view.
window.addEventListener('load', function() {
    django.jQuery('[data-filter-parameter]').on('change', function() {
        const url = new URL(window.location.href);
        const name = this.dataset.filterParameter;
        if (this.value) {
            url.searchParams.set(name, this.value);
        } else {
            url.searchParams.delete(name);
        }
        url.searchParams.delete('p');  // the page number of another list
        window.location.href = url.toString();
    });
});
