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
  // A refused action is answered with the whole page again: bring its form's message into view and focus it,
  // the message and not a field, so that a phone opens no keyboard over it.
  var refused = document.querySelector("[data-refused]");
  if (refused) {
    var message = refused.querySelector("[data-testid=form-error], [data-testid=field-error]") || refused;
    message.setAttribute("tabindex", "-1");
    refused.scrollIntoView({ block: "start" });
    message.focus({ preventScroll: true });
  }
})();
