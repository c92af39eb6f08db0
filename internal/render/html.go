package render

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"
)

// WriteHTML writes m as one self-contained HTML page: the map drawn as in
// WriteSVG, inline, with a little script and nothing fetched from
// anywhere. Hovering over a point names its word; the mouse wheel zooms
// (labels keep their size, and more of them appear as room opens up),
// dragging pans, and a box finds a word and centres the map on it.
func WriteHTML(w io.Writer, m Map) error {
	if err := m.check(); err != nil {
		return err
	}
	f, err := goFont()
	if err != nil {
		return err
	}
	// The labels are laid out at each of these zooms: a label appears once
	// the map is zoomed in as far as the first at which it fits.
	zoomLevels := [...]float64{1, 2, 4, 8, 16, 32, 64}
	n := len(m.Words)
	level := make([]int, n)
	sides := make([]side, n)
	var ps []placed
	for i := range level {
		level[i] = -1
	}
	for l, z := range zoomLevels {
		at := m.layout(f, z)
		if l == 0 {
			ps = at
		}
		for i, p := range at {
			if level[i] < 0 && p.side != none {
				level[i], sides[i] = l, p.side
			}
		}
	}
	type data struct {
		Words  []string  `json:"w"`
		X      []float64 `json:"x"`
		Y      []float64 `json:"y"`
		Width  []float64 `json:"lw"`
		Zoom   []float64 `json:"z"` // the zoom at which the label appears; 0: never
		Side   []side    `json:"s"`
		Color  []string  `json:"c"`
		Ink    []string  `json:"i"`
		Radius float64   `json:"r"`
		Font   float64   `json:"f"`
	}
	d := data{Words: m.Words, Radius: radius, Font: fontSize}
	for i, p := range ps {
		d.X = append(d.X, round1(p.x))
		d.Y = append(d.Y, round1(p.y))
		d.Width = append(d.Width, round1(p.width))
		z := 0.0
		if level[i] >= 0 {
			z = zoomLevels[level[i]]
		}
		d.Zoom = append(d.Zoom, z)
		d.Side = append(d.Side, sides[i])
		r, g, b := m.colorOf(i)
		d.Color = append(d.Color, fmt.Sprintf("#%02x%02x%02x", r, g, b))
		ink := "#222"
		if m.Class != nil {
			ink = fmt.Sprintf("#%02x%02x%02x", r/2, g/2, b/2)
		}
		d.Ink = append(d.Ink, ink)
	}
	js, err := json.Marshal(d) // escapes <, > and &: safe inside <script>
	if err != nil {
		return fmt.Errorf("render: html: %w", err)
	}
	bw := bufio.NewWriter(w)
	title := html.EscapeString(m.Caption)
	page := strings.NewReplacer(
		"{{title}}", title,
		"{{width}}", fmt.Sprint(width), "{{height}}", fmt.Sprint(height),
		"{{font}}", fontFamily, "{{top}}", fmt.Sprint(top), "{{vbh}}", fmt.Sprint(height-top),
	).Replace(htmlPage)
	head, tail, _ := strings.Cut(page, "{{data}}")
	bw.WriteString(head)
	bw.Write(js)
	bw.WriteString(tail)
	return bw.Flush()
}

func round1(x float64) float64 { return float64(int64(x*10+0.5)) / 10 }

// htmlPage is the page; the script draws the points and labels from the
// data, and redraws them on every zoom and pan.
const htmlPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{title}}</title>
<style>
body { margin: 0; font-family: {{font}}; background: #fff; }
#bar { padding: 6px 10px; font-size: 14px; border-bottom: 1px solid #ddd; }
#bar input { font: inherit; width: 14em; }
#bar span { color: #666; margin-left: 1em; }
svg { display: block; cursor: grab; user-select: none; }
#tip { pointer-events: none; }
</style></head>
<body>
<div id="bar">{{title}} <input id="find" placeholder="find a word" autocomplete="off"><span id="msg">wheel: zoom · drag: pan · double-click: reset</span></div>
<svg id="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 {{top}} {{width}} {{vbh}}" width="{{width}}" height="{{vbh}}" font-family="{{font}}">
<rect x="-100000" y="-100000" width="200000" height="200000" fill="white"/>
<g id="pts"></g><g id="labs"></g><circle id="ring" r="7" fill="none" stroke="red" stroke-width="2" visibility="hidden"/>
<g id="tip" visibility="hidden"><rect fill="#ffe" stroke="#999"/><text></text></g>
</svg>
<script>
"use strict";
const D = {{data}};
const NS = "http://www.w3.org/2000/svg";
const svg = document.getElementById("map"), pts = document.getElementById("pts"), labs = document.getElementById("labs");
const ring = document.getElementById("ring"), tip = document.getElementById("tip"), msg = document.getElementById("msg");
const n = D.w.length;
let z = 1, tx = 0, ty = 0, found = -1;
const circles = [];
for (let i = 0; i < n; i++) {
  const c = document.createElementNS(NS, "circle");
  c.setAttribute("fill", D.c[i]);
  c.dataset.i = i;
  pts.appendChild(c);
  circles.push(c);
}
function sx(i) { return D.x[i] * z + tx; }
function sy(i) { return D.y[i] * z + ty; }
function draw() {
  const vb = svg.viewBox.baseVal;
  for (let i = 0; i < n; i++) {
    const c = circles[i];
    c.setAttribute("cx", sx(i).toFixed(1));
    c.setAttribute("cy", sy(i).toFixed(1));
    c.setAttribute("r", D.z[i] > 0 && D.z[i] <= z ? D.r : D.r * 0.7);
  }
  labs.textContent = "";
  const f = D.f, gap = 0.45 * f, h = 1.15 * f;
  for (let i = 0; i < n; i++) {
    if (!(D.z[i] > 0 && D.z[i] <= z)) continue;
    const x = sx(i), y = sy(i);
    if (x < vb.x - 200 || x > vb.x + vb.width + 200 || y < vb.y - 50 || y > vb.y + vb.height + 50) continue;
    const w = D.lw[i];
    let x0 = x + gap, y1 = y + h / 2;
    if (D.s[i] === 2) x0 = x - gap - w;
    if (D.s[i] === 3) { x0 = x - w / 2; y1 = y - gap; }
    if (D.s[i] === 4) { x0 = x - w / 2; y1 = y + gap + h; }
    if (D.s[i] === 5) { x0 = x + gap / 2; y1 = y - gap / 2; }
    if (D.s[i] === 6) { x0 = x + gap / 2; y1 = y + gap / 2 + h; }
    if (D.s[i] === 7) { x0 = x - gap / 2 - w; y1 = y - gap / 2; }
    if (D.s[i] === 8) { x0 = x - gap / 2 - w; y1 = y + gap / 2 + h; }
    const t = document.createElementNS(NS, "text");
    t.setAttribute("x", x0.toFixed(1));
    t.setAttribute("y", (y1 - 0.3 * f).toFixed(1));
    t.setAttribute("font-size", f);
    t.setAttribute("fill", D.i[i]);
    t.textContent = D.w[i];
    labs.appendChild(t);
  }
  if (found >= 0) {
    ring.setAttribute("cx", sx(found));
    ring.setAttribute("cy", sy(found));
    ring.setAttribute("visibility", "visible");
  } else {
    ring.setAttribute("visibility", "hidden");
  }
}
function point(ev) {
  const p = svg.createSVGPoint();
  p.x = ev.clientX; p.y = ev.clientY;
  return p.matrixTransform(svg.getScreenCTM().inverse());
}
svg.addEventListener("wheel", ev => {
  ev.preventDefault();
  const p = point(ev), k = Math.exp(-ev.deltaY * 0.002);
  const nz = Math.min(256, Math.max(0.5, z * k));
  tx = p.x - (p.x - tx) * nz / z;
  ty = p.y - (p.y - ty) * nz / z;
  z = nz;
  draw();
}, { passive: false });
let drag = null;
svg.addEventListener("mousedown", ev => { drag = { p: point(ev), tx, ty }; svg.style.cursor = "grabbing"; });
window.addEventListener("mouseup", () => { drag = null; svg.style.cursor = ""; });
svg.addEventListener("mousemove", ev => {
  if (drag) {
    const p = point(ev);
    tx = drag.tx + p.x - drag.p.x;
    ty = drag.ty + p.y - drag.p.y;
    draw();
  }
});
svg.addEventListener("dblclick", () => { z = 1; tx = 0; ty = 0; draw(); });
pts.addEventListener("mouseover", ev => {
  const i = ev.target.dataset && ev.target.dataset.i;
  if (i === undefined) return;
  const t = tip.querySelector("text"), r = tip.querySelector("rect");
  t.textContent = D.w[i];
  t.setAttribute("x", sx(i) + 8);
  t.setAttribute("y", sy(i) - 8);
  t.setAttribute("font-size", 13);
  tip.setAttribute("visibility", "visible");
  const b = t.getBBox();
  r.setAttribute("x", b.x - 3); r.setAttribute("y", b.y - 2);
  r.setAttribute("width", b.width + 6); r.setAttribute("height", b.height + 4);
});
pts.addEventListener("mouseout", () => tip.setAttribute("visibility", "hidden"));
document.getElementById("find").addEventListener("input", ev => {
  const q = ev.target.value.trim().toLowerCase();
  found = -1;
  if (q !== "") {
    found = D.w.findIndex(w => w.toLowerCase() === q);
    if (found < 0) found = D.w.findIndex(w => w.toLowerCase().startsWith(q));
  }
  if (found >= 0) {
    const vb = svg.viewBox.baseVal;
    z = Math.max(z, 4);
    tx = vb.x + vb.width / 2 - D.x[found] * z;
    ty = vb.y + vb.height / 2 - D.y[found] * z;
    msg.textContent = D.w[found];
  } else {
    msg.textContent = q === "" ? "" : "not on the map";
  }
  draw();
});
draw();
</script>
</body></html>
`
