// Register Twitchlog's service worker (static/js/sw.js, served at /sw.js): the app installs,
// opens offline, and keeps log entries that could not be sent. Every page works without it.
"use strict";

(function () {
  const script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script?.dataset.worker) return;
  window.addEventListener("load", () => {
    // Not offered (private windows in some browsers): the pages work as before.
    navigator.serviceWorker.register(script.dataset.worker, { scope: "/" }).catch(() => {});
  });
})();
