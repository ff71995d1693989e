/// The page's one style sheet.
///
/// Colours: Okabe and Ito's palette ("Color Universal Design", 2002), chosen to stay
/// distinct for the common colour-vision deficiencies: received blue, sent orange, replied
/// bluish green, read sky blue, failed vermillion; the heatmap is one hue in six steps of
/// opacity, so it reads by lightness alone. Dark mode swaps the neutrals and lightens the
/// blue. Print: A4, charts and cards never cut (`break-inside: avoid`), bars printed.
extension HTMLDashboard {
  static let style = """
    :root{--bg:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--card:#f6f8fa;\
    --received:#0072b2;--sent:#e69f00;--replied:#009e73;--read:#56b4e9;--failed:#d55e00;\
    --heat:#0072b2;--heat0:#eef1f4}
    @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9da7b3;\
    --line:#30363d;--card:#161b22;--received:#56b4e9;--read:#cc79a7;--heat:#56b4e9;\
    --heat0:#1c232c}}
    *{box-sizing:border-box}
    html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
    body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,\
    "Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;-webkit-print-color-adjust:exact;\
    print-color-adjust:exact}
    header,main,footer{max-width:1240px;margin:0 auto;padding:0 16px}
    header{padding-top:16px}
    h1{font-size:1.5rem;margin:0 0 4px}
    h2{font-size:1.15rem;margin:0 0 6px}
    h3{font-size:1rem;margin:14px 0 6px}
    .meta,.note,footer,figcaption,.legend{color:var(--muted);font-size:.85rem}
    .note{margin:0 0 8px}
    main{display:grid;grid-template-columns:minmax(0,1fr);gap:16px;padding-top:12px}
    section{border-top:1px solid var(--line);padding-top:12px;min-width:0}
    @media (min-width:1000px){main{grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:20px 32px}\
    .wide{grid-column:1/-1}.pair{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);\
    gap:24px;align-items:start}}
    .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px}
    .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
    .card h3{margin:0;font-size:.8rem;font-weight:600;color:var(--muted);text-transform:uppercase;\
    letter-spacing:.04em}
    .card p{margin:0}.card .v,.big{font-size:1.6rem;font-weight:650;font-variant-numeric:tabular-nums}
    .card .n,.card .d{font-size:.82rem;color:var(--muted)}.card .d{color:var(--fg)}
    .card .d span{color:var(--muted)}
    figure{margin:0 0 8px;break-inside:avoid;page-break-inside:avoid}
    figcaption{margin-top:2px}
    svg.chart{display:block;width:100%;max-width:560px;height:auto;overflow:visible}
    svg text{font-size:10px;fill:var(--muted)}
    .xl{text-anchor:middle}.yl,.xl.e{text-anchor:end}.xl.s{text-anchor:start}
    .grid{stroke:var(--line);stroke-dasharray:2 3;fill:none}.axis{stroke:var(--muted);fill:none}
    rect.received,circle.received,i.received,span.received{fill:var(--received);background:var(--received)}
    rect.sent,circle.sent,i.sent,span.sent{fill:var(--sent);background:var(--sent)}
    circle.read,i.read,span.read{fill:var(--read);background:var(--read)}
    circle.replied,i.replied,span.replied{fill:var(--replied);background:var(--replied)}
    span.failed{background:var(--failed)}
    path.line{fill:none;stroke-width:2}path.received{stroke:var(--received)}\
    path.sent{stroke:var(--sent)}path.read{stroke:var(--read)}path.replied{stroke:var(--replied)}
    .q0{fill:var(--heat0);background:var(--heat0)}
    .q1,.q2,.q3,.q4,.q5,.q6{fill:var(--heat);background:var(--heat)}
    .q1{fill-opacity:.16;opacity:.16}.q2{fill-opacity:.3;opacity:.3}.q3{fill-opacity:.45;opacity:.45}
    .q4{fill-opacity:.6;opacity:.6}.q5{fill-opacity:.8;opacity:.8}.q6{fill-opacity:1;opacity:1}
    rect.q1,rect.q2,rect.q3,rect.q4,rect.q5,rect.q6{opacity:1}
    .legend{margin:4px 0;display:flex;flex-wrap:wrap;gap:4px 12px}
    .legend i{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:4px;\
    vertical-align:-1px}
    .tw{max-width:100%;overflow-x:auto}
    table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;font-size:.88rem}
    th,td{padding:4px 6px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
    thead th{font-size:.78rem;font-weight:600;color:var(--muted);vertical-align:bottom}
    tbody th{font-weight:500}
    .n{text-align:right;white-space:nowrap}
    thead .n{white-space:normal}
    .id{overflow-wrap:anywhere;word-break:break-word}
    .id small{display:block;color:var(--muted)}
    th.id{min-width:6.5em}th.c{white-space:nowrap}
    tr.sub th{padding-left:18px;color:var(--muted)}
    tr.rest th,tr.rest td{color:var(--muted)}
    table.tiny{font-size:.78rem}
    .barcol{width:34%;min-width:60px}
    .bar{display:block;height:.75em;margin-top:.3em;background:var(--card);border-radius:2px}
    .bar span{display:block;height:100%;border-radius:2px}
    .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
    details{margin:6px 0}summary{cursor:pointer;color:var(--muted);font-size:.85rem}
    dl.flow{display:grid;grid-template-columns:minmax(0,max-content) minmax(0,1fr);gap:4px 12px;\
    margin:0;font-size:.9rem}
    dl.flow dt{color:var(--muted)}dl.flow dd{margin:0;overflow-wrap:anywhere}
    code{font-size:.85em;overflow-wrap:anywhere}
    footer{border-top:1px solid var(--line);margin-top:20px;padding-bottom:20px}
    @media (max-width:639px){.o{display:none}body{font-size:14px}header,main,footer{padding:0 10px}\
    th,td{padding:4px 2px}table{font-size:.8rem}th.id{min-width:8.5em}.card .v{font-size:1.3rem}dl.flow{grid-template-columns:minmax(0,1fr)}}
    @page{size:A4;margin:12mm}
    @media print{body{font-size:11px}main{display:block}section{margin-bottom:10px}\
    .card,tr,figure,svg{break-inside:avoid;page-break-inside:avoid}h2,h3{break-after:avoid}\
    details{display:none}}

    """
}
