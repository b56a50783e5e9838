// Behaviour that used to sit in inline handlers: the Content-Security-Policy allows scripts
// from this site's files only (settings.CONTENT_SECURITY_POLICY), so none stays in a page.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // The language menu changes the language as soon as one is chosen (a button does it
  // without JavaScript, in <noscript>).
  for (const select of document.querySelectorAll("select[data-submit-on-change]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  // Print buttons on manifests and travel slips.
  for (const button of document.querySelectorAll("button[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});
