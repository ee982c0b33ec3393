namespace ChatLoad.LoadEngine.Reports.Html;

/// <summary>The reports' stylesheet: readable tables, clear red/amber/green, no web fonts (reports open offline).</summary>
internal static class ReportStyles
{
    public const string Css = """
:root { --fg:#1f2933; --muted:#616e7c; --line:#d9dee3; --bg:#ffffff; --panel:#f5f7fa;
  --ok:#0b6e3a; --ok-bg:#e3f5ea; --bad:#a61b1b; --bad-bg:#fde8e8; --warn:#8a5300; --warn-bg:#fff4d6; --accent:#0072B2; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 17px; margin: 24px 0 8px; }
p { margin: 6px 0 12px; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 13px; }
.muted { color: var(--muted); }
.subtitle { color: var(--muted); margin: 0 0 16px; }
nav.toc { margin: 8px 0 16px; font-size: 14px; }
nav.toc a { margin-right: 14px; color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
.banner { border-radius: 6px; padding: 12px 16px; margin: 12px 0; border-left: 6px solid; }
.banner h2, .banner h3 { margin: 0 0 6px; border: 0; padding: 0; font-size: 17px; }
.banner ul { margin: 4px 0 0; padding-left: 20px; }
.banner-bad { background: var(--bad-bg); border-color: var(--bad); color: var(--bad); }
.banner-warn { background: var(--warn-bg); border-color: #d89b00; color: var(--warn); }
.banner-good { background: var(--ok-bg); border-color: var(--ok); color: var(--ok); }
.badge { display: inline-block; padding: 1px 9px; border-radius: 10px; font-size: 13px; font-weight: 600; white-space: nowrap; }
.badge.ok { background: var(--ok-bg); color: var(--ok); }
.badge.bad { background: var(--bad-bg); color: var(--bad); }
.badge.warn { background: var(--warn-bg); color: var(--warn); }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); text-align: left; font-weight: 600; white-space: nowrap; }
table.figures td, table.figures th { text-align: right; font-variant-numeric: tabular-nums; }
table.figures td:first-child, table.figures th:first-child, table.figures td.text, table.figures th.text { text-align: left; }
table.kv { width: 100%; max-width: 980px; }
table.kv td:first-child { width: 230px; color: var(--muted); }
table.kv td { word-break: break-word; }
tr.passed td.verdict { color: var(--ok); font-weight: 700; }
tr.failed td.verdict { color: var(--bad); font-weight: 700; }
tr.failed { background: var(--bad-bg); }
td.bad { color: var(--bad); font-weight: 600; }
.table-scroll { overflow-x: auto; }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px 20px; }
@media (max-width: 1000px) { .grid { grid-template-columns: 1fr; } }
figure.chart, figure.chart-empty { margin: 8px 0 16px; border: 1px solid var(--line); border-radius: 6px; padding: 4px; min-width: 0; }
figure.chart-empty { padding: 12px 16px; background: var(--panel); }
figure.chart figcaption, figure.chart-empty figcaption { font-weight: 600; font-size: 15px; padding: 6px 10px 0; }
section.scenario { margin-top: 28px; }
footer { margin-top: 40px; font-size: 13px; color: var(--muted); }
""";
}
