// The tables under "Show the numbers" on the trends page, written from the #trends-data JSON
// (the charts' data: diary/insights/charts.py chart_data) when a table is first opened.
// Rendering a year of weekly tables into every page cost more than the year's numbers; the
// numbers are already on the page for the charts. Each cell reads as the server writes it
// (diary/templatetags/trends_tags.py): whole numbers without a decimal point, others to one
// place, nothing as a dash, and a week before the first entry says so. Without JavaScript,
// a link at the top of the charts asks for the page with every table rendered (?numbers=1).
"use strict";

(function () {
  const DASH = "–";

  function cellText(value) {
    if (value === null || value === undefined) return DASH;
    if (typeof value === "number" && !Number.isInteger(value)) return value.toFixed(1);
    return String(value);
  }

  // One row per week: its heading and a value from each column (a list with one per week).
  function weekly(data, columns) {
    return data.weeks.map((week, i) => [
      week.row,
      week.logging
        ? columns.map((column) => column[i])
        : [data.absent, ...columns.slice(1).map(() => null)],
    ]);
  }

  const TABLES = {
    regions: (d) => weekly(d, [...d.regions.map((region) => region.data), d.episodes]),
    days: (d) => weekly(d, [d.days, d.minutes]),
    spread: (d) => weekly(d, [d.areas, d.region_counts]),
    heatmap: (d) =>
      d.heatmap.hours.map((label, hour) => [label, d.heatmap.counts.map((day) => day[hour])]),
    trigger_share: (d) =>
      d.trigger_share.labels.map((label, i) => [
        label,
        [d.trigger_share.counts[i], d.trigger_share.percent_text[i]],
      ]),
    trigger_weeks: (d) =>
      d.trigger_weeks.length ? weekly(d, d.trigger_weeks.map((trigger) => trigger.data)) : [],
    symptoms: (d) => weekly(d, d.symptoms.map((symptom) => symptom.data)),
    intensity: (d) => weekly(d, [d.intensity]),
  };

  function fill(body) {
    const source = document.getElementById("trends-data");
    const rows = source && TABLES[body.dataset.numbers];
    if (!rows) return;
    for (const [heading, cells] of rows(JSON.parse(source.textContent))) {
      const row = body.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = heading;
      row.append(th);
      for (const value of cells) row.insertCell().textContent = cellText(value);
    }
    body.removeAttribute("data-numbers");
  }

  // "toggle" does not bubble: listened for on the way down, for tables swapped in by htmx too.
  document.addEventListener(
    "toggle",
    (event) => {
      if (event.target.open) event.target.querySelectorAll("tbody[data-numbers]").forEach(fill);
    },
    true,
  );
})();
