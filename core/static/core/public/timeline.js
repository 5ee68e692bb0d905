// Draws the page's time axis with vis-timeline from the JSON items the page carries
// (events/exports.py axis_item). Without JavaScript the list below stands alone.
(function () {
  "use strict";

  var DAY = 24 * 60 * 60 * 1000;

  function day(iso) {
    return iso ? new Date(iso + "T00:00:00Z") : null;
  }

  function afterLastDay(iso) {
    return new Date(day(iso).getTime() + DAY);
  }

  function content(item) {
    var span = document.createElement("span");
    span.textContent = item.title;
    return span;
  }

  // One event as a vis-timeline item: a point for a known day, a faint band over the days a
  // single day may be, a solid bar for a span; open ends fade out, unknown ends are marked.
  function toVis(item, today) {
    var classes = ["shape-" + item.shape, "kind-" + item.kind.toLowerCase(), "status-" + item.status.toLowerCase()];
    var vis = { id: item.id, content: content(item), title: item.display + " — " + item.description };
    if (item.shape === "point") {
      vis.type = "point";
      vis.start = day(item.start);
    } else {
      vis.type = "range";
      var start = day(item.start);
      var end = item.end ? afterLastDay(item.end) : null;
      if (!end) {
        end = item.endState === "open" ? new Date(Math.max(today.getTime(), start.getTime() + 30 * DAY)) : new Date(start.getTime() + 180 * DAY);
        classes.push("end-" + item.endState);
      }
      if (!start) {
        start = new Date(end.getTime() - 365 * DAY);
        classes.push("start-" + item.startState);
      }
      vis.start = start;
      vis.end = end;
    }
    vis.className = classes.join(" ");
    return vis;
  }

  function openInList(id) {
    var row = document.getElementById("event-" + id);
    if (!row) {
      return;
    }
    var details = row.querySelector("details");
    if (details) {
      details.open = true;
    }
    row.scrollIntoView({ behavior: "smooth", block: "center" });
    var summary = row.querySelector("summary");
    if (summary) {
      summary.focus({ preventScroll: true });
    }
  }

  function draw() {
    var container = document.getElementById("axis");
    var data = document.getElementById("axis-items");
    if (!container || !data || typeof vis === "undefined") {
      return;
    }
    var items = JSON.parse(data.textContent);
    if (!items.length) {
      container.classList.add("axis-empty");
      return;
    }
    var today = new Date();
    var visItems = items.map(function (item) { return toVis(item, today); });
    // A record page's overview (events/overview.py): every year of the whole record as a faint
    // band, so the axis spans all of it, not only the events listed on the page.
    var overviewData = document.getElementById("axis-overview");
    var overview = overviewData ? JSON.parse(overviewData.textContent) : [];
    overview.forEach(function (band) {
      var label = document.createElement("span");
      label.textContent = band.label;
      visItems.push({
        id: band.id, type: "background", content: label, title: band.label,
        start: day(band.start), end: afterLastDay(band.end),
        className: "overview level-" + band.level
      });
    });
    // Shown before drawing: vis-timeline measures its container as it builds.
    container.classList.add("axis-drawn");
    var timeline = new vis.Timeline(container, new vis.DataSet(visItems), {
      stack: true,
      zoomKey: "ctrlKey",
      maxHeight: 460,
      margin: { item: { horizontal: 4, vertical: 6 } },
      showCurrentTime: false,
      selectable: true,
      tooltip: { followMouse: true },
      xss: { disabled: false }
    });
    // Fit every item with a margin, so those at the edges are not cut.
    function fitAll() {
      var range = timeline.getItemRange();
      if (overview.length) {  // the whole record, whatever vis-timeline counts as an item
        var first = day(overview[0].start), last = afterLastDay(overview[overview.length - 1].end);
        range = { min: first < range.min ? first : range.min, max: last > range.max ? last : range.max };
      }
      var pad = Math.max((range.max - range.min) * 0.06, 20 * DAY);
      timeline.setWindow(new Date(range.min.getTime() - pad), new Date(range.max.getTime() + pad), { animation: false });
    }
    fitAll();
    timeline.on("select", function (properties) {
      if (properties.items.length) {
        openInList(properties.items[0]);
      }
    });
    // The legend and the zoom buttons describe the axis: shown once there is one.
    var head = document.querySelector(".axis-head");
    if (head) {
      head.hidden = false;
    }
    var controls = document.querySelector(".axis-controls");
    if (controls) {
      controls.hidden = false;
      controls.addEventListener("click", function (event) {
        var action = event.target.getAttribute("data-axis");
        if (action === "zoom-in") {
          timeline.zoomIn(0.5);
        } else if (action === "zoom-out") {
          timeline.zoomOut(0.5);
        } else if (action === "fit") {
          fitAll();
        }
      });
    }
    // Keyboard: tabbing through the list below selects and brings into view each event on the axis.
    var list = document.getElementById("event-list");
    if (list) {
      list.addEventListener("focusin", function (event) {
        var row = event.target.closest("li.event");
        var id = row && row.id.replace(/^event-/, "");
        if (id && timeline.itemsData.get(id)) {
          timeline.setSelection([id], { focus: true, animation: { duration: 300 } });
        }
      });
    }
    window.chanceryTimeline = timeline;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
