// Twitchlog's offline queue: log entries kept in IndexedDB while the server cannot be reached,
// and the sender that delivers them. Shared by the pages (offline-queue.js) and the service
// worker (sw.js), so it touches no DOM.
//
// An entry: {uuid, account, tappedAt, fields: [[name, value], ...], state, messages, savedAt}.
// state is "pending" (will be sent) or "refused" (the server said why; the person fixes or
// discards it). The server saves a UUID at most once, so sending an entry twice is harmless.
"use strict";

(function (scope) {
  const DB_NAME = "twitchlog-offline";
  const QUEUE = "queue";
  const META = "meta";
  const SEND_TIMEOUT_MS = 15000;
  // Sent by the sender so the worker passes its requests straight through (sw.js).
  const SENDER_HEADER = "X-Twitchlog-Sender";

  let opening = null;

  function open() {
    opening ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(QUEUE, { keyPath: "uuid" });
        request.result.createObjectStore(META);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    }).catch((error) => {
      opening = null;
      throw error;
    });
    return opening;
  }

  async function run(store, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(store, mode);
      const request = work(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(request?.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }

  const all = () => run(QUEUE, "readonly", (store) => store.getAll());
  const get = (uuid) => run(QUEUE, "readonly", (store) => store.get(uuid));
  const put = (entry) => run(QUEUE, "readwrite", (store) => store.put(entry));
  const remove = (uuid) => run(QUEUE, "readwrite", (store) => store.delete(uuid));
  const getMeta = (key) => run(META, "readonly", (store) => store.get(key));
  const setMeta = (key, value) => run(META, "readwrite", (store) => store.put(value, key));

  async function clear() {
    await run(QUEUE, "readwrite", (store) => store.clear());
    await run(META, "readwrite", (store) => store.clear());
  }

  async function entriesOf(account) {
    const entries = (await all()).filter((entry) => entry.account === account);
    return entries.sort((a, b) => a.tappedAt.localeCompare(b.tappedAt));
  }

  // A v4 UUID; crypto.randomUUID needs a secure context, which plain-HTTP development lacks.
  function newUuid() {
    if (scope.crypto?.randomUUID) return scope.crypto.randomUUID();
    const bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  // The entry a log form's fields describe (the form's own CSRF token is not kept: it goes stale).
  function entryFromFields(fields, account) {
    const kept = fields.filter(([name]) => name !== "csrfmiddlewaretoken");
    const value = (name) => kept.find(([key]) => key === name)?.[1];
    const uuid = value("client_uuid") || newUuid();
    const tappedAt = value("tapped_at") || new Date().toISOString();
    const rest = kept.filter(([name]) => name !== "client_uuid" && name !== "tapped_at");
    return {
      uuid,
      account,
      tappedAt,
      fields: [...rest, ["client_uuid", uuid], ["tapped_at", tappedAt]],
      state: "pending",
      messages: [],
      savedAt: new Date().toISOString(),
    };
  }

  // Send one entry. Resolves to "sent" (created or already there), "refused", "login" (the
  // session has expired) or "later" (no answer, or not one we understand: try again later).
  async function sendOne(entry, { logUrl, loginPath, csrfToken }) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
    let response;
    try {
      response = await fetch(logUrl, {
        method: "POST",
        body: new URLSearchParams(entry.fields),
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken || "", [SENDER_HEADER]: "1" },
        credentials: "same-origin",
        signal: controller.signal,
      });
    } catch {
      return "later";
    } finally {
      clearTimeout(timer);
    }
    if (response.redirected && new URL(response.url).pathname === loginPath) return "login";
    if (!(response.headers.get("Content-Type") || "").startsWith("application/json")) return "later";
    const answer = await response.json().catch(() => ({}));
    if (answer.status === "login") return "login"; // told so by the worker (sw.js)
    if (answer.status === "created" || answer.status === "exists") {
      await remove(entry.uuid);
      return "sent";
    }
    if (answer.status === "invalid" || answer.status === "conflict") {
      await put({ ...entry, state: "refused", conflict: answer.status === "conflict", messages: answer.messages || [] });
      return "refused";
    }
    return "later";
  }

  // Send every pending entry of `account`, oldest first; stop at the first that cannot go.
  // One sender at a time across the pages and the worker (Web Locks), so an entry is not in
  // flight twice; the server would still save it once.
  let sending = null;
  function sendAll(account, options) {
    const send = async () => {
      const result = { sent: 0, refused: 0, stopped: null };
      for (const entry of await entriesOf(account)) {
        if (entry.state !== "pending") continue;
        const outcome = await sendOne(entry, options);
        if (outcome === "sent") result.sent += 1;
        else if (outcome === "refused") result.refused += 1;
        else {
          result.stopped = outcome;
          break;
        }
      }
      return result;
    };
    sending ??= (scope.navigator.locks ? scope.navigator.locks.request("twitchlog-send", send) : send()).finally(
      () => {
        sending = null;
      },
    );
    return sending;
  }

  scope.TwitchlogQueue = {
    SENDER_HEADER,
    all,
    clear,
    entriesOf,
    entryFromFields,
    get,
    getMeta,
    newUuid,
    put,
    remove,
    sendAll,
    setMeta,
  };
})(self);
