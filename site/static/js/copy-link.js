// "Copy" buttons beside read-only link fields: <button data-copy="field-id" hidden>.
// Without JavaScript the buttons stay hidden and the page says to select and copy
// the link by hand; the field is read-only so selecting it is easy.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-copy]");
  buttons.forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field) {
      return;
    }
    var say = function (text) {
      if (status) {
        status.textContent = text;
      }
    };
    button.hidden = false;
    button.addEventListener("click", function () {
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { say(button.getAttribute("data-copied")); },
          function () { say(button.getAttribute("data-copy-failed")); }
        );
      } else {
        say(button.getAttribute("data-copy-failed"));
      }
    });
  });
})();
