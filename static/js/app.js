// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so screen reader users hear it first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  // Disable a form's submit buttons once it is sent, to avoid double submission.
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
});

// A filter box above long checkbox lists marked data-filterable (for example a
// goal's community opportunities): typing hides the options that do not match.
// Without this script every option is simply listed.
document.addEventListener("DOMContentLoaded", function () {
  var done = {};
  document.querySelectorAll("input[type=checkbox][data-filterable]").forEach(function (input) {
    var name = input.getAttribute("data-filterable");
    if (done[name]) { return; }
    done[name] = true;
    var group = document.getElementById("div_id_" + name) || input.closest("fieldset");
    if (!group) { return; }
    var options = group.querySelectorAll(".form-check");
    if (options.length < 8) { return; }
    var wrapper = document.createElement("div");
    wrapper.className = "mb-2";
    var label = document.createElement("label");
    label.className = "form-label";
    label.setAttribute("for", "filter_" + name);
    label.textContent = "Filter the list";
    var box = document.createElement("input");
    box.type = "search";
    box.id = "filter_" + name;
    box.className = "form-control";
    box.setAttribute("autocomplete", "off");
    var status = document.createElement("p");
    status.className = "small mb-0";
    status.setAttribute("aria-live", "polite");
    wrapper.appendChild(label);
    wrapper.appendChild(box);
    wrapper.appendChild(status);
    options[0].parentNode.insertBefore(wrapper, options[0]);
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (option) {
        var text = option.textContent.toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        var checked = option.querySelector("input:checked");
        option.hidden = !(match || checked);
        if (!option.hidden) { shown += 1; }
      });
      status.textContent = words.length ? shown + " of " + options.length + " shown" : "";
    });
  });
});
