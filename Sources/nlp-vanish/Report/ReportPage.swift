/// The frame every report page shares: escaping, inline CSS, the legend toggle script and the figure layout.
/// Everything is inline so a report is one file that opens offline, can be mailed, and prints.

/// Escapes text for XML and HTML, in element content and in quoted attributes.
func escapeMarkup(_ text: String) -> String {
    var out = ""
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}

/// A whole HTML page around `body` (markup). Panels sit in columns of at least 600 px, two abreast on a wide
/// window and one on a narrow one or on paper; a chart shrinks to its column but never grows past its own size.
func reportPage(title: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>\(escapeMarkup(title))</title>
    <style>
    body { font-family: sans-serif; font-size: 15px; line-height: 1.45; color: #111;
           max-width: 1560px; margin: 2em auto; padding: 0 1em; }
    p, ul { max-width: 62em; }
    h1 { font-size: 1.6em; margin-bottom: 0.2em; }
    h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #999; }
    .verdict { border-left: 6px solid #0072B2; background: #eef5fb; padding: 0.6em 1em; font-size: 1.1em; }
    .verdict li { margin: 0.3em 0; }
    .reading { background: #f6f6f6; padding: 0.5em 0.9em; max-width: 60em; }
    .hint { color: #555; }
    .panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(600px, 100%), 1fr));
              align-items: start; gap: 8px; margin-bottom: 12px; }
    .panels svg { max-width: 100%; height: auto; }
    .series.off { visibility: hidden; }
    .legend-entry.off { opacity: 0.35; }
    table { border-collapse: collapse; margin: 0.6em 0; }
    th, td { border: 1px solid #999; padding: 0.25em 0.6em; text-align: right;
             print-color-adjust: exact; -webkit-print-color-adjust: exact; }
    th:first-child, td:first-child { text-align: left; }
    @media print { body { margin: 0; max-width: none; } .panels svg, table { break-inside: avoid; }
                   .hint { display: none; } }
    </style>
    </head>
    <body>
    <h1>\(escapeMarkup(title))</h1>
    <p class="hint">Click a name in a chart's legend to hide or show its lines; hover a marker for its value.</p>
    \(body)
    <script>
    // A click on a legend entry hides or shows the series it names, in its own chart only (see SVGPlot).
    document.addEventListener("click", function (event) {
      var entry = event.target.closest(".legend-entry");
      if (!entry) return;
      var off = entry.classList.toggle("off");
      var selector = '.series[data-series="' + entry.getAttribute("data-series") + '"]';
      entry.ownerSVGElement.querySelectorAll(selector).forEach(function (series) {
        series.classList.toggle("off", off);
      });
    });
    </script>
    </body>
    </html>

    """
}

/// A figure: heading, the plain-English "how to read this", and its panels, each row side by side (wrapping
/// if the window is narrow) — a row per network depth where a figure has one panel per layer.
func figureSection(_ heading: String, reading: String, rows: [[SVGPlot]]) -> String {
    "<h2>\(escapeMarkup(heading))</h2>\n<p class=\"reading\"><b>How to read this.</b> \(escapeMarkup(reading))</p>\n"
        + rows.map { "<div class=\"panels\">\n" + $0.map { $0.svg() }.joined() + "</div>\n" }.joined()
}
