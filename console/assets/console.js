// dirsyncd console: progressive enhancement only. Every page works without this script; with it,
// destructive forms ask in a dialog instead of on a page of their own, and filters apply when changed.
"use strict";

document.addEventListener("submit", (event) => {
    const form = event.target;
    const question = form.getAttribute("data-confirm");
    if (!question || form.querySelector("input[name=confirm]")) return;
    if (!window.confirm(question)) {
        event.preventDefault();
        return;
    }
    const confirmed = document.createElement("input");
    confirmed.type = "hidden";
    confirmed.name = "confirm";
    confirmed.value = "yes";
    form.appendChild(confirmed);
});

document.addEventListener("change", (event) => {
    const control = event.target;
    if (control.matches && control.matches("select[data-autosubmit]") && control.form) control.form.requestSubmit();
});
