"""The HTML packet's stylesheet, inlined into every packet (no external assets).

On screen the packet reads as a page of a web browser; in print (``@media print``) it is
condensed so that a deal of a few lines and findings fits one A4 or Letter page, and
meaning never rests on colour alone (borders differ in style as well as colour).
"""

CSS = """
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de;
  --blocked: #b42318; --approval: #9a6700; --pass: #1a7f37; --info: #0969da; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; margin: 0 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; border-bottom: 1px solid var(--line); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: .92em; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 .75rem; }
th, td { border: 1px solid var(--line); padding: .25rem .45rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
th { font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.packet-head { border-bottom: 3px double var(--ink); margin-bottom: 1.5rem; padding-bottom: .75rem; }
.deal { border-top: 2px solid var(--ink); padding-top: 1rem; margin-top: 2rem; }
.badge { display: inline-block; border: 2px solid currentColor; border-radius: 4px;
  padding: .05rem .5rem; font-weight: 700; letter-spacing: .03em; }
.verdict-pass { color: var(--pass); }
.verdict-needs-approval { color: var(--approval); }
.verdict-blocked, .verdict-error { color: var(--blocked); }
.finding { border: 1px solid var(--line); border-left-width: 6px; border-radius: 4px;
  padding: .5rem .75rem; margin: .5rem 0; break-inside: avoid; page-break-inside: avoid; }
.finding.sev-blocker { border-left-color: var(--blocked); border-left-style: solid; }
.finding.sev-approval { border-left-color: var(--approval); border-left-style: double; }
.finding.sev-warning { border-left-color: var(--info); border-left-style: dashed; }
.finding.sev-info { border-left-color: var(--muted); border-left-style: dotted; }
.finding .head { display: flex; flex-wrap: wrap; gap: .5rem; align-items: baseline; }
.finding .sev, .finding .status { font-weight: 700; font-size: .8rem; letter-spacing: .04em; }
.finding .status { border: 1px solid currentColor; border-radius: 3px; padding: 0 .3rem; }
.finding p { margin: .3rem 0; }
.muted { color: var(--muted); }
figure.waterfall { margin: .5rem 0 1rem; break-inside: avoid; page-break-inside: avoid; }
figure.waterfall .body { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: flex-start; }
figure.waterfall svg { flex: 1 1 20rem; max-width: 34rem; height: auto; display: block; }
figure.waterfall table.prices { flex: 0 0 auto; width: auto; margin: 0; }
figure.waterfall table.prices th { white-space: nowrap; font-weight: 500; }
figure.waterfall figcaption { font-weight: 600; margin-bottom: .25rem; }
.signoff td { height: 2.2rem; }
.signoff th + th { width: 22%; }
svg .bar { fill: #8c959f; stroke: #1b1f24; stroke-width: 1; }
svg .bar.net { fill: #57606a; }
svg .bar.below { fill: #ffffff; stroke: #b42318; stroke-width: 2; stroke-dasharray: 4 2; }
svg line.floor { stroke: #b42318; stroke-width: 1.5; }
svg line.cost { stroke: #1b1f24; stroke-width: 1.5; }
svg line.axis { stroke: #1b1f24; stroke-width: 1; }
svg text { font: 14px system-ui, sans-serif; fill: #1b1f24; }
svg text.mark { font-size: 13px; }
svg text.amount { font-weight: 600; }
svg text.warn { font-weight: 700; fill: #b42318; }
footer { margin-top: 2rem; border-top: 1px solid var(--line); padding-top: .5rem;
  color: var(--muted); font-size: .85rem; }
dl.terms { grid-template-columns: repeat(3, max-content 1fr); }
table.quote td, table.totals td { white-space: nowrap; }
table.totals { width: auto; }
.finding .evidence { font-size: .92em; }
.finding .related { font-style: italic; }
figure.waterfall .prices p { margin: .2rem 0 0; }
table.waterfall-compact { display: none; }
table.waterfall-compact .off { color: var(--muted); font-size: .9em; }
/* Printing: one A4 or Letter page for a deal of a few lines and findings; each deal
   starts a page, and neither the header nor the footer ever stands alone on one. */
@page { size: auto; margin: 7mm 10mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 7.5pt; line-height: 1.15; color: #000; }
  h1 { font-size: 12pt; margin: 0 0 2pt; }
  h2 { font-size: 10.5pt; margin: 0 0 2pt; }
  h3 { font-size: 8.5pt; margin: 3pt 0 1pt; }
  a { color: inherit; text-decoration: none; }
  .packet-head { margin-bottom: 4pt; padding-bottom: 2pt; border-bottom-width: 2px; }
  .packet-head dl.facts { display: block; }
  .packet-head dl.facts dt, .packet-head dl.facts dd { display: inline; }
  .packet-head dl.facts dt { margin-right: 3pt; }
  .packet-head dl.facts dd { margin-right: 8pt; }
  .packet-head dl.facts dd code { overflow-wrap: normal; }
  .deal > dl.facts { grid-template-columns: repeat(2, max-content 1fr); }
  .deal > dl.facts.terms { grid-template-columns: repeat(4, max-content auto); }
  table.waterfall-compact td, table.waterfall-compact th { white-space: nowrap; padding: 1pt 2pt; }
  dl.facts { gap: 0 8pt; margin: 2pt 0; }
  table { margin: 1pt 0 3pt; }
  th, td { padding: 1pt 4pt; }
  .deal { border-top: none; margin-top: 0; padding-top: 0; }
  .deal + .deal { break-before: page; page-break-before: always; }
  p { margin: 1pt 0; }
  .badge { padding: 0 3pt; border-width: 1px; }
  .finding { padding: 1pt 5pt; margin: 2pt 0; border-left-width: 4px; }
  .finding .sev, .finding .status { font-size: 6.5pt; }
  .finding p { margin: 1pt 0; }
  figure.waterfall { margin: 2pt 0 4pt; }
  figure.waterfall .body { flex-wrap: nowrap; gap: 8pt; }
  figure.waterfall svg { flex: 0 0 6.5cm; max-width: 6.5cm; }
  h2, h3, figcaption { break-after: avoid; page-break-after: avoid; }
  tr, .signoff, .finding, figure, dl.facts { break-inside: avoid; page-break-inside: avoid; }
  .closing { break-inside: avoid; page-break-inside: avoid; }
  .many-lines figure.waterfall { display: none; }
  .many-lines table.waterfall-compact { display: table; font-size: 6.5pt; }
  .finding .head { display: inline-flex; margin-right: 4pt; }
  .finding p.message, .finding p.fix, .finding p.evidence, .finding p.loc { display: inline; }
  .finding p.fix::before, .finding p.evidence::before, .finding p.loc::before { content: " · "; }
  .finding p.related, .finding p.note { margin: 0; }
  .signoff td { height: 1.15rem; }
  footer { margin-top: 4pt; padding-top: 2pt; font-size: 7pt; }
  * { background: transparent !important; box-shadow: none !important; }
}
"""
