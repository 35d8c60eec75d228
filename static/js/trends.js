// The trends page's charts, drawn with Chart.js from the #trends-data JSON (json_script).
// Redrawn whenever that data is swapped in by htmx, restored from history, or the colour
// scheme changes. Without JavaScript the same numbers are in the tables under each chart.
"use strict";

(function () {
  let charts = [];

  function token(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function withAlpha(hex, alpha) {
    const value = hex.replace("#", "");
    const full = value.length === 3 ? [...value].map((c) => c + c).join("") : value;
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }

  function destroyCharts() {
    charts.forEach((chart) => chart.destroy());
    charts = [];
  }

  // Canvases are found by data-chart, not id: htmx copies the attributes of an element with the
  // same id from the old content to the new during a swap, and Chart.js's inline canvas style
  // would then be applied as an attribute, which the strict CSP blocks.
  function draw(name, config) {
    const canvas = document.querySelector(`#trends-results canvas[data-chart="${name}"]`);
    if (!canvas) return;
    const previous = window.Chart.getChart(canvas);
    if (previous) previous.destroy();
    charts.push(new window.Chart(canvas, config));
  }

  function setDefaults(Chart) {
    Chart.defaults.animation = false;
    Chart.defaults.responsive = true;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.color = token("--muted");
    Chart.defaults.borderColor = token("--chart-grid");
    Chart.defaults.font.family = token("--font");
    Chart.defaults.plugins.legend.labels.color = token("--text");
    Chart.defaults.plugins.legend.labels.boxWidth = 12;
    Chart.defaults.plugins.legend.position = "bottom";
  }

  const counts = { beginAtZero: true, ticks: { precision: 0 } };

  function render() {
    destroyCharts();
    const source = document.getElementById("trends-data");
    if (!source || !window.Chart) return;
    const data = JSON.parse(source.textContent);
    const Chart = window.Chart;
    setDefaults(Chart);
    const colors = [1, 2, 3, 4, 5, 6].map((i) => token(`--chart-${i}`));
    const color = (i) => colors[i % colors.length];
    // Weeks before the first entry come with logging: false and null values: no bar is drawn.
    const weeks = data.weeks.map((week) => (week.logging ? week.label : `${week.label} (not logging yet)`));

    draw("regions", {
      type: "bar",
      data: {
        labels: weeks,
        datasets: data.regions.map((region, i) => ({
          label: region.label,
          data: region.data,
          backgroundColor: color(i),
        })),
      },
      options: { scales: { x: { stacked: true }, y: { ...counts, stacked: true } } },
    });

    draw("days", {
      type: "bar",
      data: {
        labels: weeks,
        datasets: [
          { label: "Days with twitching", data: data.days, backgroundColor: color(0), yAxisID: "days", order: 2 },
          {
            type: "line",
            label: "Minutes",
            data: data.minutes,
            borderColor: color(2),
            backgroundColor: color(2),
            yAxisID: "minutes",
            order: 1,
          },
        ],
      },
      options: {
        scales: {
          days: { position: "left", min: 0, max: 7, ticks: { stepSize: 1 }, title: { display: true, text: "Days" } },
          minutes: {
            position: "right",
            beginAtZero: true,
            grid: { drawOnChartArea: false },
            title: { display: true, text: "Minutes" },
          },
        },
      },
    });

    draw("spread", {
      type: "bar",
      data: {
        labels: weeks,
        datasets: [
          { label: "Body areas", data: data.areas, backgroundColor: color(0) },
          { label: "Body regions", data: data.region_counts, backgroundColor: color(3) },
        ],
      },
      options: { scales: { y: counts } },
    });

    // Heat map: one horizontal stacked bar per weekday, 24 equal segments (hours) shaded by count.
    const heat = data.heatmap;
    const most = Math.max(1, ...heat.counts.flat());
    const shade = token("--chart-heat");
    draw("heatmap", {
      type: "bar",
      data: {
        labels: heat.days,
        datasets: Array.from({ length: 24 }, (_, hour) => ({
          label: `${hour}:00`,
          data: heat.days.map(() => 1),
          backgroundColor: heat.counts.map((row) =>
            withAlpha(shade, row[hour] ? 0.18 + (0.82 * row[hour]) / most : 0.05),
          ),
          borderColor: token("--surface"),
          borderWidth: 1,
          barPercentage: 1,
          categoryPercentage: 1,
        })),
      },
      options: {
        indexAxis: "y",
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: () => "",
              label: (item) => {
                const n = heat.counts[item.dataIndex][item.datasetIndex];
                return `${heat.days[item.dataIndex]} ${item.datasetIndex}:00: ${n} episode${n === 1 ? "" : "s"}`;
              },
            },
          },
        },
        scales: {
          x: { stacked: true, min: 0, max: 24, ticks: { stepSize: 6, callback: (v) => `${v}:00` }, grid: { display: false } },
          y: { stacked: true, grid: { display: false } },
        },
      },
    });

    const share = data.trigger_share;
    draw("trigger-share", {
      type: "bar",
      data: {
        labels: share.labels,
        datasets: [{ label: "Share of episodes", data: share.percent, backgroundColor: color(1) }],
      },
      options: {
        indexAxis: "y",
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item) => `${item.raw}% (${share.counts[item.dataIndex]} episodes)` } },
        },
        scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } },
      },
    });

    draw("trigger-weeks", {
      type: "line",
      data: {
        labels: weeks,
        datasets: data.trigger_weeks.map((trigger, i) => ({
          label: trigger.label,
          data: trigger.data,
          borderColor: color(i + 1),
          backgroundColor: color(i + 1),
        })),
      },
      options: { scales: { y: counts } },
    });

    draw("symptoms", {
      type: "bar",
      data: {
        labels: weeks,
        datasets: data.symptoms.map((symptom, i) => ({
          label: symptom.label,
          data: symptom.data,
          backgroundColor: color(i),
        })),
      },
      options: { scales: { x: { stacked: true }, y: { ...counts, stacked: true } } },
    });

    draw("intensity", {
      type: "line",
      data: {
        labels: weeks,
        datasets: [
          { label: "Median intensity", data: data.intensity, borderColor: color(3), backgroundColor: color(3), spanGaps: false },
        ],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: { y: { min: 1, max: 5, ticks: { stepSize: 1 } } },
      },
    });
  }

  function sayChartsFailed() {
    document.querySelectorAll("[data-charts-failed]").forEach((note) => {
      note.hidden = false;
    });
  }

  document.addEventListener("chartjs:failed", sayChartsFailed);
  document.addEventListener("htmx:afterSettle", () => {
    if (document.documentElement.dataset.chartjs === "failed") sayChartsFailed();
  });
  document.addEventListener("DOMContentLoaded", render);
  document.addEventListener("chartjs:ready", render);
  document.addEventListener("htmx:afterSettle", render);
  document.addEventListener("htmx:historyRestore", render);
  // htmx snapshots the page for the back button: leave clean canvases in the snapshot.
  document.addEventListener("htmx:beforeHistorySave", destroyCharts);
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", render);
})();
