// The status page's only script besides htmx, which refreshes #content: it says when a refresh
// failed (the collector is down, or the key was revoked) and clears that once one succeeds.
(function () {
  'use strict';
  function say(text) {
    var status = document.getElementById('refresh-status');
    if (status) {
      status.textContent = text;
    }
  }
  document.addEventListener('htmx:responseError', function (e) {
    var code = e.detail.xhr.status;
    say('Refresh failed (HTTP ' + code + ')' + (code === 401 ? ': reload the page to enter a key.' : '; retrying.'));
  });
  document.addEventListener('htmx:sendError', function () {
    say('The collector did not answer; retrying.');
  });
  document.addEventListener('htmx:afterSwap', function () {
    say('');
  });
})();
