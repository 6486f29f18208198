// Kizashi pages: a highlighted flow opens its ledger entry; charts are drawn from the
// figure JSON the server put in data attributes (no inline script, no CDN).
"use strict";

function openFlow(event) {
  if (event.target.closest("a")) return; // the ↗ link works on its own
  const mark = event.target.closest("mark.flow[data-href]");
  if (mark) window.location.assign(mark.dataset.href);
}

document.addEventListener("click", openFlow);
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.target.closest) openFlow(event);
});

window.addEventListener("DOMContentLoaded", () => {
  if (!window.Plotly) return;
  for (const el of document.querySelectorAll(".chart[data-figure]")) {
    const figure = JSON.parse(el.dataset.figure);
    window.Plotly.newPlot(el, figure.data, figure.layout, {responsive: true, displaylogo: false});
  }
});
