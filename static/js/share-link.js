// A new share link: Copy puts it on the clipboard, Share opens the phone's share sheet (Web
// Share API) where the browser has one. Without JavaScript the link is in a read-only field
// to copy by hand; the buttons are hidden then (.js-only). Loaded by the pages that list share
// links (Report, Settings); the section may be swapped in by htmx, so clicks are caught on the
// document and the Share button is revealed on every htmx load.
"use strict";

function linkField(button) {
  return document.getElementById(button.dataset.linkField);
}

function say(button, text) {
  const status = button.closest(".share-new")?.querySelector("[data-link-status]");
  if (status) status.textContent = text;
}

async function copyLink(button) {
  const field = linkField(button);
  if (!field) return;
  try {
    await navigator.clipboard.writeText(field.value);
    say(button, "Copied. Paste it into a message or an e-mail to your doctor.");
  } catch {
    // No Clipboard API (an older browser, or a page not served over HTTPS): select the
    // address, so the phone's own Copy is one tap away.
    field.focus();
    field.select();
    say(button, "Selected: use your phone's Copy to copy it.");
  }
}

async function shareLink(button) {
  const field = linkField(button);
  if (!field) return;
  try {
    await navigator.share({ title: button.dataset.shareTitle, url: field.value });
  } catch (error) {
    if (error?.name !== "AbortError") await copyLink(button); // closing the sheet is no error
  }
}

document.addEventListener("click", (event) => {
  const button = event.target.closest?.("[data-copy-link], [data-share-link]");
  if (!button) return;
  if (button.hasAttribute("data-copy-link")) copyLink(button);
  else shareLink(button);
});

function revealShare(root) {
  if (typeof navigator.share !== "function") return;
  root.querySelectorAll?.("[data-share-link][hidden]").forEach((button) => {
    button.hidden = false;
  });
}
document.addEventListener("DOMContentLoaded", () => revealShare(document));
document.addEventListener("htmx:load", (event) => revealShare(event.target));
