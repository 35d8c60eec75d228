// Settings → Reminders: "Get notifications on this device". Asks the browser for permission,
// subscribes it to Web Push with the server's VAPID key (the applicationServerKey) through the
// service worker (static/js/sw.js shows the notifications), and sends the subscription to the
// server. The rest of the page is plain forms and works without this file.
"use strict";

(function () {
  const box = document.getElementById("this-device");
  if (!box) return;
  const button = document.getElementById("push-subscribe");
  const status = document.getElementById("push-status");
  const say = (text) => {
    status.textContent = text;
  };

  if (!("serviceWorker" in navigator && "PushManager" in window && "Notification" in window)) {
    button.hidden = true;
    say(gettext("This browser cannot show notifications from Twitchlog. Reminders can still come by e-mail."));
    return;
  }

  function keyBytes(base64url) {
    const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }

  // The cookie holds the current security token (a page open for long may carry an older one).
  function csrfToken() {
    const cookie = document.cookie.split("; ").find((item) => item.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
  }

  async function subscription(registration) {
    const options = { userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.key) };
    try {
      return await registration.pushManager.subscribe(options);
    } catch (error) {
      // Subscribed before with another server key: start again with this one.
      const old = await registration.pushManager.getSubscription();
      if (!old) throw error;
      await old.unsubscribe();
      return registration.pushManager.subscribe(options);
    }
  }

  async function turnOn() {
    button.disabled = true;
    say("");
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say(gettext("Notifications are not allowed for Twitchlog in this browser. You can allow them in the browser's settings for this site, then try again."));
        return;
      }
      await navigator.serviceWorker.register(box.dataset.worker, { scope: "/" });
      const registration = await navigator.serviceWorker.ready;
      const pushSubscription = await subscription(registration);
      const response = await fetch(box.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(pushSubscription.toJSON()),
      });
      if (response.ok) {
        const device = await response.json();
        say(interpolate(gettext("%(device)s gets reminders now."), { device: device.name }, true));
        window.location.reload();
        return;
      }
      const problem = await response.json().catch(() => ({}));
      say(problem.error || gettext("Twitchlog could not add this device. Please try again."));
    } catch {
      say(gettext("This browser could not turn on notifications. Please try again, or use e-mail."));
    } finally {
      button.disabled = false;
    }
  }

  button.addEventListener("click", turnOn);
})();
