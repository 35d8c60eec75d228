// Twitchlog: sending a video or photo with a progress bar. Every page works without this file:
// the forms post the file as they are.
// - On an episode's page, choosing a file sends it at once (XMLHttpRequest, for its upload
//   progress); the clip's card joins the list and htmx asks for it until it is prepared.
// - On the Log page, a file chosen with the entry waits until the entry is logged, then goes to
//   that entry; the log itself never waits for it, and a failed upload never loses the entry.
// - A failed upload keeps the file in the page: "Try again" sends it again. Offline, the person
//   is told plainly that videos and photos need a connection.
"use strict";

(function () {
  // Messages in the page's language (the JavaScript catalog, django.gettext and friends).
  const say_ = (text, values) => interpolate(text, values, true);
  const OFFLINE = gettext("You are offline. Videos and photos need a connection: try again once you are back online.");
  const STOPPED = gettext("The upload stopped before it finished (the connection may have dropped).");
  const LOGIN = gettext("Your session has ended. Log in again, then add the video or photo from the entry.");

  function csrfToken() {
    const cookie = document.cookie.split("; ").find((item) => item.startsWith("csrftoken="));
    if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
    return document.querySelector('input[name="csrfmiddlewaretoken"]')?.value || "";
  }

  function limitsOf(form) {
    const data = form?.dataset || {};
    return {
      bytes: Number(data.maxBytes || 0),
      seconds: Number(data.maxSeconds || 0),
      tooBig: data.tooBig || gettext("This file is too big."),
    };
  }

  // A video's length, read by the browser from the file itself, before any of it is sent.
  function videoSeconds(file) {
    if (!file.type.startsWith("video/")) return Promise.resolve(null);
    return new Promise((resolve) => {
      const video = document.createElement("video");
      const url = URL.createObjectURL(file);
      const done = (value) => {
        URL.revokeObjectURL(url);
        resolve(value);
      };
      video.preload = "metadata";
      video.muted = true;
      video.addEventListener("loadedmetadata", () => done(Number.isFinite(video.duration) ? video.duration : null));
      video.addEventListener("error", () => done(null)); // the server will say what it is
      setTimeout(() => done(null), 5000);
      video.src = url;
    });
  }

  async function tooMuch(file, limits) {
    if (limits.bytes && file.size > limits.bytes) return limits.tooBig;
    const seconds = await videoSeconds(file);
    if (seconds && limits.seconds && seconds > limits.seconds + 0.5) {
      const text = ngettext(
        "This video is %(seconds)s seconds long; Twitchlog keeps videos of up to %(limit)s second. Trim it on your phone (open it in Photos or Gallery and choose Edit or Trim), then add it again.",
        "This video is %(seconds)s seconds long; Twitchlog keeps videos of up to %(limit)s seconds. Trim it on your phone (open it in Photos or Gallery and choose Edit or Trim), then add it again.",
        limits.seconds,
      );
      return say_(text, { seconds: Math.round(seconds), limit: limits.seconds });
    }
    return "";
  }

  // The parts of the page an upload reports to: a progress bar, its label, a status line and a
  // "Try again" button (all in the templates, hidden until needed).
  function partsOf(root) {
    return {
      progress: root.querySelector("[data-clip-progress]"),
      bar: root.querySelector("[data-clip-progress] progress"),
      label: root.querySelector("[data-clip-progress-label]"),
      status: root.querySelector("[data-clip-status]"),
      retry: root.querySelector("[data-clip-retry]"),
    };
  }

  function say(parts, text) {
    if (parts.status) parts.status.textContent = text;
  }

  function showProgress(parts, percent) {
    if (!parts.progress) return;
    parts.progress.hidden = percent === null;
    if (percent === null) return;
    parts.bar.value = percent;
    // The label is read out (it is in a status region): every tenth is enough.
    const step = Math.min(100, Math.floor(percent / 10) * 10);
    parts.label.textContent =
      percent >= 100 ? gettext("Uploaded, checking it…") : say_(gettext("Uploading… %(percent)s"), { percent: `${step}%` });
  }

  // Send `file` to `url`; resolves with {status, html, login} or {failed: true}.
  function send(file, url, parts) {
    return new Promise((resolve) => {
      const body = new FormData();
      body.append("csrfmiddlewaretoken", csrfToken());
      body.append("file", file, file.name || "clip");
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("HX-Request", "true");
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) showProgress(parts, Math.round((event.loaded / event.total) * 100));
      });
      xhr.addEventListener("load", () => {
        const login = new URL(xhr.responseURL || url, location.href).pathname.startsWith("/accounts/login");
        resolve({ status: xhr.status, html: xhr.responseText, login });
      });
      for (const name of ["error", "abort", "timeout"]) xhr.addEventListener(name, () => resolve({ failed: true }));
      showProgress(parts, 0);
      xhr.send(body);
    });
  }

  // One upload with its retries: `onDone(html)` gets the new clip's card, `onRefused(html)` the
  // form with the server's reason.
  async function upload(file, url, parts, limits, onDone, onRefused) {
    if (parts.retry) parts.retry.hidden = true;
    const problem = await tooMuch(file, limits);
    if (problem) {
      say(parts, problem);
      return;
    }
    if (!navigator.onLine) {
      say(parts, OFFLINE);
      offerRetry(file, url, parts, limits, onDone, onRefused);
      return;
    }
    say(parts, "");
    const answer = await send(file, url, parts);
    showProgress(parts, null);
    if (answer.login) {
      say(parts, LOGIN);
    } else if (answer.status === 201) {
      onDone(answer.html);
    } else if (answer.status === 200) {
      onRefused(answer.html);
    } else if (answer.status === 413) {
      say(parts, limits.tooBig);
    } else {
      say(parts, navigator.onLine ? say_(gettext("%(problem)s Your entry is saved."), { problem: STOPPED }) : OFFLINE);
      offerRetry(file, url, parts, limits, onDone, onRefused);
    }
  }

  function offerRetry(file, url, parts, limits, onDone, onRefused) {
    if (!parts.retry) return;
    parts.retry.hidden = false;
    parts.retry.onclick = () => upload(file, url, parts, limits, onDone, onRefused);
  }

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function activate(element) {
    if (window.htmx && element) window.htmx.process(element);
  }

  // --- An episode's page ---

  function chosenFile(form) {
    return [...form.querySelectorAll('input[type="file"]')].map((input) => input.files?.[0]).find(Boolean);
  }

  function setUpEpisodeForm(form) {
    if (form.dataset.clipReady) return;
    form.dataset.clipReady = "1";
    const parts = partsOf(form);
    const start = (file) => {
      if (!file) return;
      form.querySelector("[data-clip-chosen]").textContent = say_(gettext("Chosen: %(name)s"), {
        name: file.name || gettext("a file from the camera"),
      });
      upload(
        file,
        form.action,
        parts,
        limitsOf(form),
        (html) => {
          const card = fragment(html);
          document.querySelector("[data-clip-list]")?.append(card);
          activate(card);
          form.reset();
          form.querySelector("[data-clip-chosen]").textContent = "";
          say(parts, gettext("Added. It is being prepared: it shows above in a moment."));
        },
        (html) => {
          const fresh = fragment(html);
          form.replaceWith(fresh);
          setUpEpisodeForm(fresh);
          fresh.querySelector(".field-errors")?.setAttribute("tabindex", "-1");
          fresh.querySelector(".field-errors")?.focus();
        },
      );
    };
    form.addEventListener("change", (event) => {
      if (event.target.type === "file") start(event.target.files?.[0]);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const file = chosenFile(form);
      if (file) start(file);
      else say(parts, gettext("Choose a video or photo to add."));
    });
  }

  // --- The Log page: the file waits for the entry ---

  let waiting = null; // the file chosen with the entry being logged

  function logForm() {
    return document.getElementById("log-form");
  }

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (input.type !== "file" || input.form?.id !== "log-form") return;
    const file = input.files?.[0];
    const note = input.form.querySelector(".log-clip [data-clip-chosen]");
    if (note) {
      note.textContent = file
        ? say_(gettext("Chosen: %(name)s. It is sent once the twitch is logged."), {
            name: file.name || gettext("a file from the camera"),
          })
        : "";
    }
    if (file && !navigator.onLine && note) note.textContent = OFFLINE;
  });

  // The entry goes without the file: it is sent on its own once the entry is saved.
  document.addEventListener("htmx:configRequest", (event) => {
    if (event.detail.elt?.id !== "log-form") return;
    const data = event.detail.formData;
    const files = data ? data.getAll("clip").filter((value) => value instanceof File && value.size) : [];
    waiting = files[0] || null;
    if (data) data.delete("clip");
    delete event.detail.parameters?.clip;
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    const flash = event.target.querySelector?.(".flash[data-clip-url]");
    if (!flash || !waiting) return;
    const file = waiting;
    waiting = null;
    const parts = partsOf(flash);
    flash.dataset.clipBusy = "1"; // app.js keeps the confirmation while its file is on its way
    const done = () => {
      delete flash.dataset.clipBusy;
      say(parts, "");
      const link = Object.assign(document.createElement("a"), {
        href: flash.dataset.episodeUrl,
        textContent: gettext("See it on the entry"),
      });
      const added = file.type.startsWith("image/")
        ? gettext("The photo is added and being prepared.")
        : gettext("The video is added and being prepared.");
      parts.status.append(`${added} `, link);
    };
    const refused = (html) => {
      delete flash.dataset.clipBusy;
      const message = fragment(html)?.querySelector(".field-errors")?.textContent.trim();
      say(parts, say_(gettext("The twitch is logged; the file was not added: %(why)s"), {
        why: message || gettext("it could not be read."),
      }));
    };
    upload(file, flash.dataset.clipUrl, parts, limitsOf(logForm()), done, refused);
  });

  // The Log form starts afresh after an entry: so does its note about a chosen file.
  document.addEventListener("episode-logged", () => {
    const note = logForm()?.querySelector(".log-clip [data-clip-chosen]");
    if (note) note.textContent = "";
  });

  // Logged while Twitchlog could not be reached: the entry waits on the phone, the file cannot.
  document.addEventListener("log-kept", () => {
    if (!waiting) return;
    waiting = null;
    const flash = document.querySelector("#log-panel .flash-kept");
    if (flash) {
      flash.textContent += " Videos and photos need a connection: add yours from the entry once it has been sent.";
    }
  });

  // A clip has been prepared (htmx swapped its card): "it shows above in a moment" is done.
  document.addEventListener("htmx:afterSettle", (event) => {
    const card = event.target.closest?.(".clip");
    if (!card || card.classList.contains("is-pending")) return;
    const status = document.querySelector("form[data-clip-upload] [data-clip-status]");
    if (status && !document.querySelector("#clip-list .clip.is-pending")) status.textContent = "";
  });

  function enhance(root) {
    root.querySelectorAll?.("form[data-clip-upload]").forEach(setUpEpisodeForm);
    if (root.matches?.("form[data-clip-upload]")) setUpEpisodeForm(root);
  }

  document.addEventListener("DOMContentLoaded", () => enhance(document));
  document.addEventListener("htmx:load", (event) => enhance(event.target));
})();
