// Behaviour shared by every page, bound here because the content security policy refuses inline handlers:
// a button marked data-print prints the page, a control marked data-submit-on-change submits its form.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
  document.addEventListener("change", function (event) {
    var control = event.target.closest("[data-submit-on-change]");
    if (control && control.form) {
      control.form.submit();
    }
  });
})();
