// The trends page's charts, drawn with Chart.js from the #trends-data JSON (json_script).
// Each chart is drawn only when its canvas comes near the viewport, and Chart.js itself is
// loaded (by chart-loader.js, inserted from here) only when the first one does: eight charts
// drawn up front kept a phone's main thread busy for seconds. Redrawn whenever the data is
// swapped in by htmx, restored from history, or the colour scheme changes. Without JavaScript
// the same numbers are in the tables under each chart.
"use strict";

(function () {
  const tag = document.currentScript;
  // How far outside the viewport a canvas starts drawing: far enough that a normal scroll
  // finds it drawn, near enough that charts nobody scrolls to cost nothing.
  const NEAR = "300px 0px";
  const drawn = new Map(); // name -> Chart
  const wanted = new Set(); // names whose canvas has come near
  let observer = null;
  let data = null;
  let loaderInserted = false;

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
    drawn.forEach((chart) => chart.destroy());
    drawn.clear();
  }

  function reset() {
    destroyCharts();
    wanted.clear();
    if (observer) observer.disconnect();
    observer = null;
  }

  // Canvases are found by data-chart, not id: htmx copies the attributes of an element with the
  // same id from the old content to the new during a swap, and Chart.js's inline canvas style
  // would then be applied as an attribute, which the strict CSP blocks.
  function canvasFor(name) {
    return document.querySelector(`#trends-results canvas[data-chart="${name}"]`);
  }

  function setDefaults(Chart) {
    Chart.defaults.animation = false;
    Chart.defaults.responsive = true;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.color = token("--muted");
    Chart.defaults.borderColor = token("--chart-grid");
    Chart.defaults.font.family = token("--font");
    Chart.defaults.plugins.legend.labels.color = token("--text");
    // Numbers on the axes and in tooltips as the page's language writes them.
    Chart.defaults.locale = document.documentElement.lang || undefined;
    Chart.defaults.plugins.legend.labels.boxWidth = 12;
    Chart.defaults.plugins.legend.position = "bottom";
  }

  // Weeks before the first entry (logging: false) have null values, so no bar or point is
  // drawn; this plugin lays a muted band with "not logging yet" over them, so an empty week
  // never reads as a week without twitching. The bands drawn are kept on the chart
  // ($notLogging) for the browser tests.
  const notLoggingBands = {
    id: "notLogging",
    beforeDatasetsDraw(chart) {
      const weeks = data.weeks;
      const x = chart.scales.x;
      const area = chart.chartArea;
      const centre = (i) => x.getPixelForValue(i);
      const left = (i) => (i === 0 ? area.left : (centre(i - 1) + centre(i)) / 2);
      const right = (i) => (i === weeks.length - 1 ? area.right : (centre(i) + centre(i + 1)) / 2);
      const bands = [];
      weeks.forEach((week, i) => {
        if (week.logging) return;
        const last = bands[bands.length - 1];
        if (last && last.to === i - 1) last.to = i;
        else bands.push({ from: i, to: i });
      });
      const { ctx } = chart;
      const muted = token("--muted");
      chart.$notLogging = bands.map((band) => {
        const box = { left: left(band.from), right: right(band.to), top: area.top, bottom: area.bottom };
        const width = box.right - box.left;
        ctx.save();
        ctx.fillStyle = withAlpha(token("--chart-6"), 0.14);
        ctx.fillRect(box.left, box.top, width, box.bottom - box.top);
        ctx.fillStyle = muted;
        ctx.font = `12px ${token("--font")}`;
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        const text = pgettext("a week before the first entry", "not logging yet");
        const textWidth = ctx.measureText(text).width;
        if (textWidth + 8 <= width) {
          ctx.fillText(text, box.left + width / 2, box.top + (box.bottom - box.top) / 2);
        } else if (width >= 16 && textWidth + 8 <= box.bottom - box.top) {
          // A narrow band: the words run upwards inside it.
          ctx.translate(box.left + width / 2, box.top + (box.bottom - box.top) / 2);
          ctx.rotate(-Math.PI / 2);
          ctx.fillText(text, 0, 0);
        }
        ctx.restore();
        return box;
      });
    },
  };

  // A week that is not over (this week "so far", or one the range cuts short) is drawn
  // outlined and hatched, never filled like a finished week, and its label says so on a
  // second line; on a line chart its point is hollow and the line to it dashed.
  function hatch(color) {
    const size = 8;
    const tile = document.createElement("canvas");
    tile.width = size;
    tile.height = size;
    const ctx = tile.getContext("2d");
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    [-size, 0, size].forEach((offset) => {
      ctx.moveTo(offset, size);
      ctx.lineTo(offset + size, 0);
    });
    ctx.stroke();
    return ctx.createPattern(tile, "repeat");
  }

  function bars(color) {
    const hatched = data.weeks.some((week) => week.mark) ? hatch(color) : color;
    return {
      backgroundColor: data.weeks.map((week) => (week.mark ? hatched : color)),
      borderColor: color,
      borderWidth: data.weeks.map((week) => (week.mark ? 2 : 0)),
    };
  }

  function line(color) {
    return {
      borderColor: color,
      backgroundColor: color,
      pointBackgroundColor: data.weeks.map((week) => (week.mark ? token("--surface") : color)),
      pointBorderColor: color,
      pointRadius: data.weeks.map((week) => (week.mark ? 4 : 3)),
      segment: { borderDash: (part) => (data.weeks[part.p1DataIndex].mark ? [4, 4] : undefined) },
    };
  }

  // The x axis may skip the unfinished week's label on a narrow chart: its mark ("so far") is
  // also written just above its bar or point, kept inside the chart. Kept on the chart
  // ($marks) for the browser tests.
  const unfinishedMarks = {
    id: "unfinishedMarks",
    afterDatasetsDraw(chart) {
      const { ctx, chartArea: area } = chart;
      ctx.save();
      ctx.fillStyle = token("--muted");
      ctx.font = `12px ${token("--font")}`;
      ctx.textBaseline = "bottom";
      ctx.textAlign = "left";
      chart.$marks = [];
      const elements = chart.data.datasets
        .map((_, d) => chart.getDatasetMeta(d))
        .filter((meta) => meta.visible)
        .flatMap((meta) => meta.data.filter((element) => !element.skip));
      data.weeks.forEach((week, i) => {
        if (!week.mark) return;
        const width = ctx.measureText(week.mark).width;
        const x = Math.min(Math.max(chart.scales.x.getPixelForValue(i) - width / 2, area.left), area.right - width);
        // Above every bar or point the words pass over (they may be wider than the last bar).
        const half = (element) => (element.width || 8) / 2;
        const tops = elements
          .filter((element) => element.x + half(element) >= x && element.x - half(element) <= x + width)
          .map((element) => element.y);
        const top = Math.min(area.bottom, ...tops);
        const y = Math.max(top - 4, 13); // in the top padding when a bar is full height
        ctx.fillText(week.mark, x, y);
        chart.$marks.push({ text: week.mark, x, y });
      });
      ctx.restore();
    },
  };

  const counts = { beginAtZero: true, ticks: { precision: 0 } };
  // "40%", "40 %" as the page's language writes a share.
  const percentFormat = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    style: "percent",
    maximumFractionDigits: 0,
  });
  const percent = (value) => percentFormat.format(value / 100);

  // One function per canvas: the Chart.js configuration for it, built from the page's data.
  function configs() {
    const colors = [1, 2, 3, 4, 5, 6].map((i) => token(`--chart-${i}`));
    const color = (i) => colors[i % colors.length];
    const weeks = data.weeks.map((week) => (week.mark ? [week.label, week.mark] : week.label));
    const marked = data.weeks.some((week) => week.mark);
    const weekly = (config) => ({
      ...config,
      options: { ...config.options, layout: { padding: { top: marked ? 16 : 0 } } },
      plugins: [notLoggingBands, unfinishedMarks],
    });
    const heat = data.heatmap;
    const share = data.trigger_share;

    return {
      regions: () =>
        weekly({
          type: "bar",
          data: {
            labels: weeks,
            datasets: data.regions.map((region, i) => ({
              label: region.label,
              data: region.data,
              ...bars(color(i)),
            })),
          },
          options: { scales: { x: { stacked: true }, y: { ...counts, stacked: true } } },
        }),

      // Days and minutes are two charts with one axis each: a bar and a line sharing a chart
      // on two different scales invite reading one against the other.
      days: () =>
        weekly({
          type: "bar",
          data: {
            labels: weeks,
            datasets: [{ label: gettext("Days with twitching"), data: data.days, ...bars(color(0)) }],
          },
          options: {
            plugins: { legend: { display: false } },
            scales: { y: { min: 0, max: 7, ticks: { stepSize: 1 } } },
          },
        }),

      minutes: () =>
        weekly({
          type: "bar",
          data: {
            labels: weeks,
            datasets: [{ label: gettext("Minutes of twitching"), data: data.minutes, ...bars(color(2)) }],
          },
          options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
        }),

      spread: () =>
        weekly({
          type: "bar",
          data: {
            labels: weeks,
            datasets: [
              { label: gettext("Body areas"), data: data.areas, ...bars(color(0)) },
              { label: gettext("Body regions"), data: data.region_counts, ...bars(color(3)) },
            ],
          },
          options: { scales: { y: counts } },
        }),

      // Heat map: one horizontal stacked bar per weekday, 24 equal segments (hours) shaded by count.
      heatmap: () => {
        const most = Math.max(1, ...heat.counts.flat());
        const shade = token("--chart-heat");
        return {
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
                    const count = heat.counts[item.dataIndex][item.datasetIndex];
                    return interpolate(
                      ngettext("%(day)s %(hour)s:00: %(count)s episode", "%(day)s %(hour)s:00: %(count)s episodes", count),
                      { day: heat.days[item.dataIndex], hour: item.datasetIndex, count },
                      true,
                    );
                  },
                },
              },
            },
            scales: {
              x: { stacked: true, min: 0, max: 24, ticks: { stepSize: 6, callback: (v) => `${v}:00` }, grid: { display: false } },
              y: { stacked: true, grid: { display: false } },
            },
          },
        };
      },

      "trigger-share": () => ({
        type: "bar",
        data: {
          labels: share.labels,
          datasets: [{ label: gettext("Share of episodes"), data: share.percent, backgroundColor: color(1) }],
        },
        options: {
          indexAxis: "y",
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: (item) => {
                  const count = share.counts[item.dataIndex];
                  const words = ngettext("%(share)s (%(count)s episode)", "%(share)s (%(count)s episodes)", count);
                  return interpolate(words, { share: percent(item.raw), count }, true);
                },
              },
            },
          },
          scales: { x: { min: 0, max: 100, ticks: { callback: (v) => percent(v) } } },
        },
      }),

      "trigger-weeks": () =>
        weekly({
          type: "line",
          data: {
            labels: weeks,
            datasets: data.trigger_weeks.map((trigger, i) => ({
              label: trigger.label,
              data: trigger.data,
              ...line(color(i + 1)),
            })),
          },
          options: { scales: { y: counts } },
        }),

      symptoms: () =>
        weekly({
          type: "bar",
          data: {
            labels: weeks,
            datasets: data.symptoms.map((symptom, i) => ({
              label: symptom.label,
              data: symptom.data,
              ...bars(color(i)),
            })),
          },
          options: { scales: { x: { stacked: true }, y: { ...counts, stacked: true } } },
        }),

      intensity: () =>
        weekly({
          type: "line",
          data: {
            labels: weeks,
            datasets: [
              { label: gettext("Median intensity"), data: data.intensity, ...line(color(3)), spanGaps: false },
            ],
          },
          options: {
            plugins: { legend: { display: false } },
            scales: { y: { min: 1, max: 5, ticks: { stepSize: 1 } } },
          },
        }),
    };
  }

  // Draw every chart whose canvas has come near, once Chart.js is there.
  function drawWanted() {
    if (!window.Chart || !data) return;
    setDefaults(window.Chart);
    const build = configs();
    wanted.forEach((name) => {
      const canvas = canvasFor(name);
      if (!canvas || !build[name] || drawn.has(name)) return;
      const previous = window.Chart.getChart(canvas);
      if (previous) previous.destroy();
      drawn.set(name, new window.Chart(canvas, build[name]()));
    });
  }

  // chart-loader.js reads its settings from its own tag's data attributes, so the tag it is
  // inserted with carries the ones this script's tag was given. Scripts inserted by a nonce'd
  // script are allowed by the CSP's 'strict-dynamic'.
  function loadChartjs() {
    if (window.Chart || loaderInserted) return;
    loaderInserted = true;
    const loader = document.createElement("script");
    loader.src = tag.dataset.loader;
    ["cdn", "integrity", "local"].forEach((key) => {
      loader.dataset[key] = tag.dataset[key] || "";
    });
    document.head.appendChild(loader);
  }

  function near(entries) {
    entries.forEach((entry) => {
      if (!entry.isIntersecting) return;
      observer.unobserve(entry.target);
      wanted.add(entry.target.dataset.chart);
    });
    if (window.Chart) drawWanted();
    else if (wanted.size) loadChartjs();
  }

  // htmx drops every <script> from swapped-in HTML (allowScriptTags: false, for the CSP), the
  // #trends-data JSON too: after a swap or a history restore it is read from the response text,
  // parsed as an inert document (nothing in it runs).
  function readData(event) {
    let source = document.getElementById("trends-data");
    const detail = event && event.detail;
    const response = detail && (detail.serverResponse || (detail.xhr && detail.xhr.responseText));
    if (!source && response) {
      source = new DOMParser().parseFromString(response, "text/html").getElementById("trends-data");
    }
    return source ? JSON.parse(source.textContent) : null;
  }

  function setUp(event) {
    reset();
    data = readData(event);
    if (!data) return;
    observer = new IntersectionObserver(near, { rootMargin: NEAR });
    document.querySelectorAll("#trends-results canvas[data-chart]").forEach((canvas) => observer.observe(canvas));
  }

  // New colours: redraw what is drawn, leave the rest to the observer.
  function redraw() {
    const names = [...drawn.keys()];
    destroyCharts();
    names.forEach((name) => wanted.add(name));
    drawWanted();
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
  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("chartjs:ready", drawWanted);
  document.addEventListener("htmx:afterSettle", setUp);
  document.addEventListener("htmx:historyRestore", setUp);
  // htmx snapshots the page for the back button: leave clean canvases in the snapshot.
  document.addEventListener("htmx:beforeHistorySave", reset);
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", redraw);
})();
