// Twitchlog's offline log queue, on the page. Works with sw.js and offline-store.js:
// - gives every Log tap a UUID made here and the time of the tap, so the server saves it once
//   and at the moment it was felt, however late it arrives;
// - when a tap could not reach the server, says so, empties the form and lists the entry
//   ("Saved on this phone, will be sent") until it is sent: on page load, when the connection
//   is back, with "Send now", or by Background Sync;
// - an entry the server refused stays listed with its reason, to fix or discard;
// - logging out warns about unsent entries, then forgets them and the stored Log form.
"use strict";

(function () {
  const Q = window.TwitchlogQueue;
  const script = document.currentScript;
  if (!Q || !script || !("indexedDB" in window)) return;
  const urls = script.dataset; // log, login, logout, shell
  const account = document.querySelector('meta[name="twitchlog-account"]')?.content || "";
  const MINUTES_BEFORE_TAP = { now: 0, 15: 15, 60: 60 };

  function csrfToken() {
    // The cookie is always current; a page kept by the worker may carry an older token.
    const cookie = document.cookie.split("; ").find((item) => item.startsWith("csrftoken="));
    if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
    try {
      return JSON.parse(document.body.dataset.hxHeaders || "{}")["x-csrftoken"] || "";
    } catch {
      return "";
    }
  }

  function hiddenInput(form, name) {
    let input = form.querySelector(`input[type="hidden"][name="${name}"]`);
    if (!input) {
      input = Object.assign(document.createElement("input"), { type: "hidden", name });
      form.append(input);
    }
    return input;
  }

  // --- What the list shows ---

  const section = () => document.getElementById("offline-queue");
  // The page's messages (Django's JavaScript catalog, loaded before this script).
  const say_ = (text, values) => interpolate(text, values, true);
  const lang = document.documentElement.lang || [];

  function siteName(code) {
    const input = document.querySelector(`#log-form input[name="sites"][value="${CSS.escape(code)}"]`);
    return input?.closest("label")?.textContent.trim() || code;
  }

  function startedAt(entry) {
    const values = new Map(entry.fields);
    const when = values.get("when");
    if (when === "custom") {
      const local = values.get("started_at_local");
      return local ? new Date(local) : null;
    }
    const minutes = MINUTES_BEFORE_TAP[when] ?? 0;
    return new Date(Date.parse(entry.tappedAt) - minutes * 60000);
  }

  function describeTime(date) {
    if (!date || Number.isNaN(date.getTime())) return "";
    const time = date.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    if (date.toDateString() === new Date().toDateString()) return time;
    const day = date.toLocaleDateString(lang, { weekday: "short", day: "numeric", month: "short" });
    return say_(pgettext("a day and a time", "%(day)s %(time)s"), { day, time });
  }

  async function render() {
    const box = section();
    if (!box) return [];
    const entries = account ? await Q.entriesOf(account) : [];
    const list = box.querySelector("[data-queue-list]");
    const template = box.querySelector("template[data-queue-item]");
    list.replaceChildren(
      ...entries.map((entry) => {
        const item = template.content.firstElementChild.cloneNode(true);
        item.dataset.uuid = entry.uuid;
        // A site ticked both in the recent chips and on the map is posted twice: name it once.
        const codes = new Set(entry.fields.filter(([name]) => name === "sites").map(([, code]) => code));
        const sites = [...codes].map(siteName);
        item.querySelector("[data-entry-title]").textContent =
          sites.join(gettext(", ")) || gettext("No body site chosen");
        item.querySelector("[data-entry-when]").textContent = describeTime(startedAt(entry));
        const refused = entry.state === "refused";
        item.classList.toggle("is-refused", refused);
        item.querySelector("[data-entry-state]").textContent = refused
          ? say_(gettext("Not sent: %(reason)s"), {
              reason: (entry.messages || []).join(" ") || gettext("the server did not accept it."),
            })
          : gettext("Saved on this phone, will be sent.");
        item.querySelector("[data-entry-actions]").hidden = !refused;
        return item;
      }),
    );
    const status = box.querySelector("[data-queue-status]");
    box.querySelector("[data-send-now]").hidden = !entries.some((entry) => entry.state === "pending");
    box.hidden = entries.length === 0 && !status.textContent;
    return entries;
  }

  function say(text, { login = false, sending = false } = {}) {
    const box = section();
    if (!box) return;
    const status = box.querySelector("[data-queue-status]");
    status.textContent = text;
    if (sending) status.dataset.sending = "1";
    else delete status.dataset.sending;
    box.querySelector("[data-queue-login]").hidden = !login;
    if (text) box.hidden = false;
  }

  // --- Sending ---

  async function flush() {
    if (!account) return;
    const waiting = (await Q.entriesOf(account)).filter((entry) => entry.state === "pending");
    if (!waiting.length) return;
    if (!navigator.onLine) {
      say(gettext("You are offline. They will be sent when the connection is back."));
      return;
    }
    const count = waiting.length;
    say(say_(ngettext("Sending %(count)s entry…", "Sending %(count)s entries…", count), { count }), {
      sending: true,
    });
    const result = await Q.sendAll(account, {
      logUrl: urls.log,
      loginPath: urls.login,
      csrfToken: csrfToken(),
    });
    await reportSent(result);
  }

  async function reportSent(result) {
    const left = (await render()).filter((entry) => entry.state === "pending").length;
    const parts = [];
    if (result.sent) {
      const count = result.sent;
      parts.push(say_(ngettext("Sent %(count)s entry.", "Sent %(count)s entries.", count), { count }));
    }
    if (result.refused) {
      const count = result.refused;
      parts.push(
        say_(
          ngettext(
            "%(count)s could not be saved as it is: see below.",
            "%(count)s could not be saved as they are: see below.",
            count,
          ),
          { count },
        ),
      );
    }
    if (result.stopped === "later" && left) parts.push(gettext("Twitchlog cannot be reached just now; will try again."));
    const status = section()?.querySelector("[data-queue-status]");
    const login = result.stopped === "login" && left > 0;
    if (parts.length || login) say(parts.join(" "), { login });
    else if (status?.dataset.sending) say(""); // the worker sent them first
    await render();
    if (result.sent) refreshEpisodeList();
  }

  function refreshEpisodeList() {
    // On the real Log page (not the stored form), bring the sent entries into today's list.
    const list = document.getElementById("episode-list");
    if (!list || !window.htmx || list.hasAttribute("data-offline-shell")) return;
    window.htmx.ajax("GET", urls.log, { target: "#episode-list", swap: "outerHTML" });
  }

  function askForBackgroundSync() {
    navigator.serviceWorker?.ready
      .then((registration) => registration.sync?.register("twitchlog-send"))
      .catch(() => {}); // not offered by this browser: page loads and "online" still send
  }

  // --- The Log form ---

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || form.id !== "log-form") return;
      // Before htmx reads the form. An entry being fixed keeps its UUID.
      const uuid = hiddenInput(form, "client_uuid");
      uuid.value ||= Q.newUuid();
      hiddenInput(form, "tapped_at").value = new Date().toISOString();
    },
    true,
  );

  const isLogForm = (event) => event.detail?.requestConfig?.elt?.id === "log-form";

  document.addEventListener("htmx:beforeOnLoad", (event) => {
    if (!isLogForm(event)) return;
    const xhr = event.detail.xhr;
    const redirect = xhr.getResponseHeader("HX-Redirect");
    if (xhr.getResponseHeader("X-Twitchlog-Kept")) {
      // The worker kept it (sw.js).
      event.preventDefault();
      kept(event.detail.requestConfig.elt, Boolean(xhr.getResponseHeader("X-Twitchlog-Login")));
    } else if (redirect && new URL(redirect, location.href).pathname === urls.login) {
      // The session has expired, and no worker stood in between: keep it here.
      event.preventDefault();
      keepHere(event.detail.requestConfig, true);
    } else if ((xhr.getResponseHeader("HX-Trigger") || "").includes("episode-logged")) {
      // Saved: an entry that was being fixed is done, and the form (which stays on the page and
      // resets there) needs a new UUID for the next entry.
      const uuid = event.detail.requestConfig.formData?.get("client_uuid");
      if (uuid) Q.remove(uuid).then(render);
      hiddenInput(event.detail.requestConfig.elt, "client_uuid").value = "";
    }
  });

  // Without a worker (first visit, or a browser without one): no answer at all.
  for (const name of ["htmx:sendError", "htmx:timeout", "htmx:responseError"]) {
    document.addEventListener(name, (event) => {
      if (isLogForm(event)) keepHere(event.detail.requestConfig, false);
    });
  }
  document.addEventListener("htmx:beforeSend", (event) => {
    if (isLogForm(event) && !event.detail.xhr.timeout) event.detail.xhr.timeout = 15000;
  });

  async function keepHere(requestConfig, login) {
    const fields = [...requestConfig.formData.entries()].filter(([, value]) => typeof value === "string");
    await Q.put(Q.entryFromFields(fields, account));
    askForBackgroundSync();
    kept(requestConfig.elt, login);
  }

  async function kept(form, login) {
    resetForm(form);
    await render();
    say(
      login
        ? gettext("Saved on this phone. It will be sent once you log in again.")
        : gettext("Saved on this phone, will be sent."),
      { login },
    );
    // Confirm where the eyes are, as a successful log does (app.js focuses its flash).
    const panel = document.getElementById("log-panel");
    panel?.querySelector(".flash")?.remove();
    const flash = Object.assign(document.createElement("p"), {
      className: "flash flash-kept",
      tabIndex: -1,
      textContent: login
        ? gettext("Saved on this phone. Log in again to send it.")
        : gettext("Saved on this phone, will be sent when Twitchlog can be reached."),
    });
    panel?.querySelector("h1")?.after(flash);
    document.dispatchEvent(new CustomEvent("log-kept")); // clips.js: a chosen file cannot wait
    flash.focus({ preventScroll: true });
    if (flash.getBoundingClientRect().top < 0) flash.scrollIntoView({ block: "start" });
  }

  function resetForm(form) {
    form.reset(); // body-figure.js follows the reset event
    hiddenInput(form, "client_uuid").value = "";
    requestAnimationFrame(() => form.dispatchEvent(new CustomEvent("sites-changed", { bubbles: true })));
  }

  // --- Fix or discard a refused entry ---

  function localInputValue(date) {
    const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
    return shifted.toISOString().slice(0, 16);
  }

  function fill(form, entry) {
    form.reset();
    form.querySelectorAll("input, textarea, select").forEach((input) => {
      if (input.name === "csrfmiddlewaretoken" || input.type === "hidden") return;
      if (input.type === "checkbox" || input.type === "radio") input.checked = false;
      else if (input.tagName !== "SELECT") input.value = "";
    });
    const values = entry.fields.filter(([name]) => name !== "tapped_at" && name !== "csrfmiddlewaretoken");
    const when = new Map(values).get("when");
    const start = startedAt(entry);
    for (const [name, value] of values) {
      if (name === "client_uuid") {
        hiddenInput(form, name).value = value;
        continue;
      }
      form.querySelectorAll(`[name="${CSS.escape(name)}"]`).forEach((input) => {
        if (input.type === "checkbox" || input.type === "radio") {
          if (input.value === value) input.checked = true;
        } else {
          input.value = value;
        }
      });
    }
    if (when in MINUTES_BEFORE_TAP && start) {
      // Pin the time it was tapped, so fixing it later does not move it to "now".
      form.querySelectorAll('input[name="when"]').forEach((input) => {
        input.checked = input.value === "custom";
      });
      const field = form.querySelector('input[name="started_at_local"]');
      if (field) field.value = localInputValue(start);
    }
    form.querySelectorAll('input[name="sites"]:checked').forEach((input) => {
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    form.dispatchEvent(new CustomEvent("sites-changed", { bubbles: true }));
  }

  async function fix(uuid) {
    const form = document.getElementById("log-form");
    let entry = await Q.get(uuid);
    if (!form || !entry) return;
    if (entry.conflict) {
      // Its UUID is taken: it goes again as a new entry (kept before the old one goes).
      const fresh = Q.newUuid();
      const fields = entry.fields.map(([name, value]) => [name, name === "client_uuid" ? fresh : value]);
      entry = { ...entry, uuid: fresh, fields, conflict: false };
      await Q.put(entry);
      await Q.remove(uuid);
    }
    fill(form, entry);
    await render();
    say(gettext("The entry is in the form above: change what is needed, then tap Log twitch."));
    form.scrollIntoView({ block: "start" });
    form.querySelector("input:not([type=hidden])")?.focus({ preventScroll: true });
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest?.("#offline-queue button");
    if (!button) return;
    const uuid = button.closest("[data-uuid]")?.dataset.uuid;
    if (button.matches("[data-send-now]")) {
      await flush();
    } else if (uuid && button.matches("[data-entry-fix]")) {
      await fix(uuid);
    } else if (uuid && button.matches("[data-entry-discard]")) {
      await Q.remove(uuid);
      say(gettext("Discarded."));
      await render();
    }
  });

  // --- Logging out on a shared phone ---

  document.addEventListener(
    "submit",
    async (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || new URL(form.getAttribute("action") || "", location.href).pathname !== urls.logout) return;
      if (form.dataset.forgotten) return;
      event.preventDefault();
      const unsent = account ? (await Q.entriesOf(account)).length : 0;
      const question = ngettext(
        "%(count)s entry saved on this phone has not been sent yet. Log out anyway and delete it from this phone?",
        "%(count)s entries saved on this phone have not been sent yet. Log out anyway and delete them from this phone?",
        unsent,
      );
      if (unsent && !window.confirm(say_(question, { count: unsent }))) return;
      await forget();
      form.dataset.forgotten = "1";
      form.submit();
    },
    true,
  );

  async function forget() {
    await Q.clear();
    if (!("caches" in window)) return;
    for (const name of await caches.keys()) {
      if (name.startsWith("twitchlog-")) await (await caches.open(name)).delete(urls.shell);
    }
  }

  // --- When to send ---

  async function start() {
    if (account) {
      await Q.setMeta("account", account);
      await Q.setMeta("csrf", csrfToken()); // for Background Sync, which has no page
    }
    await render();
    await flush();
  }

  document.addEventListener("DOMContentLoaded", start);
  window.addEventListener("online", flush);
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type === "twitchlog-queue") reportSent(event.data.result);
  });
})();
