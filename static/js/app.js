// Twitchlog progressive enhancement. Every page works without this file.
"use strict";

// Parts that need this file are hidden without JavaScript by CSS (@media (scripting: none)):
// no class to remove here, so no restyle of the whole page after the first paint.

// Keep every checkbox for the same body site (recent chips, full list, body figure) in step,
// and say in words what is chosen.
function syncSites(root, code, checked) {
  root.querySelectorAll(`input[name="sites"][value="${CSS.escape(code)}"]`).forEach((input) => {
    input.checked = checked;
  });
  root.dispatchEvent(new CustomEvent("sites-changed", { bubbles: true }));
}

// The chosen sites, named on the Log button ("Log twitch — Left eyelid"): always in view, never
// under the sticky bar.
function describeSites(form) {
  const out = form.querySelector("[data-selected-sites]");
  if (!out) return;
  const names = new Map();
  form.querySelectorAll('input[name="sites"]:checked').forEach((input) => {
    names.set(input.value, input.closest("label").textContent.trim());
  });
  out.textContent = names.size ? `— ${[...names.values()].join(", ")}` : out.dataset.empty;
}

// After an htmx log the form stays and starts afresh: nothing ticked, the defaults back, the
// body map back to the whole body (body-figure.js listens to the reset).
function resetLogForm(form) {
  form.reset();
  form.querySelectorAll('input[type="checkbox"]').forEach((input) => {
    input.checked = false;
  });
  form.querySelectorAll("details.more-details").forEach((details) => {
    details.open = false;
  });
  form.querySelectorAll(".field-errors, .form-errors").forEach((error) => error.remove());
  form.querySelectorAll(".has-error").forEach((field) => field.classList.remove("has-error"));
  describeSites(form);
  form.dispatchEvent(new CustomEvent("sites-changed", { bubbles: true }));
}

// The confirmation of a log keeps its Undo on screen for at least UNDO_MS; after that it makes
// way for the next entry once the person starts one (the row keeps a Delete with its own Undo).
const UNDO_MS = 10_000;
function retireConfirmation() {
  const flash = document.querySelector("#log-status .flash[data-shown-at]:not([data-clip-busy])");
  if (flash && Date.now() - Number(flash.dataset.shownAt) >= UNDO_MS) flash.parentElement.replaceChildren();
}

document.addEventListener("episode-logged", (event) => {
  const form = event.target.closest?.("form#log-form") || document.getElementById("log-form");
  if (!form) return;
  resetLogForm(form);
  form.querySelectorAll("[data-repeat-last][hidden]").forEach((link) => {
    link.hidden = false;
  });
});

// The just-logged episode deleted from its row: the confirmation's Undo has nothing left to undo.
document.addEventListener("episode-deleted", (event) => {
  const row = event.target.closest?.("li.episode");
  const status = document.getElementById("log-status");
  if (row && status?.querySelector(`form[data-hx-target="#${CSS.escape(row.id)}"]`)) status.replaceChildren();
});

// The confirmation's Undo deleted the episode: its row now offers the Undo of that delete, and
// the confirmation has done its job.
let undoneFromConfirmation = false;
document.addEventListener("htmx:afterRequest", (event) => {
  const status = event.detail.elt.closest?.("#log-status");
  undoneFromConfirmation = Boolean(status && event.detail.successful && event.detail.target !== status);
  if (undoneFromConfirmation) status.replaceChildren();
});

// After a delete, focus stays where the person is, and the page does not move: deleted from its
// row, the row's Undo takes it; undone from the confirmation under the Log button (the row may
// be far down the list), the Log button does.
document.addEventListener("htmx:afterSettle", (event) => {
  const undo = event.target.matches?.("li.is-deleted") && event.target.querySelector("[data-undo]");
  if (!undo) return;
  const logButton = document.querySelector("#log-form .log-button");
  (undoneFromConfirmation && logButton ? logButton : undo).focus({ preventScroll: true });
  undoneFromConfirmation = false;
});

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
        retireConfirmation();
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
  // Only where a page asks for it: the time-zone lookup is slow on a phone, and every page
  // runs this.
  const selects = root.querySelectorAll("select[data-autodetect-timezone]");
  const buttons = root.querySelectorAll("[data-detect-timezone]");
  if (selects.length || buttons.length) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    selects.forEach((select) => {
      if (zone && !select.dataset.userChanged && select.querySelector(`option[value="${CSS.escape(zone)}"]`)) {
        select.value = zone;
      }
    });
    buttons.forEach((button) => {
      button.addEventListener("click", () => {
        const select = document.querySelector(button.dataset.detectTimezone);
        if (select && select.querySelector(`option[value="${CSS.escape(zone)}"]`)) select.value = zone;
      });
    });
  }

  const flash = root.matches?.("[data-autofocus]") ? root : root.querySelector("[data-autofocus]");
  if (flash) {
    flash.dataset.shownAt = String(Date.now());
    flash.focus({ preventScroll: true });
    // Logged from further down the form: bring the confirmation (and the fresh form) into view.
    if (flash.getBoundingClientRect().top < 0) flash.scrollIntoView({ block: "start" });
  } else {
    // After the other scripts' handlers for this content (body-figure.js folds the site list).
    requestAnimationFrame(() => revealFirstError(root));
  }
}

function onScreen(element) {
  const box = element.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}

// A form that comes back with errors (a full page load, or an htmx swap) opens at its top while
// the person's eyes are on the button they tapped, often far below the first error. Bring that
// error into view and put focus on it, so what went wrong is seen (and read out) at once.
function revealFirstError(root) {
  const error = [...root.querySelectorAll(".field-errors, .form-errors")].find(
    (element) => element.getClientRects().length > 0,
  );
  if (!error) return;
  const lost = !document.activeElement || document.activeElement === document.body;
  if (onScreen(error) && !lost) return; // in view, and the person is still where they were
  if (!error.hasAttribute("tabindex")) error.setAttribute("tabindex", "-1");
  error.focus({ preventScroll: true });
  if (!onScreen(error)) {
    // The field's label or legend sits above the message: show them together.
    const field = error.closest(".field, fieldset, .check-task") || error;
    const box = field.getBoundingClientRect();
    field.scrollIntoView({ block: box.height < window.innerHeight * 0.6 ? "center" : "start" });
  }
}

document.addEventListener("DOMContentLoaded", () => enhance(document));
document.addEventListener("htmx:load", (event) => {
  if (event.target !== document.body) enhance(event.target);
});

// History's "Load more" appends the next page to the list. A day split across two pages keeps
// one heading, and focus moves to the first new episode (the link that had it has gone).
let loadMoreFrom = null;
document.addEventListener("htmx:beforeRequest", (event) => {
  const link = event.detail.elt.closest?.(".load-more a");
  const list = link?.closest("ul");
  loadMoreFrom = list ? list.querySelectorAll("li.episode").length : null;
});
document.addEventListener("htmx:afterSettle", () => {
  const list = document.getElementById("history-list");
  if (!list) return;
  const days = new Set();
  list.querySelectorAll("li.day-heading[data-day]").forEach((heading) => {
    if (days.has(heading.dataset.day)) heading.remove();
    else days.add(heading.dataset.day);
  });
  if (loadMoreFrom === null) return;
  const first = list.querySelectorAll("li.episode")[loadMoreFrom];
  loadMoreFrom = null;
  first?.querySelector(".episode-main")?.focus({ preventScroll: true });
});

// The report's period: "Since a date" and "From … to …" need dates that a person has not had a
// chance to enter at the moment they tap the choice. Wait for them rather than answer with errors.
document.addEventListener("htmx:confirm", (event) => {
  const form = event.target.closest?.("form.report-range");
  if (!form || event.detail.triggeringEvent?.type !== "change") return;
  const choice = form.querySelector('input[name="range"]:checked')?.value;
  const needed = { since: ["from"], custom: ["from", "to"] }[choice] || [];
  if (needed.some((name) => !form.elements[name]?.value)) event.preventDefault();
});

// Saved appointment notes also show in the preview of page 1 above: refresh it.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.target.id !== "report-notes" || !event.target.querySelector("[data-autofocus]")) return;
  if (document.getElementById("report-preview") && window.htmx) {
    window.htmx.ajax("GET", window.location.href, { target: "#report-preview", swap: "outerHTML" });
  }
});

// A second tap while a form's request is on its way would send it twice. Disable the form's
// submit buttons until the answer arrives (htmx) or the next page replaces this one (plain
// forms); the server also saves a repeated form only once. aria-busy tells assistive tech.
const SUBMIT_BUTTONS = 'button:not([type]), button[type="submit"], input[type="submit"]';
const BUSY_FOR_AT_MOST_MS = 15000; // a request that never answers must not lock the form for good

function setBusy(form, busy) {
  if (!form) return;
  if (busy) form.setAttribute("aria-busy", "true");
  else form.removeAttribute("aria-busy");
  [...form.elements].filter((el) => el.matches(SUBMIT_BUTTONS)).forEach((button) => {
    button.disabled = busy;
  });
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.getAttribute("aria-busy") === "true") {
    event.preventDefault();
    return;
  }
  if (event.defaultPrevented || form.method.toLowerCase() !== "post") return; // htmx: below
  // After the browser has read the form: a disabled submit button would drop its name=value.
  setTimeout(() => setBusy(form, true), 0);
  setTimeout(() => setBusy(form, false), BUSY_FOR_AT_MOST_MS);
});

function htmxForm(event) {
  const { elt, requestConfig } = event.detail;
  if (!requestConfig || requestConfig.verb === "get") return null;
  return elt.tagName === "FORM" ? elt : elt.form;
}
document.addEventListener("htmx:beforeRequest", (event) => setBusy(htmxForm(event), true));
document.addEventListener("htmx:afterRequest", (event) => setBusy(htmxForm(event), false));

// Back to a page kept in the browser's memory: its forms were left busy when it was left.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) document.querySelectorAll('form[aria-busy="true"]').forEach((f) => setBusy(f, false));
});

// The CSRF cookie holds the current security token; a page open for long may carry an older
// one (a login in another tab replaces it, and the error page after a failed form sets a fresh
// cookie). Send the cookie's, so a form sent again after going Back goes through.
const CSRF_FIELD = "csrfmiddlewaretoken";
function currentCsrfToken() {
  const cookie = document.cookie.split("; ").find((item) => item.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
}

document.addEventListener("submit", (event) => {
  const token = currentCsrfToken();
  const input = event.target.querySelector?.(`input[name="${CSRF_FIELD}"]`);
  if (token && input) input.value = token;
});

document.addEventListener("htmx:configRequest", (event) => {
  const token = currentCsrfToken();
  if (!token) return;
  const { headers, formData } = event.detail;
  const name = Object.keys(headers).find((key) => key.toLowerCase() === "x-csrftoken") || "X-CSRFToken";
  headers[name] = token;
  if (formData?.has(CSRF_FIELD)) formData.set(CSRF_FIELD, token);
});

// htmx leaves the page as it is when the answer is an error: say so just under the form that
// was sent (by its button, where the eyes are), in the error page's own words, so nobody takes an entry for saved.
// The form keeps what was typed in it. (The Log form's entry is kept on the phone instead:
// offline-queue.js says so.)
const FALLBACK_ERROR = () => gettext("That did not go through, so nothing was saved.");
document.addEventListener("htmx:responseError", (event) => {
  const { elt, requestConfig, xhr } = event.detail;
  const form = (requestConfig?.elt || elt)?.closest?.("form");
  if (form?.id === "log-form") return;
  const page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
  const said = page.querySelector("[data-error-summary]")?.textContent.trim() || FALLBACK_ERROR();
  const sent = requestConfig?.verb && requestConfig.verb !== "get";
  const message = document.createElement("p");
  message.className = "message message-problem";
  message.setAttribute("role", "alert");
  message.textContent =
    sent && form
      ? interpolate(gettext("%(error)s What you entered is still here: send it again."), { error: said }, true)
      : said;
  const place = form || document.getElementById("messages");
  if (!place) return;
  place.parentElement.querySelectorAll(":scope > .message-problem").forEach((old) => old.remove());
  if (form) form.after(message);
  else place.replaceChildren(message);
  message.scrollIntoView({ block: "nearest" });
});
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt?.closest?.("form");
  const next = form?.nextElementSibling;
  if (event.detail.successful && next?.classList.contains("message-problem")) next.remove();
});
