// A test double for the page's PushManager (tests/browser/test_reminders.py): subscribe()
// answers with a subscription the test made at the push service on 127.0.0.1, and only for
// the server's VAPID key (a push service binds a subscription to that key); it remembers that
// it subscribed, as a browser does. Called with [subscription JSON, server key (base64url)].
([json, serverKey]) => {
  let subscribed = false;
  const subscription = {
    endpoint: json.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true },
    toJSON: () => json,
    unsubscribe: async () => {
      subscribed = false;
      return true;
    },
  };
  const base64url = (bytes) =>
    btoa(String.fromCharCode(...new Uint8Array(bytes)))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
  PushManager.prototype.subscribe = async function (options) {
    const key = options?.applicationServerKey;
    if (options?.userVisibleOnly !== true || !key || base64url(key) !== serverKey) {
      throw new DOMException("not the server's key", "InvalidAccessError");
    }
    subscribed = true;
    return subscription;
  };
  PushManager.prototype.getSubscription = async function () {
    return subscribed ? subscription : null;
  };
}
