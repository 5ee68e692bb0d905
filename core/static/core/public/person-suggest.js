// The explorer's person field suggests people as one types (issue 20): an ARIA 1.2 combobox
// over /people/suggest. Debounced; ArrowDown/ArrowUp move through the list, Enter picks,
// Escape closes. Picking puts the person's slug in the field, which names them exactly.
(function () {
  "use strict";
  var DELAY_MS = 150;

  function setup(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var status = input.parentNode.querySelector("[data-suggest-status]");
    var url = input.getAttribute("data-suggest-url");
    var people = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      active = index;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function pick(index) {
      var person = people[index];
      if (!person) return;
      input.value = person.slug;
      close();
      if (status) status.textContent = person.name + " chosen.";
    }

    function render() {
      list.textContent = "";
      people.forEach(function (person, i) {
        var option = document.createElement("li");
        option.id = "person-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-slug", person.slug);
        var name = document.createElement("span");
        name.textContent = person.name;
        option.appendChild(name);
        if (person.years) {
          var years = document.createElement("span");
          years.className = "muted";
          years.textContent = " " + person.years;
          option.appendChild(years);
        }
        // mousedown, not click: a click would first blur the field and close the list.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(i);
        });
        list.appendChild(option);
      });
      var open = people.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
      if (status) {
        status.textContent = open ? people.length + " suggestions." : "No suggestions.";
      }
    }

    function ask() {
      var text = input.value.trim();
      var ticket = ++asked;
      if (text.length < 2) {
        people = [];
        close();
        return;
      }
      fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { people: [] }; })
        .then(function (body) {
          if (ticket !== asked) return; // a later keystroke has asked again
          people = body.people || [];
          render();
        })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && people.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { ask(); return; }
        highlight(active + 1 < people.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        if (!open) return;
        event.preventDefault();
        highlight(active > 0 ? active - 1 : people.length - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault(); // pick, do not submit yet
          pick(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      }
    });
    input.addEventListener("blur", close);
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(setup);
})();
