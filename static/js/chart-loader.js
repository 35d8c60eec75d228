// Load Chart.js: the pinned CDN copy (checked against its SRI hash) first; the vendored copy
// when the CDN fails (offline, blocked, wrong hash) or has not answered within a few seconds.
// Settings come from this script tag's data attributes: data-cdn (empty: local copy only),
// data-integrity, data-local. Listeners get "chartjs:ready" on document once window.Chart exists.
"use strict";

(function () {
  const tag = document.currentScript;
  const { cdn, integrity, local } = tag.dataset;
  const CDN_PATIENCE_MS = 4000;
  let announced = false;
  let fellBack = false;

  function announce(event) {
    if (announced || !window.Chart) return;
    announced = true;
    // Which copy answered, for the browser tests and anyone debugging a slow page.
    document.documentElement.dataset.chartjs = event ? event.target.src : "preloaded";
    document.dispatchEvent(new CustomEvent("chartjs:ready"));
  }

  function insert(src, onError, sri) {
    const script = document.createElement("script");
    script.src = src;
    if (sri) {
      script.integrity = sri;
      script.crossOrigin = "anonymous";
    }
    script.addEventListener("load", announce);
    script.addEventListener("error", onError);
    document.head.appendChild(script);
  }

  function fallBack() {
    if (fellBack || window.Chart) return;
    fellBack = true;
    insert(local, () => {
      document.documentElement.dataset.chartjs = "failed";
      document.dispatchEvent(new CustomEvent("chartjs:failed"));
    });
  }

  if (window.Chart) {
    announce();
  } else if (cdn) {
    insert(cdn, fallBack, integrity);
    window.setTimeout(fallBack, CDN_PATIENCE_MS);
  } else {
    fallBack();
  }
})();
