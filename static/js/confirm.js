/* A last question before a form is sent: a form or a submit button with
 * data-confirm-message="问题？" asks it, and nothing is sent unless confirmed.
 * (The Content-Security-Policy allows no onclick/onsubmit attributes.)
 */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm-message")) ||
      form.getAttribute("data-confirm-message");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
