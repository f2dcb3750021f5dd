// A filter box over each list of checkboxes (the issue form's metrics and entities).
// Without JavaScript the box stays hidden and every choice is listed; ticked choices stay
// visible whatever is typed, so a filter never hides what will be posted.
"use strict";
document.querySelectorAll("[data-picklist]").forEach(function (list) {
  var box = list.querySelector("input[type=search]");
  var count = list.querySelector(".count");
  var choices = Array.prototype.slice.call(list.querySelectorAll("label.choice"));
  function update() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    var ticked = 0;
    choices.forEach(function (choice) {
      var on = choice.querySelector("input").checked;
      var text = choice.textContent.toLowerCase();
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      choice.hidden = !(hit || on);
      shown += choice.hidden ? 0 : 1;
      ticked += on ? 1 : 0;
    });
    // The sentence comes from the page, in its language (data-shown, #19).
    var sentence = count.getAttribute("data-shown") || "{shown} of {total} shown, {ticked} ticked";
    count.textContent = sentence.replace("{shown}", shown).replace("{total}", choices.length)
      .replace("{ticked}", ticked);
  }
  box.hidden = false;
  box.addEventListener("input", update);
  list.addEventListener("change", update);
  update();
});
