// Announcement form: the province list is only relevant when "all provinces" is off.
(function () {
  "use strict";
  var all = document.getElementById("id_all_provinces");
  var provinces = document.getElementById("id_provinces");
  if (!all || !provinces) return;
  function sync() { provinces.disabled = all.checked; }
  all.addEventListener("change", sync);
  sync();
})();
