// Twitchlog body map (diary/episodes/bodymap.py renders it; templates/diary/includes/body_figure.html).
//
// Tapping an area ticks the matching body-site checkbox in the form. The checkboxes stay the
// single source of truth: they are what gets posted and they work without JavaScript. The map
// only mirrors them through aria-pressed, so it stays right when a person ticks a chip in the
// list, after a reset, and after htmx swaps in a fresh form.
//
// The head, hands and feet open a closer view in place of the two figures. Each group of areas
// (the figures, each closer view) is one stop for Tab; the arrow keys move within it.
"use strict";

(() => {
  const AREA = "[data-body-figure] .bm-area";

  function siteInputs(form, code) {
    return [...form.querySelectorAll(`input[name="sites"][value="${CSS.escape(code)}"]`)];
  }

  // Make every map in `form` show what its checkboxes say. Runs on every change: the chosen
  // codes are read once, and attributes are written only when they differ (no needless style
  // work on a slow phone).
  function refresh(form) {
    const chosen = new Set(
      [...form.querySelectorAll('input[name="sites"]:checked')].map((input) => input.value),
    );
    form.querySelectorAll("[data-body-figure]").forEach((map) => {
      map.querySelectorAll(".bm-area[data-site]").forEach((area) => {
        const pressed = String(chosen.has(area.dataset.site));
        if (area.getAttribute("aria-pressed") !== pressed) area.setAttribute("aria-pressed", pressed);
      });
      map.querySelectorAll("[data-detail-panel]").forEach((panel) => {
        const count = [...panel.querySelectorAll(".bm-area[data-site]")]
          .filter((area) => chosen.has(area.dataset.site)).length;
        const openers = map.querySelectorAll(`.bm-area[data-detail="${CSS.escape(panel.dataset.detailPanel)}"]`);
        openers.forEach((opener) => {
          // The same words as diary/episodes/bodymap.py opener_label.
          const label = count
            ? interpolate(
                ngettext("%(name)s, %(count)s chosen: show closer", "%(name)s, %(count)s chosen: show closer", count),
                { name: opener.dataset.name, count },
                true,
              )
            : interpolate(gettext("%(name)s: show closer"), { name: opener.dataset.name }, true);
          if (opener.getAttribute("aria-label") === label) return;
          opener.classList.toggle("is-chosen", count > 0);
          opener.setAttribute("aria-label", label);
        });
      });
    });
  }

  function toggle(area) {
    const form = area.closest("form");
    const inputs = siteInputs(form, area.dataset.site);
    if (!inputs.length) return;
    const checked = !inputs.some((input) => input.checked);
    inputs.forEach((input) => {
      input.checked = checked;
    });
    // A real change event, so app.js names the choice on the Log button (and anything else
    // listening to the form hears about it the same way as a tap on a chip).
    inputs[0].dispatchEvent(new Event("change", { bubbles: true }));
    refresh(form);
  }

  function openDetail(opener) {
    const map = opener.closest("[data-body-figure]");
    const panel = map.querySelector(`[data-detail-panel="${CSS.escape(opener.dataset.detail)}"]`);
    if (!panel) return;
    closeDetails(map, false);
    map.querySelector(".bm-views").hidden = true;
    panel.hidden = false;
    map.dataset.openedBy = opener.dataset.detail;
    map.querySelectorAll(`.bm-area[data-detail="${CSS.escape(opener.dataset.detail)}"]`)
      .forEach((o) => o.setAttribute("aria-expanded", "true"));
    const first = panel.querySelector('.bm-area[tabindex="0"]') || panel.querySelector(".bm-area");
    first?.focus({ preventScroll: true });
  }

  // Back to the two figures; focus returns to the opener when `refocus`.
  function closeDetails(map, refocus) {
    const views = map.querySelector(".bm-views");
    map.querySelectorAll("[data-detail-panel]").forEach((panel) => {
      panel.hidden = true;
    });
    views.hidden = false;
    map.querySelectorAll(".bm-area[data-detail]").forEach((o) => o.setAttribute("aria-expanded", "false"));
    const from = map.dataset.openedBy;
    delete map.dataset.openedBy;
    if (refocus && from) {
      const opener = views.querySelector(`.bm-area[data-detail="${CSS.escape(from)}"][tabindex="0"]`)
        || views.querySelector(`.bm-area[data-detail="${CSS.escape(from)}"]`);
      setCurrent(opener);
      opener?.focus({ preventScroll: true });
    }
  }

  // Roving tabindex: one area of a group is in the tab order, the one last used.
  function setCurrent(area) {
    const group = area?.closest("[data-roving]");
    if (!group) return;
    group.querySelectorAll(".bm-area").forEach((a) => a.setAttribute("tabindex", a === area ? "0" : "-1"));
  }

  function move(area, step) {
    const group = area.closest("[data-roving]");
    const areas = [...group.querySelectorAll(".bm-area")];
    let index = areas.indexOf(area);
    if (step === "first") index = 0;
    else if (step === "last") index = areas.length - 1;
    else index = (index + step + areas.length) % areas.length;
    setCurrent(areas[index]);
    areas[index].focus();
  }

  function activate(area) {
    setCurrent(area);
    if (area.dataset.site) toggle(area);
    else if (area.dataset.detail) openDetail(area);
  }

  // With the map on screen the long list of every site is a fallback: start it folded.
  function setUp(root) {
    const maps = root.matches?.("[data-body-figure]")
      ? [root]
      : [...root.querySelectorAll("[data-body-figure]")];
    maps.forEach((map) => {
      const form = map.closest("form");
      if (!form || map.dataset.ready) return;
      map.dataset.ready = "true";
      const list = form.querySelector("details.all-sites");
      if (list?.open) list.open = false;
      // The map is drawn with nothing chosen: only a form with ticks (repeat, errors) needs it.
      if (form.querySelector('input[name="sites"]:checked')) refresh(form);
    });
  }

  document.addEventListener("click", (event) => {
    const area = event.target.closest?.(AREA);
    if (area) {
      activate(area);
      return;
    }
    const close = event.target.closest?.("[data-body-figure] [data-detail-close]");
    if (close) closeDetails(close.closest("[data-body-figure]"), true);
  });

  const STEPS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: "first", End: "last" };
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const map = event.target.closest?.("[data-body-figure]");
    if (!map) return;
    if (event.key === "Escape" && map.dataset.openedBy) {
      event.preventDefault();
      closeDetails(map, true);
      return;
    }
    const area = event.target.closest(".bm-area");
    if (!area) return;
    if ((event.key === "Enter" || event.key === " ") && !event.repeat) {
      event.preventDefault(); // Space would scroll the page.
      activate(area);
    } else if (event.key in STEPS) {
      event.preventDefault();
      move(area, STEPS[event.key]);
    }
  });

  // A chip ticked in the list (or a form reset) shows on the map too.
  document.addEventListener("change", (event) => {
    if (event.target.name === "sites" && event.target.form) refresh(event.target.form);
  });
  document.addEventListener("sites-changed", (event) => {
    const form = event.target.closest?.("form") || event.target.querySelector?.("form");
    if (form) refresh(form);
  });
  document.addEventListener("reset", (event) => {
    event.target.querySelectorAll?.("[data-body-figure]").forEach((map) => closeDetails(map, false));
    setTimeout(() => refresh(event.target), 0);
  });

  document.addEventListener("DOMContentLoaded", () => setUp(document));
  document.addEventListener("htmx:load", (event) => setUp(event.target));
})();
