package org.plasticity.local;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.plasticity.config.DataConfig;
import org.plasticity.config.Experiment;
import org.plasticity.config.RecirculationConfig;
import org.plasticity.config.TrainConfig;
import org.plasticity.core.Placement;
import org.plasticity.core.SampleStats;
import org.plasticity.core.Sessions;
import org.plasticity.core.Study;
import org.plasticity.core.Tensors;
import org.plasticity.core.TrainingGraph;
import org.plasticity.data.EncoderPatterns;
import org.plasticity.viz.Images;
import org.plasticity.viz.LinePlot;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * The recirculation encoder study: many seeds of the V-H-V encoder trained side by side (one
 * replica per seed), the number of weight updates each needs to reach E &lt; 0.1, the error
 * curves and the reconstructions of seed 1 over the first updates.
 */
public final class RecirculationStudy implements Study {
  private final int visible;
  private final int hidden;
  private final int seeds;
  private final int maxUpdates;

  public RecirculationStudy(int visible, int hidden, int seeds, int maxUpdates) {
    this.visible = visible;
    this.hidden = hidden;
    this.seeds = seeds;
    this.maxUpdates = maxUpdates;
  }

  @Override
  public String id() {
    return "recirculation-" + visible + hidden + visible;
  }

  @Override
  public String description() {
    return visible + "-" + hidden + "-" + visible + " encoder by recirculation (eps 20, lambda 0.75): updates to E < 0.1 over "
        + seeds + " seeds (paper: ~48)";
  }

  /** The experiment the study runs: seeds 1..replicas as replicas of one graph. */
  public Experiment experiment(int replicas) {
    return Experiment.newBuilder()
        .setName(id())
        .setSeed(1)
        .setData(DataConfig.newBuilder().setSource(DataConfig.Source.ENCODER_PATTERNS))
        .setTrain(TrainConfig.newBuilder().setIntraOpThreads(1).setInterOpThreads(1).setBatchSize(visible))
        .setRecirculation(RecirculationConfig.newBuilder().setVisible(visible).setHidden(hidden).setReplicas(replicas))
        .build();
  }

  /** Result of training: errors[k][r] = E of replica r after k updates (k = 0..updates). */
  public record Curves(float[][] errors, List<float[]> reconstructions, int[] snapshotAt) {}

  /** Trains {@code replicas} seeds for {@code updates} updates, recording E after every update. */
  public Curves train(Experiment e, int updates, int[] snapshotAt) {
    Recirculation sys = new Recirculation();
    try (TrainingGraph g = sys.build(e, EncoderPatterns.create(visible, e.getSeed()).widths(), Placement.CPU);
        Session s = Sessions.create(g.graph(), e.getTrain())) {
      float[] eye = new float[visible * visible];
      for (int i = 0; i < visible; i++) {
        eye[i * visible + i] = 1f;
      }
      float[][] errors = new float[updates + 1][];
      List<float[]> recon = new ArrayList<>();
      int next = 0;
      try (TFloat32 patterns = Tensors.matrix(eye, visible, visible)) {
        for (int k = 0; k <= updates; k++) {
          boolean snap = next < snapshotAt.length && snapshotAt[next] == k;
          Session.Runner r = s.runner().feed(sys.parts().patterns(), patterns).fetch(sys.parts().errorPerReplica());
          if (snap) {
            r.fetch(sys.parts().reconstruction());
          }
          if (k < updates) {
            r.addTarget(sys.parts().update());
          }
          try (Result res = r.run()) {
            errors[k] = Tensors.toArray((TFloat32) res.get(0));
            if (snap) {
              float[] all = Tensors.toArray((TFloat32) res.get(1));
              float[] first = new float[visible * visible];
              System.arraycopy(all, 0, first, 0, first.length);
              recon.add(first);
              next++;
            }
          }
        }
      }
      return new Curves(errors, recon, snapshotAt);
    }
  }

  /** Updates to reach E &lt; target for each replica; -1 when never within the run. */
  public static int[] updatesToCriterion(float[][] errors, float target) {
    int replicas = errors[0].length;
    int[] n = new int[replicas];
    for (int r = 0; r < replicas; r++) {
      n[r] = -1;
      for (int k = 0; k < errors.length; k++) {
        if (errors[k][r] < target) {
          n[r] = k;
          break;
        }
      }
    }
    return n;
  }

  @Override
  public void run(Path outDir, boolean quick, PrintStream out) throws Exception {
    int replicas = quick ? 8 : seeds;
    int updates = quick ? 100 : maxUpdates;
    Files.createDirectories(outDir);
    int[] snaps = {0, 1, 2, 3, 5, 8, 12, 16, 24, 32, 48, 64, 96};
    Experiment e = experiment(replicas);
    long t0 = System.nanoTime();
    Curves c = train(e, updates, snaps);
    double secs = (System.nanoTime() - t0) / 1e9;
    float target = e.getRecirculation().getTargetError();
    int[] n = updatesToCriterion(c.errors(), target);
    List<Double> reached = new ArrayList<>();
    int never = 0;
    double[] censored = new double[replicas];
    for (int r = 0; r < replicas; r++) {
      if (n[r] < 0) {
        never++;
        censored[r] = updates + 1;
      } else {
        reached.add((double) n[r]);
        censored[r] = n[r];
      }
    }
    double[] ok = reached.stream().mapToDouble(Double::doubleValue).toArray();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s: %d seeds (1..%d), %d updates max, eps %.1f, lambda %.2f, %.1f s%n",
        id(), replicas, replicas, updates, e.getRecirculation().getEpsilon(), e.getRecirculation().getLambda(), secs));
    sb.append(String.format(Locale.ROOT, "reached E < %.2f: %d of %d; never within %d updates: %d%n",
        target, ok.length, replicas, updates, never));
    sb.append(String.format(Locale.ROOT, "updates to criterion (seeds that reached it): mean %.1f, sd %.1f, min %.0f, "
        + "Q1 %.1f, median %.1f, Q3 %.1f, max %.0f%n", SampleStats.mean(ok), SampleStats.stddev(ok),
        SampleStats.quantile(ok, 0), SampleStats.quantile(ok, 0.25), SampleStats.quantile(ok, 0.5),
        SampleStats.quantile(ok, 0.75), SampleStats.quantile(ok, 1)));
    sb.append(String.format(Locale.ROOT, "all seeds, never counted as %d: median %.1f, Q1 %.1f, Q3 %.1f%n", updates + 1,
        SampleStats.quantile(censored, 0.5), SampleStats.quantile(censored, 0.25), SampleStats.quantile(censored, 0.75)));
    sb.append("per seed (seed:updates, -1 = never):");
    for (int r = 0; r < replicas; r++) {
      sb.append(' ').append(r + 1).append(':').append(n[r]);
    }
    sb.append('\n');
    out.print(sb);
    Files.writeString(outDir.resolve("summary.txt"), sb.toString());

    // E per update: median and quartile band over seeds.
    int shown = Math.min(updates, 300);
    double[] x = new double[shown + 1];
    double[] med = new double[shown + 1];
    double[] q1 = new double[shown + 1];
    double[] q3 = new double[shown + 1];
    for (int k = 0; k <= shown; k++) {
      double[] ek = new double[replicas];
      for (int r = 0; r < replicas; r++) {
        ek[r] = Math.max(1e-6, c.errors()[k][r]);
      }
      x[k] = k;
      med[k] = SampleStats.quantile(ek, 0.5);
      q1[k] = SampleStats.quantile(ek, 0.25);
      q3[k] = SampleStats.quantile(ek, 0.75);
    }
    new LinePlot("Recirculation " + visible + "-" + hidden + "-" + visible + ", " + replicas + " seeds", "weight updates",
        "reconstruction error E (lambda = 0)")
        .logY().band("median E, quartile band", x, med, q1, q3).hline("E = " + target, target, 0, shown)
        .save(outDir.resolve("error.png"));
    // Fraction of seeds that have reached the criterion by each update.
    double[] frac = new double[updates + 1];
    double[] xs = new double[updates + 1];
    for (int k = 0; k <= updates; k++) {
      xs[k] = k;
      int cnt = 0;
      for (int v : n) {
        if (v >= 0 && v <= k) {
          cnt++;
        }
      }
      frac[k] = cnt / (double) replicas;
    }
    new LinePlot("Recirculation " + visible + "-" + hidden + "-" + visible + ": seeds at E < " + target, "weight updates",
        "fraction of seeds").yRange(0, 1).series("reached", xs, frac).vline("paper: ~48", 48, 0, 1)
        .save(outDir.resolve("reached.png"));
    // Reconstructions of seed 1 (rows: patterns, columns: visible units) after the given updates.
    List<BufferedImage> tiles = new ArrayList<>();
    for (float[] rec : c.reconstructions()) {
      tiles.add(Images.grey(rec, visible, visible, 96 / visible));
    }
    StringBuilder cap = new StringBuilder("seed 1 reconstructions after updates");
    for (int i = 0; i < c.reconstructions().size(); i++) {
      cap.append(' ').append(snaps[i]);
    }
    Images.savePng(Images.caption(Images.grid(tiles, tiles.size()), cap.toString()), outDir.resolve("reconstructions.png"));
  }
}
