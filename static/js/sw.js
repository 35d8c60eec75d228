// Twitchlog's service worker, served at /sw.js by diary/views/offline.py, which puts
// `self.TWITCHLOG` (the version and the URLs below) in front of this file.
//
// - Keeps the app shell: CSS, scripts, icons, the "You are offline" page and the Log form
//   without entries (/offline/log/). Never a page with health data: every other page comes
//   from the network, and without one the offline page stands in for it.
// - A log entry posted while the server cannot be reached (no network, no answer in time, a
//   server error, an expired session) is kept in IndexedDB (offline-store.js) and the page is
//   told so; the entry is sent later by the page or by Background Sync.
// - Shows the reminders that come by Web Push (diary/reminders/), and opens the page a tapped
//   one is about, starting the app if it was closed.
"use strict";

const CONFIG = self.TWITCHLOG;
importScripts(CONFIG.store);

const PREFIX = "twitchlog-";
const CACHE = `${PREFIX}${CONFIG.version}`;
const SYNC_TAG = "twitchlog-send";
const POST_TIMEOUT_MS = 15000;
// The stored Log form is refreshed at most this often (it lists the person's own triggers).
const SHELL_MAX_AGE_MS = 60 * 60 * 1000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll([...CONFIG.static, CONFIG.offlinePage]);
      await refreshShell(cache);
      // A new version takes over at once: its files are all stored, and pages loaded with the
      // old one keep working (their hashed file names are still on the network).
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// The Log form without entries, stored only from a real answer for a logged-in person (an
// expired session answers with the login page, which is not stored in its place).
async function refreshShell(cache) {
  try {
    const response = await fetch(CONFIG.logShell, { credentials: "same-origin", cache: "no-store" });
    if (response.ok && !response.redirected) await cache.put(CONFIG.logShell, response);
  } catch {
    // Offline while installing: the next visit to the Log page stores it.
  }
}

async function refreshShellIfOld() {
  const cache = await caches.open(CACHE);
  const stored = await cache.match(CONFIG.logShell);
  const date = Date.parse(stored?.headers.get("Date") || "");
  if (!stored || !(Date.now() - date < SHELL_MAX_AGE_MS)) await refreshShell(cache);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === CONFIG.logPage) {
    if (request.headers.get(TwitchlogQueue.SENDER_HEADER)) event.respondWith(passSender(request));
    else if (request.headers.get("HX-Request")) event.respondWith(postOrKeep(request));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") event.respondWith(navigate(event, url));
  else if (CONFIG.static.includes(url.pathname)) event.respondWith(stored(request));
});

async function navigate(event, url) {
  try {
    const response = await fetch(event.request);
    if (url.pathname === CONFIG.logPage && response.ok && !response.redirected) {
      event.waitUntil(refreshShellIfOld());
    }
    return response;
  } catch {
    const cache = await caches.open(CACHE);
    const shell = url.pathname === CONFIG.logPage && (await cache.match(CONFIG.logShell));
    return shell || (await cache.match(CONFIG.offlinePage)) || Response.error();
  }
}

async function stored(request) {
  const cache = await caches.open(CACHE);
  // The scripts' messages come from a view, whose answer varies by Accept-Language and Cookie;
  // its URL already names its language and version, so the page's request headers do not matter.
  return (await cache.match(request, { ignoreVary: true })) || fetch(request);
}

function timeLimited(request) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), POST_TIMEOUT_MS);
  return fetch(request, { signal: controller.signal }).finally(() => clearTimeout(timer));
}

function isLogin(location) {
  return Boolean(location) && new URL(location, self.location.href).pathname === CONFIG.loginPage;
}

// The Log form's own post (htmx): pass the answer on, or keep the entry when there is none.
async function postOrKeep(request) {
  // Read the entry first: once an upload has failed half-way, its body cannot be read again.
  const fields = [...(await request.clone().formData()).entries()].filter(
    ([, value]) => typeof value === "string",
  );
  let response;
  try {
    response = await timeLimited(request);
  } catch {
    return keep(fields, null);
  }
  const redirect = response.headers.get("HX-Redirect");
  if (isLogin(redirect)) return keep(fields, redirect);
  // 403: the page's CSRF token went stale (a new login since the page was stored).
  if (response.status >= 500 || response.status === 403) return keep(fields, null);
  return response;
}

async function keep(fields, login) {
  const account = (await TwitchlogQueue.getMeta("account")) || "";
  const entry = TwitchlogQueue.entryFromFields(fields, account);
  await TwitchlogQueue.put(entry);
  await self.registration.sync?.register(SYNC_TAG).catch(() => {});
  const headers = { "Content-Type": "application/json", "X-Twitchlog-Kept": entry.uuid };
  if (login) headers["X-Twitchlog-Login"] = login;
  return new Response(JSON.stringify({ status: "kept", uuid: entry.uuid }), { status: 202, headers });
}

// The queue sender's post: its answer, or a JSON "try later" the page understands.
async function passSender(request) {
  const later = (status) =>
    new Response(JSON.stringify({ status }), {
      status: 202,
      headers: { "Content-Type": "application/json" },
    });
  try {
    const response = await timeLimited(request);
    if (response.redirected && isLogin(response.url)) return later("login");
    return response.status >= 500 ? later("unreachable") : response;
  } catch {
    return later("unreachable");
  }
}

self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(sendFromWorker());
});

async function sendFromWorker() {
  const account = await TwitchlogQueue.getMeta("account");
  if (!account) return;
  const result = await TwitchlogQueue.sendAll(account, {
    logUrl: CONFIG.logPage,
    loginPath: CONFIG.loginPage,
    csrfToken: await TwitchlogQueue.getMeta("csrf"),
  });
  for (const client of await self.clients.matchAll({ type: "window" })) {
    client.postMessage({ type: "twitchlog-queue", result });
  }
  // Failing the sync event makes the browser try again later, with back-off.
  if (result.stopped === "later") throw new Error("Twitchlog could not be reached");
}

// Reminders. A push carries {title, body, url, tag, stop, stopLabel, stopped, stoppedBody, lang}
// (diary/reminders/messages.py), worded in the person's language. The tag makes a repeat of the
// same reminder replace the one shown, silently.
self.addEventListener("push", (event) => {
  const reminder = readPush(event);
  if (!reminder?.title) return;
  event.waitUntil(
    self.registration.showNotification(reminder.title, {
      body: reminder.body || "",
      tag: reminder.tag || undefined,
      icon: CONFIG.icon,
      lang: reminder.lang || "",
      data: { url: reminder.url, stop: reminder.stop, stopped: reminder.stopped, stoppedBody: reminder.stoppedBody },
      actions: reminder.stop ? [{ action: "stop", title: reminder.stopLabel }] : [],
    }),
  );
});

function readPush(event) {
  try {
    return event.data ? event.data.json() : null;
  } catch {
    return null;
  }
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const { url, stop, stopped, stoppedBody } = event.notification.data || {};
  if (event.action === "stop" && stop) event.waitUntil(stopReminders(stop, stopped, stoppedBody));
  else event.waitUntil(openPage(url || CONFIG.logPage));
});

// The page a reminder is about: an open Twitchlog window goes there, else a new one opens
// (the app was closed).
async function openPage(path) {
  const target = new URL(path, self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const same = windows.find((client) => client.url === target);
  if (same) return same.focus();
  for (const client of windows) {
    try {
      const moved = await client.navigate(target);
      if (moved) return moved.focus();
    } catch {
      // Not a page this worker controls: open a new one below.
    }
  }
  return self.clients.openWindow(target);
}

// "Stop these reminders": the signed link switches off this kind of reminder without a login.
// Offline, or refused, its page opens instead, where one button does the same.
async function stopReminders(stop, title, body) {
  try {
    const response = await fetch(stop, { method: "POST", credentials: "omit" });
    if (response.ok) {
      await self.registration.showNotification(title || "Reminders stopped", {
        body: body || "",
        tag: "twitchlog-reminders-stopped",
        icon: CONFIG.icon,
        silent: true,
      });
      return;
    }
  } catch {
    // Fall through to the page.
  }
  await self.clients.openWindow(new URL(stop, self.location.origin).href);
}
