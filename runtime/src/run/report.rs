//! The run report: potential energy curves and model predictions as SVG plots (plotters, no
//! fonts needed), and `report.md` with the comparison tables.

use plotters::prelude::*;

/// One line on a plot: a label and (x, y) points.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    /// Draw markers only (measured data) instead of a line (models, references).
    pub markers: bool,
}

/// Colours for successive curves, readable on white and for common colour-vision deficiencies.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(230, 159, 0),
    RGBColor(0, 0, 0),
];

/// Renders curves as an SVG document. Failure contract: an error string if plotting fails
/// (which it only does for no finite points).
pub fn plot_svg(title: &str, x_label: &str, y_label: &str, curves: &[Curve]) -> Result<String, String> {
    let finite = || curves.iter().flat_map(|c| c.points.iter()).filter(|(x, y)| x.is_finite() && y.is_finite());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for &(x, y) in finite() {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    if !x0.is_finite() {
        return Err(format!("{title}: nothing to plot"));
    }
    let pad = |lo: f64, hi: f64| {
        let span = (hi - lo).abs().max(1e-9);
        (lo - 0.05 * span, hi + 0.05 * span)
    };
    let ((x0, x1), (y0, y1)) = (pad(x0, x1), pad(y0, y1));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 520)).into_drawing_area();
        let error = |e: &dyn std::fmt::Display| format!("{title}: {e}");
        root.fill(&WHITE).map_err(|e| error(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(80)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(|e| error(&e))?;
        chart.configure_mesh().x_desc(x_label).y_desc(y_label).draw().map_err(|e| error(&e))?;
        for (i, curve) in curves.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            let points: Vec<(f64, f64)> =
                curve.points.iter().copied().filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
            if curve.markers {
                chart
                    .draw_series(points.iter().map(|&p| Circle::new(p, 4, color.filled())))
                    .map_err(|e| error(&e))?
                    .label(curve.label.clone())
                    .legend(move |(x, y)| Circle::new((x + 10, y), 4, color.filled()));
            } else {
                chart
                    .draw_series(LineSeries::new(points, color.stroke_width(2)))
                    .map_err(|e| error(&e))?
                    .label(curve.label.clone())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
            }
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(|e| error(&e))?;
        root.present().map_err(|e| error(&e))?;
    }
    Ok(svg)
}

/// A Markdown table from a header and rows.
pub fn markdown_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n|{}\n", header.join(" | "), "---|".repeat(header.len()));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plots_are_svg_with_every_curve_and_label() {
        let curves = vec![
            Curve { label: "FCI".into(), points: vec![(0.5, -1.05), (1.0, -1.10), (2.0, -1.00)], markers: false },
            Curve { label: "VQE".into(), points: vec![(0.5, -1.05), (1.0, -1.10)], markers: true },
        ];
        let svg = plot_svg("H2", "r / Å", "E / Ha", &curves).expect("plot");
        assert!(svg.starts_with("<svg"), "{}", &svg[..60]);
        assert!(svg.contains("FCI") && svg.contains("VQE") && svg.contains("r / Å"));
        assert_eq!(svg.matches("<circle").count(), 3, "two markers and one legend marker");
        assert!(plot_svg("empty", "x", "y", &[]).is_err());
    }

    #[test]
    fn tables_are_markdown() {
        let t = markdown_table(&["arm", "MAE"], &[vec!["vqe".into(), "0.12".into()]]);
        assert_eq!(t, "| arm | MAE |\n|---|---|\n| vqe | 0.12 |\n");
    }
}
