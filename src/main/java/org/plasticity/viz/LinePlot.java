package org.plasticity.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.plasticity.core.UserError;

/**
 * Line charts written as PNG (XChart underneath): several named series, optional
 * error/quantile bands, horizontal reference lines, log axes.
 *
 * <pre>
 *   new LinePlot("Recirculation 4-2-4", "weight updates", "E")
 *       .logY().series("median", x, y).band("quartiles", x, lo, hi).hline("E = 0.1", 0.1)
 *       .save(path);
 * </pre>
 */
public final class LinePlot {
  private final XYChart chart;
  private final List<double[]> hlines = new ArrayList<>();

  public LinePlot(String title, String xLabel, String yLabel) {
    chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setMarkerSize(8); // lines carry no markers (SeriesMarkers.NONE); scatter series do
  }

  /** The legend in the plot's lower right corner, for data that rise toward the upper right. */
  public LinePlot legendLowerRight() {
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    return this;
  }

  public LinePlot logX() {
    chart.getStyler().setXAxisLogarithmic(true);
    return this;
  }

  public LinePlot logY() {
    chart.getStyler().setYAxisLogarithmic(true);
    return this;
  }

  public LinePlot xRange(double min, double max) {
    chart.getStyler().setXAxisMin(min);
    chart.getStyler().setXAxisMax(max);
    return this;
  }

  /** Axis ranges with a margin of 8 % around the data, so markers on the extremes are not cut. */
  public LinePlot padded(double[] x, double[] y) {
    double[] rx = pad(x);
    double[] ry = pad(y);
    return xRange(rx[0], rx[1]).yRange(ry[0], ry[1]);
  }

  private static double[] pad(double[] v) {
    double lo = java.util.Arrays.stream(v).min().orElse(0);
    double hi = java.util.Arrays.stream(v).max().orElse(1);
    double m = hi > lo ? 0.08 * (hi - lo) : Math.max(1e-3, Math.abs(hi) * 0.08);
    return new double[] {lo - m, hi + m};
  }

  public LinePlot yRange(double min, double max) {
    chart.getStyler().setYAxisMin(min);
    chart.getStyler().setYAxisMax(max);
    return this;
  }

  /** A line through the points (x[i], y[i]). */
  public LinePlot series(String name, double[] x, double[] y) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setMarker(SeriesMarkers.NONE);
    return this;
  }

  /** Points only (a scatter series). */
  public LinePlot points(String name, double[] x, double[] y) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    s.setMarker(SeriesMarkers.CIRCLE);
    return this;
  }

  /** A line with a shaded band [low, high] around it (e.g. median with quartiles). */
  public LinePlot band(String name, double[] x, double[] y, double[] low, double[] high) {
    double[] err = new double[y.length];
    XYSeries s = chart.addSeries(name, x, y, err);
    s.setMarker(SeriesMarkers.NONE);
    XYSeries area = chart.addSeries(name + " band", x, high);
    area.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    area.setMarker(SeriesMarkers.NONE);
    area.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
    XYSeries lowS = chart.addSeries(name + " band low", x, low);
    lowS.setMarker(SeriesMarkers.NONE);
    lowS.setShowInLegend(false);
    lowS.setLineStyle(area.getLineStyle());
    lowS.setLineColor(area.getLineColor());
    return this;
  }

  /** A horizontal reference line across the x range of the series added so far. */
  public LinePlot hline(String name, double y, double xMin, double xMax) {
    XYSeries s = chart.addSeries(name, new double[] {xMin, xMax}, new double[] {y, y});
    s.setMarker(SeriesMarkers.NONE);
    s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 4f}, 0f));
    return this;
  }

  /** A vertical reference line. */
  public LinePlot vline(String name, double x, double yMin, double yMax) {
    XYSeries s = chart.addSeries(name, new double[] {x, x}, new double[] {yMin, yMax});
    s.setMarker(SeriesMarkers.NONE);
    s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 4f}, 0f));
    return this;
  }

  public void save(Path png) {
    try {
      if (png.getParent() != null) {
        Files.createDirectories(png.getParent());
      }
      BitmapEncoder.saveBitmap(chart, Files.newOutputStream(png), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UserError(png + ": cannot write plot (" + e.getMessage() + ")", e);
    }
  }
}
