// Sort the group finder by distance from the browser's location, if the visitor asks.
// Without JavaScript the "sort by distance from" town list does the same job.
(function () {
  "use strict";
  var button = document.querySelector("[data-use-location]");
  if (!button || !("geolocation" in navigator)) {
    return;
  }
  var form = button.closest("form");
  button.classList.remove("d-none");
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      form.querySelector("input[name=lat]").value = position.coords.latitude.toFixed(4);
      form.querySelector("input[name=lng]").value = position.coords.longitude.toFixed(4);
      form.requestSubmit();
    });
  });
})();
