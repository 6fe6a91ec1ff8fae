/* The customer picker under the «Почему» explorer (analysis/report/customer_picker.py). The slider
   and the id box set the chart's Vega signal (the chosen customer's place by risk), and only
   to a place that exists: an id that is not a customer's — a prefix while it is typed, an
   unknown or an excluded id — leaves the chart as it was and is explained under the box.
   The chart is drawn by the page header (assets/charts-header.html), which announces every
   drawing with the "oneclick:chart-drawn" event; the picker then re-applies its choice, so a
   redrawing (a phone turned sideways) keeps the chosen customer. #customer=ID in the address
   chooses that customer. */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function start(root) {
    var config = JSON.parse(root.querySelector("script.picker-config").textContent);
    var chart = root.querySelector(".oneclick-chart");
    var slider = root.querySelector("input[type=range]"), box = root.querySelector("input[type=search]");
    var placeText = root.querySelector(".picker-place"), status = root.querySelector(".picker-status");
    var placeOf = Object.create(null);
    config.ids.forEach(function (id, index) { placeOf[String(id)] = index + 1; });
    var place = Number(slider.value);

    function show(newPlace) {
      place = newPlace;
      slider.value = String(place);
      placeText.textContent = String(place);
      root.setAttribute("data-customer", String(config.ids[place - 1]));
      if (chart.oneclickView) chart.oneclickView.signal(config.signal, place).runAsync();
    }

    /* Show the customer with id `text`, or say why not and leave the chart alone. */
    function lookUp(text) {
      var typed = text.trim();
      if (!typed) { status.textContent = ""; return; }
      if (typed in placeOf) {
        status.textContent = "";
        show(placeOf[typed]);
      } else if (Object.prototype.hasOwnProperty.call(config.excluded, typed)) {
        status.textContent = fill(config.messages.excluded, {id: typed, reason: config.excluded[typed]});
      } else {
        status.textContent = fill(config.messages.not_found, {id: typed});
      }
    }

    function fromAddress() {
      var match = /^#customer=([^&]*)/.exec(window.location.hash);
      if (!match) return false;
      box.value = decodeURIComponent(match[1]);
      lookUp(box.value);
      root.scrollIntoView({block: "start"});
      return true;
    }

    slider.addEventListener("input", function () {
      box.value = "";
      status.textContent = "";
      show(Number(slider.value));
    });
    box.addEventListener("input", function () { lookUp(box.value); });
    var firstDrawing = true;
    chart.addEventListener("oneclick:chart-drawn", function () {
      show(place);
      // The drawing moved the page: bring a customer chosen by the address back into view.
      if (firstDrawing && /^#customer=/.test(window.location.hash)) root.scrollIntoView({block: "start"});
      firstDrawing = false;
    });
    window.addEventListener("hashchange", fromAddress);
    show(place);
    fromAddress();
  }

  document.querySelectorAll(".customer-picker:not([data-started])").forEach(function (root) {
    root.setAttribute("data-started", "");
    start(root);
  });
})();
