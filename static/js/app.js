// Twitchlog progressive enhancement. Every page works without this file.
"use strict";

document.documentElement.classList.remove("no-js");

// Keep every checkbox for the same body site (recent chips, full list, body figure) in step,
// and say in words what is chosen.
function syncSites(root, code, checked) {
  root.querySelectorAll(`input[name="sites"][value="${CSS.escape(code)}"]`).forEach((input) => {
    input.checked = checked;
  });
  root.dispatchEvent(new CustomEvent("sites-changed", { bubbles: true }));
}

function describeSites(form) {
  const out = form.querySelector("[data-selected-sites]");
  if (!out) return;
  const names = new Map();
  form.querySelectorAll('input[name="sites"]:checked').forEach((input) => {
    names.set(input.value, input.closest("label").textContent.trim());
  });
  out.textContent = names.size ? `Chosen: ${[...names.values()].join(", ")}` : out.dataset.empty;
}

function localNow() {
  const now = new Date();
  now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
  return now.toISOString().slice(0, 16);
}

function enhance(root) {
  root.querySelectorAll("form.episode-form").forEach((form) => {
    describeSites(form);
    form.addEventListener("change", (event) => {
      const input = event.target;
      if (input.name === "sites") {
        syncSites(form, input.value, input.checked);
        describeSites(form);
      }
      // "Pick a time" starts from now, so a person only adjusts what differs.
      if (input.name === "when" && input.value === "custom") {
        const field = form.querySelector('input[name="started_at_local"]');
        if (field && !field.value) field.value = localNow();
      }
    });
    form.addEventListener("sites-changed", () => describeSites(form));
  });

  // Preset the time-zone select from the browser (sign-up), or on request (settings).
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  root.querySelectorAll("select[data-autodetect-timezone]").forEach((select) => {
    if (zone && !select.dataset.userChanged && select.querySelector(`option[value="${CSS.escape(zone)}"]`)) {
      select.value = zone;
    }
  });
  root.querySelectorAll("[data-detect-timezone]").forEach((button) => {
    button.addEventListener("click", () => {
      const select = document.querySelector(button.dataset.detectTimezone);
      if (select && select.querySelector(`option[value="${CSS.escape(zone)}"]`)) select.value = zone;
    });
  });

  const flash = root.querySelector("[data-autofocus]");
  if (flash) {
    flash.focus({ preventScroll: true });
    // Logged from further down the form: bring the confirmation (and the fresh form) into view.
    if (flash.getBoundingClientRect().top < 0) flash.scrollIntoView({ block: "start" });
  }
}

document.addEventListener("DOMContentLoaded", () => enhance(document));
document.addEventListener("htmx:load", (event) => {
  if (event.target !== document.body) enhance(event.target);
});
