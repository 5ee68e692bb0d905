// Live readable preview of EDTF date inputs ("2024-05" -> "May 2024").
// The server parses (core.fuzzydates), so EDTF has one implementation; this
// only asks and shows. Delegated on the document so inline rows added later work.
"use strict";
(function () {
  const DELAY_MS = 250;
  const timers = new WeakMap();

  async function refresh(input) {
    const output = document.getElementById(input.id + "_preview");
    if (!output) {
      return;
    }
    const value = input.value.trim();
    if (!value) {
      output.textContent = "";
      output.classList.remove("edtf-error");
      return;
    }
    const url = new URL(input.dataset.edtfPreviewUrl, window.location.href);
    url.searchParams.set("value", value);
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      const data = await response.json();
      if (input.value.trim() !== value) {
        return; // the editor typed on; a newer request will answer
      }
      output.textContent = data.error || data.preview;
      output.classList.toggle("edtf-error", Boolean(data.error));
    } catch (error) {
      output.textContent = "";
    }
  }

  document.addEventListener("input", function (event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.edtfPreviewUrl) {
      return;
    }
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { refresh(input); }, DELAY_MS));
  });
})();
