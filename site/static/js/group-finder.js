// The group finder on a phone and with the browser's location.
// Without JavaScript the filters stay open and the "sort by distance from" town list
// does the location's job.
(function () {
  "use strict";
  var filters = document.querySelector("[data-collapse-narrow]");
  if (filters && window.matchMedia("(max-width: 991.98px)").matches) {
    filters.removeAttribute("open");
  }

  var button = document.querySelector("[data-use-location]");
  if (!button || !("geolocation" in navigator)) {
    return;
  }
  var form = button.closest("form");
  var message = form.querySelector("[data-location-message]");
  function say(text) {
    message.textContent = text;
    message.classList.remove("d-none");
  }
  button.classList.remove("d-none");
  button.addEventListener("click", function () {
    message.classList.add("d-none");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.querySelector("input[name=lat]").value = position.coords.latitude.toFixed(4);
        form.querySelector("input[name=lng]").value = position.coords.longitude.toFixed(4);
        form.requestSubmit();
      },
      function (error) {
        say(
          error.code === error.PERMISSION_DENIED
            ? message.dataset.refused
            : message.dataset.failed
        );
      },
      { timeout: 10000, maximumAge: 600000 }
    );
  });
})();
