// wiredesk map page. Plain browser JavaScript, no build step.
//
// Everything that comes from the API (article text, titles, names) is untrusted: the DOM is
// built with createElement and textContent only, never from HTML strings.
(function () {
  "use strict";

  var TYPES = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
  ];
  var COLORS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#1f77b4",
  };
  var PAGE = 500; // events a request
  var MAX_EVENTS = 5000; // events on the map at once; narrow the filters for more
  var LIST_MAX = 300; // rows in the list of events in view
  var DAY = 86400000;

  var state = {
    features: [], // GeoJSON features of the loaded events (the API's records as properties)
    visible: [], // those inside the brushed dates
    withoutCoordinates: 0,
    truncated: false,
    brush: null, // [from, to] in ms, inclusive days
    timeline: null,
    token: window.sessionStorage.getItem("wiredesk-token") || "",
    loading: 0,
  };

  // --- small DOM helpers: text only ---

  function el(tag, options, children) {
    var node = document.createElement(tag);
    options = options || {};
    if (options.className) node.className = options.className;
    if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
    if (options.title) node.title = options.title;
    if (options.attrs) {
      Object.keys(options.attrs).forEach(function (name) {
        node.setAttribute(name, options.attrs[name]);
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function svgEl(tag, attrs) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function setStatus(message) {
    document.getElementById("status").textContent = message;
  }

  function color(type) {
    return COLORS[type] || "#777";
  }

  // --- the API ---

  function api(path, params) {
    var url = path + (params ? "?" + params.toString() : "");
    var headers = { Accept: "application/json" };
    if (state.token) headers.Authorization = "Bearer " + state.token;
    return fetch(url, { headers: headers }).then(function (response) {
      if (response.status === 401) {
        document.getElementById("token-form").hidden = false;
        throw new Error("this server needs a read token");
      }
      return response.json().then(function (body) {
        if (!response.ok) {
          var message = body && body.error ? body.error.message : response.statusText;
          throw new Error(message);
        }
        return body;
      });
    });
  }

  // --- the map ---

  var map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 14, zoomSnap: 0.5 });
  map.setView([20, 15], 2);
  map.attributionControl.setPrefix(false);
  map.createPane("basemap");
  map.getPane("basemap").style.zIndex = 200;

  var clusters = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 40,
    chunkedLoading: true,
    spiderfyOnMaxZoom: true,
  });
  map.addLayer(clusters);

  fetch("vendor/world-atlas/countries-50m.json")
    .then(function (response) {
      if (!response.ok) throw new Error("basemap: " + response.status);
      return response.json();
    })
    .then(function (topo) {
      var countries = topojson.feature(topo, topo.objects.countries);
      L.geoJSON(countries, {
        pane: "basemap",
        interactive: false,
        attribution: "Countries: Natural Earth",
        style: { color: "#9aa3ad", weight: 0.6, fillColor: "#f2efe6", fillOpacity: 1 },
      }).addTo(map);
    })
    .catch(function (error) {
      setStatus("The basemap did not load (" + error.message + ").");
    });

  var legend = L.control({ position: "bottomleft" });
  legend.onAdd = function () {
    var box = el("div", { className: "legend" });
    TYPES.forEach(function (type) {
      var swatch = el("i");
      swatch.style.background = color(type);
      box.appendChild(el("div", {}, [swatch, type]));
    });
    return box;
  };
  legend.addTo(map);

  function tooltipFor(record) {
    return function () {
      var where = record.location && record.location.name ? record.location.name : "unknown place";
      return el("div", {}, [
        el("strong", { text: record.sub_event_type }),
        el("br"),
        (record.date || "undated") + " · " + where,
      ]);
    };
  }

  function inBrush(feature) {
    if (!state.brush) return true;
    var day = feature.properties.date;
    if (!day) return false;
    var time = Date.parse(day);
    return time >= state.brush[0] && time <= state.brush[1];
  }

  function render() {
    clusters.clearLayers();
    state.visible = state.features.filter(inBrush);
    var markers = state.visible.map(function (feature) {
      var record = feature.properties;
      var point = feature.geometry.coordinates;
      var marker = L.circleMarker([point[1], point[0]], {
        radius: 7,
        weight: 1,
        color: "#1d232b",
        fillColor: color(record.event_type),
        fillOpacity: 0.9,
        className: "event-marker",
      });
      marker.bindTooltip(tooltipFor(record));
      marker.on("click", function () {
        openEvent(record.id);
      });
      return marker;
    });
    clusters.addLayers(markers);
    var parts = [state.visible.length + " events on the map"];
    if (state.brush) parts.push("in the selected dates");
    if (state.withoutCoordinates) {
      parts.push("(" + state.withoutCoordinates + " without coordinates are not shown)");
    }
    if (state.truncated) parts.push("— the first " + MAX_EVENTS + "; narrow the filters for the rest");
    setStatus(parts.join(" "));
    updateList();
    shadeTimeline();
  }

  // --- the list of events in view ---

  function updateList() {
    var bounds = map.getBounds();
    var inView = state.visible.filter(function (feature) {
      var point = feature.geometry.coordinates;
      return bounds.contains(L.latLng(point[1], point[0]));
    });
    inView.sort(function (a, b) {
      return (b.properties.date || "").localeCompare(a.properties.date || "");
    });
    var list = document.getElementById("event-list");
    clear(list);
    document.getElementById("list-title").textContent = "Events in view (" + inView.length + ")";
    inView.slice(0, LIST_MAX).forEach(function (feature) {
      var record = feature.properties;
      var swatch = el("span", { className: "swatch" });
      swatch.style.background = color(record.event_type);
      var place = [record.location.name, record.location.country].filter(Boolean).join(", ");
      var item = el("li", { attrs: { tabindex: "0", "data-id": record.id } }, [
        swatch,
        el("span", { className: "what", text: record.sub_event_type + (record.background ? " (background)" : "") }),
        el("span", {
          className: "where",
          text: (record.date || "undated") + " · " + (place || "unknown place") +
            (record.fatalities !== null ? " · " + record.fatalities + " killed" : ""),
        }),
      ]);
      item.addEventListener("click", function () {
        openEvent(record.id);
      });
      item.addEventListener("keydown", function (event) {
        if (event.key === "Enter") openEvent(record.id);
      });
      list.appendChild(item);
    });
    if (inView.length > LIST_MAX) {
      list.appendChild(el("li", { className: "more", text: (inView.length - LIST_MAX) + " more: zoom in" }));
    }
  }

  map.on("moveend", updateList);

  // --- filters ---

  var form = document.getElementById("filters");
  var typeSelect = document.getElementById("f-type");
  TYPES.forEach(function (type) {
    typeSelect.appendChild(el("option", { text: type, attrs: { value: type } }));
  });

  function countryName(code) {
    try {
      return new Intl.DisplayNames(["en"], { type: "region" }).of(code) || code;
    } catch (error) {
      return code;
    }
  }

  function loadCountries() {
    return api("stats").then(function (stats) {
      var select = document.getElementById("f-country");
      var codes = Object.keys(stats.by_country).filter(Boolean);
      codes.sort(function (a, b) {
        return countryName(a).localeCompare(countryName(b));
      });
      codes.forEach(function (code) {
        var label = countryName(code) + " (" + stats.by_country[code] + ")";
        select.appendChild(el("option", { text: label, attrs: { value: code } }));
      });
    });
  }

  function query() {
    var params = new URLSearchParams();
    var data = new FormData(form);
    ["type", "country", "actor", "q"].forEach(function (name) {
      var value = (data.get(name) || "").trim();
      if (value) params.set(name, value);
    });
    if (data.get("conflicts")) params.set("conflicts", "true");
    if (!data.get("background")) params.set("background", "false");
    return params;
  }

  function load() {
    var ticket = ++state.loading;
    setStatus("Loading events…");
    var features = [];
    var withoutCoordinates = 0;

    function page(cursor) {
      var params = query();
      params.set("format", "geojson");
      params.set("limit", String(PAGE));
      if (cursor) params.set("cursor", cursor);
      return api("events", params).then(function (collection) {
        if (ticket !== state.loading) return null; // a newer load started
        Array.prototype.push.apply(features, collection.features);
        withoutCoordinates += collection.properties.without_coordinates;
        if (collection.next_cursor && features.length < MAX_EVENTS) return page(collection.next_cursor);
        return collection.next_cursor;
      });
    }

    return page(null)
      .then(function (rest) {
        if (ticket !== state.loading) return;
        state.features = features;
        state.withoutCoordinates = withoutCoordinates;
        state.truncated = Boolean(rest);
        state.brush = null;
        drawTimeline();
        render();
        document.body.setAttribute("data-loaded", String(ticket));
      })
      .catch(function (error) {
        setStatus("Could not load events: " + error.message);
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load();
  });
  form.addEventListener("reset", function () {
    window.setTimeout(load, 0);
  });

  document.getElementById("token-form").addEventListener("submit", function (event) {
    event.preventDefault();
    state.token = document.getElementById("token").value;
    window.sessionStorage.setItem("wiredesk-token", state.token);
    document.getElementById("token-form").hidden = true;
    loadCountries().catch(function () {});
    load();
  });

  // --- the timeline: a histogram of events per bin; drag across it to pick dates ---

  var svg = document.getElementById("timeline");

  function drawTimeline() {
    clear(svg);
    var width = svg.clientWidth || 600;
    var height = svg.clientHeight || 90;
    var axis = 14;
    var times = state.features
      .map(function (f) { return f.properties.date ? Date.parse(f.properties.date) : NaN; })
      .filter(function (t) { return !isNaN(t); });
    if (!times.length) {
      state.timeline = null;
      var empty = svgEl("text", { x: 8, y: height / 2, class: "axis" });
      empty.textContent = "No dated events.";
      svg.appendChild(empty);
      return;
    }
    var t0 = Math.min.apply(null, times);
    var t1 = Math.max.apply(null, times) + DAY;
    var days = Math.max(1, Math.round((t1 - t0) / DAY));
    var binDays = Math.max(1, Math.ceil(days / 120));
    if (binDays > 1 && binDays < 7) binDays = 7;
    var bins = Math.ceil(days / binDays);
    var counts = new Array(bins).fill(0);
    times.forEach(function (t) {
      counts[Math.min(bins - 1, Math.floor((t - t0) / DAY / binDays))] += 1;
    });
    var most = Math.max.apply(null, counts);
    var scale = function (t) { return ((t - t0) / (t1 - t0)) * width; };
    state.timeline = { t0: t0, t1: t1, width: width, binDays: binDays, bars: [] };
    counts.forEach(function (count, i) {
      if (!count) return;
      var start = t0 + i * binDays * DAY;
      var x = scale(start);
      var w = Math.max(1, scale(start + binDays * DAY) - x - 1);
      var h = Math.max(2, (count / most) * (height - axis - 4));
      var bar = svgEl("rect", { x: x, y: height - axis - h, width: w, height: h, class: "bar" });
      var title = svgEl("title");
      title.textContent = new Date(start).toISOString().slice(0, 10) + ": " + count + " events";
      bar.appendChild(title);
      bar.dataset.start = String(start);
      bar.dataset.end = String(start + binDays * DAY - 1);
      svg.appendChild(bar);
      state.timeline.bars.push(bar);
    });
    var ticks = Math.min(6, Math.max(2, Math.floor(width / 140)));
    for (var k = 0; k <= ticks; k++) {
      var t = t0 + ((t1 - t0) * k) / ticks;
      var label = svgEl("text", {
        x: Math.min(width - 58, Math.max(0, scale(t) - 28)),
        y: height - 2,
        class: "axis",
      });
      label.textContent = new Date(t).toISOString().slice(0, 10);
      svg.appendChild(label);
    }
    drawBrush();
  }

  function shadeTimeline() {
    if (!state.timeline) return;
    state.timeline.bars.forEach(function (bar) {
      var inside = !state.brush ||
        (Number(bar.dataset.end) >= state.brush[0] && Number(bar.dataset.start) <= state.brush[1]);
      bar.setAttribute("class", inside && state.brush ? "bar in" : "bar");
    });
  }

  var brushRect = null;

  function drawBrush(x0, x1) {
    if (brushRect && brushRect.parentNode) brushRect.parentNode.removeChild(brushRect);
    brushRect = null;
    var line = state.timeline;
    if (!line) return;
    if (x0 === undefined) {
      if (!state.brush) return;
      x0 = ((state.brush[0] - line.t0) / (line.t1 - line.t0)) * line.width;
      x1 = ((state.brush[1] - line.t0) / (line.t1 - line.t0)) * line.width;
    }
    brushRect = svgEl("rect", {
      x: Math.min(x0, x1), y: 0, width: Math.abs(x1 - x0), height: svg.clientHeight - 14, class: "brush",
    });
    svg.appendChild(brushRect);
  }

  function timeAt(x) {
    var line = state.timeline;
    return line.t0 + (Math.max(0, Math.min(line.width, x)) / line.width) * (line.t1 - line.t0);
  }

  function setBrush(from, to) {
    state.brush = from === null ? null : [Math.floor(from / DAY) * DAY, Math.floor(to / DAY) * DAY + DAY - 1];
    var label = document.getElementById("timeline-label");
    var clearButton = document.getElementById("brush-clear");
    if (state.brush) {
      label.textContent = "Showing " + new Date(state.brush[0]).toISOString().slice(0, 10) + " to " +
        new Date(state.brush[1]).toISOString().slice(0, 10) + ".";
      clearButton.hidden = false;
    } else {
      label.textContent = "Drag across the timeline to filter the map by date.";
      clearButton.hidden = true;
    }
    drawBrush();
    render();
  }

  var dragFrom = null;
  svg.addEventListener("pointerdown", function (event) {
    if (!state.timeline) return;
    dragFrom = event.offsetX;
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", function (event) {
    if (dragFrom === null) return;
    drawBrush(dragFrom, event.offsetX);
  });
  svg.addEventListener("pointerup", function (event) {
    if (dragFrom === null) return;
    var from = dragFrom;
    dragFrom = null;
    if (Math.abs(event.offsetX - from) < 3) {
      setBrush(null);
      return;
    }
    var a = timeAt(Math.min(from, event.offsetX));
    var b = timeAt(Math.max(from, event.offsetX));
    setBrush(a, b);
  });
  document.getElementById("brush-clear").addEventListener("click", function () {
    setBrush(null);
  });
  window.addEventListener("resize", function () {
    drawTimeline();
    shadeTimeline();
  });

  // --- the event panel ---

  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  var listView = document.getElementById("list-view");

  function closePanel() {
    panel.hidden = true;
    listView.hidden = false;
    if (window.location.hash) window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  document.getElementById("panel-close").addEventListener("click", closePanel);

  function row(label, value) {
    if (value === null || value === undefined || value === "") return null;
    var cell = el("td");
    if (typeof value === "string") cell.textContent = value;
    else cell.appendChild(value);
    return el("tr", {}, [el("th", { text: label }), cell]);
  }

  function describeDate(record) {
    if (!record.date) return "unknown";
    var text = record.date + (record.date_end && record.date_end !== record.date ? " to " + record.date_end : "");
    if (record.date_precision && record.date_precision !== "day") text += " (" + record.date_precision + ")";
    if (record.date_text) text += " — “" + record.date_text + "”";
    return text;
  }

  function describePlace(location) {
    var parts = [location.name, location.admin2, location.admin1, location.country].filter(Boolean);
    var text = parts.length ? parts.join(", ") : "unknown";
    if (location.lat !== null && location.lon !== null) {
      text += " (" + location.lat.toFixed(3) + ", " + location.lon.toFixed(3) + "; " + location.precision + ")";
    }
    return text;
  }

  function outletOf(documents, id) {
    var doc = documents[id];
    if (!doc) return id;
    return (doc.outlet || doc.title || id) + (doc.published ? " (" + doc.published + ")" : "");
  }

  function describeChange(entry, documents) {
    switch (entry.change) {
      case "field changed":
        return entry.field + ": " + (entry.old || "–") + " → " + (entry.new || "–");
      case "conflict":
        return "sources disagree on " + entry.field + ": " + (entry.new || "");
      case "source added":
      case "source removed":
        return entry.change + ": " + outletOf(documents, entry.new || entry.old || "");
      case "merged":
        return "merged with " + (entry.old || "another event");
      default:
        return entry.change;
    }
  }

  function openEvent(id) {
    panel.hidden = false;
    listView.hidden = true;
    clear(panelBody);
    panelBody.appendChild(el("p", { text: "Loading…" }));
    window.history.replaceState(null, "", "#event=" + encodeURIComponent(id));
    return api("events/" + encodeURIComponent(id))
      .then(function (record) {
        showEvent(record);
      })
      .catch(function (error) {
        clear(panelBody);
        panelBody.appendChild(el("p", { text: "Could not load the event: " + error.message }));
      });
  }

  function showEvent(record) {
    clear(panelBody);
    var documents = {};
    (record.documents || []).forEach(function (doc) {
      documents[doc.id] = doc;
    });
    panelBody.appendChild(el("h2", { text: record.sub_event_type }));
    panelBody.appendChild(el("p", {
      className: "subtitle",
      text: record.event_type + (record.background ? " · mentioned as background" : ""),
    }));

    var actors = el("ul", { className: "plain" });
    record.actors.forEach(function (actor) {
      actors.appendChild(el("li", {
        text: actor.role + ": " + actor.name + (actor.inter ? " [" + actor.inter + "]" : "") +
          (actor.claimed ? " (claimed)" : ""),
      }));
    });
    var weapons = record.weapons.map(function (w) {
      return [w.qualifier, w.count, w.model || w.name].filter(function (x) { return x !== null && x !== undefined; }).join(" ");
    }).join("; ");
    var fields = el("table", { className: "fields" }, [
      row("Date", describeDate(record)),
      row("Place", describePlace(record.location)),
      row("Actors", record.actors.length ? actors : "none named"),
      row("Weapons", weapons),
      row("Fatalities", record.fatalities === null ? "not stated" : String(record.fatalities)),
      row("Injuries", record.injuries === null ? "not stated" : String(record.injuries)),
      row("PLOVER", record.plover),
      row("Event id", record.id),
    ]);
    panelBody.appendChild(fields);

    var disagreeing = {}; // document id -> ["fatalities: 9", ...]
    if (record.conflicts && record.conflicts.length) {
      panelBody.appendChild(el("h3", { text: "Sources disagree" }));
      record.conflicts.forEach(function (conflict) {
        var box = el("div", { className: "conflict" }, [el("span", { className: "field", text: conflict.field })]);
        var list = el("ul", { className: "plain" });
        Object.keys(conflict.values).forEach(function (value) {
          var ids = conflict.values[value];
          list.appendChild(el("li", {
            text: value + " — " + ids.map(function (d) { return outletOf(documents, d); }).join(", "),
          }));
          ids.forEach(function (d) {
            (disagreeing[d] = disagreeing[d] || []).push(conflict.field + ": " + value);
          });
        });
        box.appendChild(list);
        panelBody.appendChild(box);
      });
    }

    panelBody.appendChild(el("h3", { text: "Sources (" + record.sources.length + ")" }));
    var sources = el("ul", { className: "sources" });
    record.sources.forEach(function (id) {
      var doc = documents[id] || { id: id };
      var item = el("li", {}, [
        el("strong", { text: doc.outlet || "unknown outlet" }),
        " · " + (doc.published || "undated") + (doc.title ? " · " : ""),
      ]);
      if (doc.title) {
        if (doc.url && /^https?:\/\//i.test(doc.url)) {
          var link = el("a", { text: doc.title, attrs: { href: doc.url, rel: "noopener noreferrer", target: "_blank" } });
          item.appendChild(link);
        } else {
          item.appendChild(document.createTextNode(doc.title));
        }
      }
      sources.appendChild(item);
    });
    panelBody.appendChild(sources);

    if (record.history && record.history.length) {
      panelBody.appendChild(el("h3", { text: "History" }));
      var history = el("ul", { className: "plain history" });
      record.history.forEach(function (entry) {
        history.appendChild(el("li", {
          text: String(entry.at || "").replace("T", " ").slice(0, 16) + " — " + describeChange(entry, documents),
        }));
      });
      panelBody.appendChild(history);
    }

    panelBody.appendChild(el("h3", { text: "Claims, source by source" }));
    var claims = el("div", { className: "claims" });
    record.sources.forEach(function (id) {
      var own = record.claims.filter(function (claim) { return claim.document === id; });
      var column = el("div", { className: "column" + (disagreeing[id] ? " disagrees" : "") }, [
        el("h4", { text: outletOf(documents, id) }),
      ]);
      if (disagreeing[id]) column.appendChild(el("p", { className: "says", text: "says " + disagreeing[id].join("; ") }));
      if (!own.length) column.appendChild(el("p", { className: "claim", text: "No attributed claims." }));
      own.forEach(function (claim) {
        column.appendChild(el("div", { className: "claim" }, [
          el("div", { className: "kind", text: claim.kind.replace("_", " ") + " · " + (claim.by || "unattributed") }),
          el("blockquote", { text: claim.text }),
        ]));
      });
      claims.appendChild(column);
    });
    panelBody.appendChild(claims);

    panelBody.appendChild(el("h3", { text: "Articles, with the evidence marked" }));
    record.sources.forEach(function (id, index) {
      var doc = documents[id] || { id: id };
      var details = el("details", { className: "doc", attrs: { "data-document": id } }, [
        el("summary", { text: (doc.outlet || id) + (doc.title ? ": " + doc.title : "") }),
      ]);
      var loaded = false;
      details.addEventListener("toggle", function () {
        if (!details.open || loaded) return;
        loaded = true;
        showArticle(details, id, record);
      });
      panelBody.appendChild(details);
      if (index === 0) details.open = true;
    });
  }

  function spansOf(record, documentId, length) {
    var seen = {};
    var spans = [];
    record.evidence.concat(record.claims.map(function (claim) {
      return { document: claim.document, start: claim.start, end: claim.end, field: "claim" };
    })).forEach(function (span) {
      if (span.document !== documentId) return;
      var start = Number(span.start);
      var end = Number(span.end);
      if (!(start >= 0 && end > start && end <= length)) return;
      var key = start + ":" + end;
      if (seen[key]) return;
      seen[key] = true;
      spans.push({ start: start, end: end, field: span.field || "evidence" });
    });
    spans.sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    return spans;
  }

  function marked(text, spans) {
    var fragment = document.createDocumentFragment();
    var cursor = 0;
    spans.forEach(function (span) {
      var start = Math.max(span.start, cursor);
      if (span.end <= start) return;
      if (start > cursor) fragment.appendChild(document.createTextNode(text.slice(cursor, start)));
      var field = String(span.field).replace(/[^a-z0-9_-]/gi, "");
      var mark = el("mark", { className: "evidence " + field, title: span.field, text: text.slice(start, span.end) });
      fragment.appendChild(mark);
      cursor = span.end;
    });
    if (cursor < text.length) fragment.appendChild(document.createTextNode(text.slice(cursor)));
    return fragment;
  }

  function showArticle(details, documentId, record) {
    var body = el("div", { className: "article", text: "Loading…" });
    details.appendChild(body);
    api("documents/" + encodeURIComponent(documentId))
      .then(function (doc) {
        clear(body);
        body.appendChild(marked(doc.text, spansOf(record, documentId, doc.text.length)));
      })
      .catch(function (error) {
        body.textContent = "Could not load the article: " + error.message;
      });
  }

  // --- start ---

  loadCountries().catch(function () {});
  load().then(function () {
    var match = /^#event=(.+)$/.exec(window.location.hash);
    if (match) openEvent(decodeURIComponent(match[1]));
  });
})();
