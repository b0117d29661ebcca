/* ---- tracking adapter: web (no LMS) ----
   The course as a website: there is no LMS to find, so the core keeps progress, answers
   and the bookmark in this browser's localStorage, exactly as a SCORM package does when
   it is opened without an LMS. */

function tracker() {
  return { name: "web", open: false, mode: "normal", learner: "", mastery: null,
    start: function () { return false; } };
}
