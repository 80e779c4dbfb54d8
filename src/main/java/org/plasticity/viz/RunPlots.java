package org.plasticity.viz;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.plasticity.core.EventsWriter;
import org.plasticity.core.MetricsLog;
import org.plasticity.core.Npy;
import org.plasticity.core.RunDirectory;
import org.plasticity.core.UserError;

/**
 * Plots of a run directory: one PNG curve per metric in metrics.jsonl, and for every 2-D
 * snapshot tensor (e.g. the closeness matrix) an animated GIF of its evolution, a PNG of its
 * last state, and TensorBoard image summaries.
 */
public final class RunPlots {
  private RunPlots() {}

  /** Writes everything into {@code <run>/plots}; returns the files written. */
  public static List<Path> write(RunDirectory run, int maxFrames) {
    List<Path> out = new ArrayList<>();
    Path dir = run.plots();
    out.addAll(curves(run, dir));
    out.addAll(snapshots(run, dir, maxFrames));
    return out;
  }

  static List<Path> curves(RunDirectory run, Path dir) {
    Map<String, List<double[]>> series = new TreeMap<>();
    for (JsonObject o : new MetricsLog(run.metrics()).read()) {
      long step = o.get("step").getAsLong();
      for (Map.Entry<String, JsonElement> e : o.entrySet()) {
        if (e.getKey().equals("step") || e.getKey().equals("test/examples") || !e.getValue().isJsonPrimitive()
            || !e.getValue().getAsJsonPrimitive().isNumber()) {
          continue;
        }
        series.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new double[] {step, e.getValue().getAsDouble()});
      }
    }
    List<Path> files = new ArrayList<>();
    for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
      List<double[]> pts = e.getValue();
      double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
      double[] y = pts.stream().mapToDouble(p -> p[1]).toArray();
      LinePlot plot = new LinePlot(run.name() + ": " + e.getKey(), "step", e.getKey());
      double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
      for (double v : y) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      if (min > 0 && max / min > 100) {
        plot.logY();
      }
      if (x.length == 1) {
        plot.points(e.getKey(), x, y);
      } else {
        plot.series(e.getKey(), x, y);
      }
      Path f = dir.resolve("metric-" + e.getKey().replace('/', '_') + ".png");
      plot.save(f);
      files.add(f);
    }
    return files;
  }

  static List<Path> snapshots(RunDirectory run, Path dir, int maxFrames) {
    Map<String, TreeMap<Long, Path>> byName = new LinkedHashMap<>();
    if (!Files.isDirectory(run.snapshots())) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(run.snapshots())) {
      s.filter(p -> p.getFileName().toString().endsWith(".npy")).forEach(p -> {
        String f = p.getFileName().toString();
        int dash = f.lastIndexOf('-');
        String name = f.substring(0, dash);
        long step = Long.parseLong(f.substring(dash + 1, f.length() - 4));
        byName.computeIfAbsent(name, k -> new TreeMap<>()).put(step, p);
      });
    } catch (IOException e) {
      throw new UserError(run.snapshots() + ": cannot list snapshots (" + e.getMessage() + ")", e);
    }
    List<Path> files = new ArrayList<>();
    for (Map.Entry<String, TreeMap<Long, Path>> e : byName.entrySet()) {
      List<Long> steps = new ArrayList<>(e.getValue().keySet());
      int stride = Math.max(1, (steps.size() + maxFrames - 1) / maxFrames);
      List<BufferedImage> frames = new ArrayList<>();
      BufferedImage last = null;
      try (EventsWriter events = new EventsWriter(run.events())) {
        for (int i = 0; i < steps.size(); i++) {
          boolean isLast = i == steps.size() - 1;
          if (i % stride != 0 && !isLast) {
            continue;
          }
          Npy.Array a = Npy.read(e.getValue().get(steps.get(i)));
          if (a.shape().length != 2) {
            continue;
          }
          int rows = (int) a.shape()[0];
          int cols = (int) a.shape()[1];
          float scale = maxAbs(a.data());
          BufferedImage img = Images.heatmap(a.data(), rows, cols, scale == 0 ? 1 : scale, cellSize(rows, cols));
          last = img;
          frames.add(Images.caption(img, e.getKey() + "  step " + steps.get(i)));
          events.image(steps.get(i), "snapshot/" + e.getKey(), grey(a.data(), scale), rows, cols);
        }
      } catch (IOException ex) {
        throw new UserError(run.snapshots() + ": cannot read snapshot (" + ex.getMessage() + ")", ex);
      }
      if (last == null) {
        continue;
      }
      Path gif = dir.resolve(e.getKey() + ".gif");
      Images.saveGif(frames, 200, gif);
      Path png = dir.resolve(e.getKey() + "-final.png");
      Images.savePng(last, png);
      files.add(gif);
      files.add(png);
    }
    return files;
  }

  private static int cellSize(int rows, int cols) {
    int longest = Math.max(rows, cols);
    return Math.max(1, 600 / longest);
  }

  private static float maxAbs(float[] v) {
    float m = 0;
    for (float x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  private static byte[] grey(float[] v, float scale) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) Math.round(255 * Math.min(1f, Math.abs(v[i]) / (scale == 0 ? 1 : scale)));
    }
    return b;
  }
}
