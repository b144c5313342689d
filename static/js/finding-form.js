// The finding form: the criterion matters only for a major hazard, the after-photos only for a hazard fixed
// on the spot. Without this script both stay shown and the server still says what does not fit. A field the
// server put an error on is never hidden: the user must see what to change.
(function () {
  "use strict";
  function toggle(controlId, targetId, shown) {
    var control = document.getElementById(controlId);
    var target = document.getElementById(targetId);
    if (!control || !target) return;
    var hasError = target.querySelector("[data-testid=field-error]") !== null;
    var update = function () { target.hidden = !hasError && !shown(control); };
    control.addEventListener("change", update);
    update();
  }
  toggle("id_level", "field-criterion", function (control) { return control.value === "major"; });
  toggle("id_fixed_on_spot", "field-after_photos", function (control) { return control.checked; });
})();
