// The live chat: ask for the events after the last one seen, every few seconds, and
// send messages without leaving the page. The server numbers events in commit order,
// so "everything after N" never skips or repeats one, even after a dropped
// connection. Without JavaScript the page is a plain form and a refresh link.
(function () {
  "use strict";
  var root = document.getElementById("live-chat");
  if (!root || !window.fetch) {
    return;
  }
  var eventsUrl = root.getAttribute("data-events-url");
  var after = parseInt(root.getAttribute("data-after"), 10) || 0;
  var pollMs = parseInt(root.getAttribute("data-poll-ms"), 10) || 1500;
  var lines = document.getElementById("chat-lines");
  var status = document.getElementById("chat-status");
  var pinned = document.getElementById("chat-pinned");
  var empty = root.querySelector(".chat-empty");
  var form = document.getElementById("chat-form");
  var refresh = document.getElementById("chat-refresh");
  var timer = null;
  var polling = false;
  // A tab in the background asks a few times less often, and at once when it is
  // shown again. A quiet chat is not slowed: a new message still arrives within
  // an interval.
  var HIDDEN_FACTOR = 4;

  function interval() {
    return document.hidden ? pollMs * HIDDEN_FACTOR : pollMs;
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      schedule(0);
    }
  });

  if (refresh) {
    refresh.hidden = true;
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function nearBottom() {
    return lines.scrollHeight - lines.scrollTop - lines.clientHeight < 80;
  }

  function apply(event) {
    var follow = nearBottom();
    var existing = event.post ? document.getElementById("chat-msg-" + event.post) : null;
    if (event.kind === "message" || event.kind === "removed") {
      var line = event.html ? fragment(event.html) : null;
      if (existing && line) {
        existing.replaceWith(line);
      } else if (existing) {
        existing.remove();
      } else if (line) {
        lines.appendChild(line);
      }
    } else if (event.html) {
      lines.appendChild(fragment(event.html));
    }
    if (empty) {
      empty.hidden = lines.children.length > 0;
    }
    if (follow) {
      lines.scrollTop = lines.scrollHeight;
    }
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, delay);
  }

  function poll() {
    if (polling) {
      return;
    }
    polling = true;
    fetch(eventsUrl + "?after=" + after, {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        data.events.forEach(apply);
        after = data.last;
        // The banner and the pin change only with an event; an empty answer has
        // neither.
        if (data.status !== undefined && status) {
          status.innerHTML = data.status;
        }
        if (data.pinned !== undefined && pinned) {
          pinned.innerHTML = data.pinned;
        }
        if (form && data.state && data.state.window === "ended") {
          form.hidden = true;
        }
        polling = false;
        schedule(data.more ? 0 : interval());
      })
      .catch(function () {
        // Keep the cursor: the next poll catches up from the last event seen.
        polling = false;
        schedule(interval() * 2);
      });
  }

  if (form) {
    var text = document.getElementById("chat-text");
    var error = document.getElementById("chat-error");
    var anyway = document.getElementById("chat-send-anyway");
    form.addEventListener("submit", function (submit) {
      submit.preventDefault();
      var data = new FormData(form);
      if (submit.submitter && submit.submitter.name === "post_anyway") {
        data.append("post_anyway", "1");
      }
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      })
        .then(function (response) {
          return response.json();
        })
        .then(function (answer) {
          if (answer.reload) {
            window.location.assign(answer.reload);
            return;
          }
          if (answer.error) {
            error.textContent = answer.error;
            anyway.hidden = !answer.rephrase;
            return;
          }
          error.textContent = "";
          anyway.hidden = true;
          text.value = "";
          schedule(0);
        })
        .catch(function () {
          error.textContent = form.getAttribute("data-offline") || "";
        });
    });
  }

  schedule(interval());
})();
