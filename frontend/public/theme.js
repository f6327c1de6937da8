// Sets the `dark` class before the app loads, so the first paint has the
// right colours: the saved choice ("light" or "dark") or else the system's.
(function () {
  var saved;
  try {
    saved = localStorage.getItem("taskspin-theme");
  } catch {
    saved = null;
  }
  var dark = saved ? saved === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.classList.toggle("dark", dark);
})();
