// The task form: show only the owner field of the chosen owner type.
(function () {
  "use strict";
  var kind = document.getElementById("id_owner_kind");
  if (!kind) { return; }
  var fields = {
    section: "id_owner_section",
    street: "id_owner_unit",
    user: "id_owner_user",
    enterprise: "id_owner_enterprise_name"
  };
  function wrapper(id) {
    var input = document.getElementById(id);
    return input ? input.closest(".field") : null;
  }
  function update() {
    Object.keys(fields).forEach(function (key) {
      var box = wrapper(fields[key]);
      if (box) { box.hidden = kind.value !== "" && kind.value !== key; }
    });
  }
  kind.addEventListener("change", update);
  update();
})();
