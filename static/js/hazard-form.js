// The form logging a hazard: the criterion matters only for a major hazard, the after-photos only for one fixed
// on the spot.
(function () {
  "use strict";
  function toggle(controlId, targetId, shown) {
    var control = document.getElementById(controlId);
    var target = document.getElementById(targetId);
    if (!control || !target) {
      return;
    }
    var update = function () {
      target.hidden = !shown(control);
    };
    control.addEventListener("change", update);
    update();
  }
  toggle("id_level", "field-criterion", function (control) {
    return control.value === "major";
  });
  toggle("id_fixed_on_spot", "field-after_photos", function (control) {
    return control.checked;
  });
})();
