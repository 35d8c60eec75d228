// Twitchlog body figure (templates/diary/includes/body_figure.html).
//
// Tapping an area of the front or back figure ticks the matching body-site checkbox in the
// form. The checkboxes stay the single source of truth: they are what gets posted and they work
// without JavaScript. The figure only mirrors them through aria-pressed, so it stays right when a
// person ticks a chip in the list, and after htmx swaps in a fresh form.
"use strict";

(() => {
  const AREA = "[data-body-figure] .body-area";

  function siteInputs(form, code) {
    return [...form.querySelectorAll(`input[name="sites"][value="${CSS.escape(code)}"]`)];
  }

  function isChosen(form, code) {
    return siteInputs(form, code).some((input) => input.checked);
  }

  // Make every figure in `form` show what its checkboxes say.
  function refresh(form) {
    form.querySelectorAll("[data-body-figure]").forEach((figure) => {
      figure.querySelectorAll(".body-area[data-site]").forEach((area) => {
        area.setAttribute("aria-pressed", String(isChosen(form, area.dataset.site)));
      });
      figure.querySelectorAll(".body-area[data-head-sites]").forEach((head) => {
        const chosen = head.dataset.headSites.split(" ").filter((code) => isChosen(form, code));
        head.classList.toggle("is-chosen", chosen.length > 0);
        head.setAttribute(
          "aria-label",
          chosen.length
            ? `Head and face, ${chosen.length} chosen: show in the list`
            : "Head and face: show in the list",
        );
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
    // A real change event, so app.js describes the choice in words (and anything else listening
    // to the form hears about it the same way as a tap on a chip).
    inputs[0].dispatchEvent(new Event("change", { bubbles: true }));
    refresh(form);
  }

  // The head is too small for its parts: open the list at "Head & face" instead.
  function showHeadSites(head) {
    const form = head.closest("form");
    const first = siteInputs(form, head.dataset.headSites.split(" ")[0])
      .find((input) => input.closest("details.all-sites"));
    if (!first) return;
    first.closest("details").open = true;
    const group = first.closest("fieldset") || first;
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    first.focus({ preventScroll: true });
    group.scrollIntoView({ block: "start", behavior: smooth ? "smooth" : "auto" });
  }

  function activate(area) {
    if (area.dataset.site) toggle(area);
    else if (area.dataset.headSites) showHeadSites(area);
  }

  // With the figure on screen the long list of every site is a fallback: start it folded.
  function setUp(root) {
    const figures = root.matches?.("[data-body-figure]")
      ? [root]
      : [...root.querySelectorAll("[data-body-figure]")];
    figures.forEach((figure) => {
      const form = figure.closest("form");
      if (!form || figure.dataset.ready) return;
      figure.dataset.ready = "true";
      const list = form.querySelector("details.all-sites");
      if (list) list.open = false;
      refresh(form);
    });
  }

  document.addEventListener("click", (event) => {
    const area = event.target.closest?.(AREA);
    if (area) activate(area);
  });

  document.addEventListener("keydown", (event) => {
    const area = event.target.closest?.(AREA);
    if (!area || event.repeat || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault(); // Space would scroll the page.
      activate(area);
    }
  });

  // A chip ticked in the list (or a form reset) shows on the figure too.
  document.addEventListener("change", (event) => {
    if (event.target.name === "sites" && event.target.form) refresh(event.target.form);
  });
  document.addEventListener("sites-changed", (event) => {
    const form = event.target.closest?.("form") || event.target.querySelector?.("form");
    if (form) refresh(form);
  });
  document.addEventListener("reset", (event) => {
    setTimeout(() => refresh(event.target), 0);
  });

  document.addEventListener("DOMContentLoaded", () => setUp(document));
  document.addEventListener("htmx:load", (event) => setUp(event.target));
})();
