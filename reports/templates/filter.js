(function () {
  // Filter the findings by severity and check. Without this script every finding shows.
  var form = document.getElementById("filters");
  if (!form) return;
  form.hidden = false;
  function apply() {
    var severities = {};
    form.querySelectorAll("input[name=severity]").forEach(function (box) { severities[box.value] = box.checked; });
    var check = form.elements.check.value;
    var shown = 0;
    document.querySelectorAll(".finding").forEach(function (finding) {
      finding.hidden = !severities[finding.dataset.severity] || (check !== "" && finding.dataset.check !== check);
      if (!finding.hidden) shown++;
    });
    document.querySelectorAll(".check-group").forEach(function (group) {
      group.hidden = !group.querySelector(".finding:not([hidden])");
    });
    document.getElementById("shown").textContent = shown + " shown";
  }
  form.addEventListener("change", apply);
  apply();
})();
