// Small progressive enhancements; the app works without JavaScript.
// Disable a form's submit button once clicked so a double click cannot submit twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.submitted === "1") { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  setTimeout(function () { form.dataset.submitted = ""; }, 4000);
});
