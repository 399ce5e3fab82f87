// Small progressive enhancements; the app works without JavaScript.
// Disable a form's submit button once clicked so a double click cannot submit twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.submitted === "1") { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  setTimeout(function () { form.dataset.submitted = ""; }, 4000);
});

// Sections marked data-swap-conflicts show the server's refusal in place: a 400 (form errors) or a 409
// (the object moved on meanwhile) carries the re-rendered section. This replaces inline hx-on handlers,
// which the Content-Security-Policy forbids.
document.addEventListener("htmx:beforeSwap", function (event) {
  var section = event.target.closest && event.target.closest("[data-swap-conflicts]");
  if (section && [400, 409].indexOf(event.detail.xhr.status) !== -1) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// "Back" links go back in history when there is one; without JavaScript they lead to the dashboard.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-history-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
