package org.plasticity.manifold;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.plasticity.config.Configs;
import org.plasticity.config.Experiment;
import org.plasticity.config.ManifoldConfig;
import org.plasticity.core.AtomicFiles;
import org.plasticity.core.Sessions;
import org.plasticity.core.Study;
import org.plasticity.core.Tensors;
import org.plasticity.data.Batch;
import org.plasticity.data.Dataset;
import org.plasticity.data.Datasets;
import org.plasticity.viz.LinePlot;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Calibrates the cost model of the DNM's differentiable time term (time_per_connection_us,
 * time_per_neuron_us): the pruned export of random wirings of the MNIST shape (784 inputs, 206
 * computational neurons, 10 outputs) is timed at batch 1,000 on MNIST test images, every op in
 * the calling thread with one intra-op thread, and its microseconds per example are fitted by
 * least squares to what the time term sees -- the active connections and the live computational
 * neurons (those with an active incoming connection) -- plus a constant. The wirings vary both: a subset of the
 * computational neurons is wired, each block at its own density (input to computational,
 * computational to computational five times that, to the outputs 40 %), as in the trained
 * models, and in {@link #LEVELS} levels like theirs (9-11): the wired neurons are cut into that
 * many runs in their order, and a neuron reads only neurons of earlier runs. The fit against
 * what the export computes (its connections and neurons) is printed beside it.
 */
public final class CostModelStudy implements Study {
  /** Wired computational neurons, and input-to-computational densities, of the full study. */
  static final int[] WIRED = {50, 100, 150, 206};
  static final double[] DENSITIES = {0.005, 0.01, 0.02, 0.03};

  /** Levels of every wiring's active DAG (at most: a run may end up with fewer). */
  static final int LEVELS = 10;

  /** Wirings per grid point (each drawn anew). */
  static final int COPIES = 2;

  /**
   * Rounds of timing (every wiring once per round; the median of their medians), calls per round,
   * and the batch.
   */
  static final int ROUNDS = 7;
  static final int CALLS = 20;
  static final int BATCH = 1000;

  @Override
  public String id() {
    return "dnm-cost-model";
  }

  @Override
  public String description() {
    return "DNM time-term cost model: pruned-export time per example at batch 1000 against active connections and"
        + " live neurons, over random wirings of the MNIST shape (least-squares fit)";
  }

  /** One timed wiring: what the time term sees, what the export computes, and the time. */
  record Point(int wired, double density, long active, int live, long computedConnections, int computedNeurons,
      int usedInputs, int depth, double microsPerExample) {}

  @Override
  public void run(Path outDir, boolean quick, PrintStream out) throws Exception {
    Experiment base = Configs.load(Path.of("models/dnm_mnist.pbtxt"));
    if (quick) {
      base = base.toBuilder().setData(base.getData().toBuilder().setTestLimit(200)).build();
    }
    // one intra-op thread, as the benchmarks' fastest setting for both exports on 2 cores (the
    // first session of the process sizes TF's pool; a process that already has one keeps its own)
    Sessions.sizeThreadPools(base.getTrain().toBuilder().setIntraOpThreads(1).build());
    ManifoldConfig m = base.getManifold();
    Dataset data = Datasets.open(base);
    Batch batch = data.testBatch(0, Math.min(BATCH, data.testSize()));
    Files.createDirectories(outDir);
    int[] wired = quick ? new int[] {20, 60} : WIRED;
    double[] densities = quick ? new double[] {0.01, 0.03} : DENSITIES;
    List<Point> points = new ArrayList<>();
    List<Path> exports = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(1);
    Path wirings = outDir.resolve("pruned-wirings");
    for (int copy = 0; copy < COPIES; copy++) {
      for (int n : wired) {
        for (double d : densities) {
          Path dir = wirings.resolve("w" + points.size());
          points.add(wiring(m, n, d, rnd, dir));
          exports.add(dir);
        }
      }
    }
    double[][] micros;
    try (TFloat32 x = Tensors.matrix(batch.field("images"), batch.size(), m.getNInput())) {
      micros = interleavedMicros(exports, List.of(x), new int[] {CALLS});
    }
    AtomicFiles.deleteRecursively(wirings);
    for (int i = 0; i < points.size(); i++) {
      Point p = timed(points.get(i), micros[i][0] / batch.size());
      points.set(i, p);
      out.printf("wired %d, density %.3f: %d active connections, %d live neurons -> export computes %d connections,"
          + " %d neurons in %d levels: %.3f us per example%n", p.wired(), p.density(), p.active(), p.live(),
          p.computedConnections(), p.computedNeurons(), p.depth(), p.microsPerExample());
    }

    double[] y = points.stream().mapToDouble(Point::microsPerExample).toArray();
    double[][] seen = points.stream().map(p -> new double[] {1, p.active(), p.live()}).toArray(double[][]::new);
    double[][] computed = points.stream()
        .map(p -> new double[] {1, p.computedConnections(), p.computedNeurons()}).toArray(double[][]::new);
    double[] fit = leastSquares(seen, y);
    double[] fitComputed = leastSquares(computed, y);
    double[] predicted = predict(seen, fit);

    StringBuilder table = new StringBuilder(String.format("Pruned export, batch %d, every op in the calling thread;"
        + " fit: us/example = %.4g + %.4g x active connections + %.4g x live neurons (R^2 %.3f);"
        + " against what the export computes: %.4g + %.4g x connections + %.4g x neurons (R^2 %.3f)%n%n",
        batch.size(), fit[0], fit[1], fit[2], rSquared(y, predicted), fitComputed[0], fitComputed[1], fitComputed[2],
        rSquared(y, predict(computed, fitComputed))));
    table.append("| wired neurons | input density | active connections | live neurons | computed connections |"
        + " computed neurons | used inputs | levels | us per example | fitted |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      table.append(String.format("| %d | %.3f | %d | %d | %d | %d | %d | %d | %.3f | %.3f |%n", p.wired(), p.density(),
          p.active(), p.live(), p.computedConnections(), p.computedNeurons(), p.usedInputs(), p.depth(),
          p.microsPerExample(), predicted[i]));
    }
    Files.writeString(outDir.resolve("cost-model.md"), table.toString());
    double[] active = points.stream().mapToDouble(Point::active).toArray();
    new LinePlot("DNM pruned export: time per example at batch " + batch.size(), "active connections",
        "us per example").points("measured", active, y).points("fitted", active, predicted)
        .padded(active, y).legendLowerRight().save(outDir.resolve("cost-model.png"));
    out.print(table);
    out.printf("time term: --set 'manifold { time_per_connection_us: %.4g time_per_neuron_us: %.4g }'%n", fit[1], fit[2]);
  }

  /**
   * Builds one random wiring and writes its pruned export to {@code dir}; the point's time is NaN
   * (see {@link #timed}).
   */
  static Point wiring(ManifoldConfig m, int wired, double density, SplittableRandom rnd, Path dir) {
    int nIn = m.getNInput();
    int nComp = m.getNComp();
    int nOut = m.getNOutput();
    int nSrc = nIn + nComp;
    boolean[] on = new boolean[nComp];
    int[] order = org.plasticity.data.Seeds.permutation(nComp, rnd.nextLong());
    for (int i = 0; i < wired; i++) {
      on[order[i]] = true;
    }
    // the wired neurons' run (level) in their order: LEVELS runs of (nearly) equal length
    int[] run = new int[nComp];
    for (int k = 0, seen = 0; k < nComp; k++) {
      if (on[k]) {
        run[k] = seen++ * LEVELS / wired;
      }
    }
    float[] adjacency = new float[(nComp + nOut) * nSrc];
    long active = 0;
    int live = 0;
    for (int r = 0; r < nComp + nOut; r++) {
      boolean output = r >= nComp;
      if (!output && !on[r]) {
        continue;
      }
      boolean any = false;
      for (int j = 0; j < (output ? nSrc : nIn + r); j++) {
        boolean input = j < nIn;
        double p = output ? (input ? 0 : 0.4) : input ? density : Math.min(1, 5 * density);
        if ((input || on[j - nIn] && (output || run[j - nIn] < run[r])) && rnd.nextDouble() < p) {
          adjacency[r * nSrc + j] = (float) (rnd.nextDouble() * 2 - 1);
          active++;
          any = true;
        }
      }
      if (!output && any) {
        live++;
      }
    }
    float[] w = new float[nSrc];
    float[] b = new float[nSrc];
    for (int j = 0; j < nSrc; j++) {
      w[j] = (float) (rnd.nextDouble() * 2 - 1);
      b[j] = (float) ((rnd.nextDouble() * 2 - 1) * 0.1);
    }
    PrunedModel p = new PrunedModel(m, adjacency, w, b);
    p.export(dir, "images");
    return new Point(wired, density, active, live, p.keptConnections(), p.keptNeurons(), p.usedInputs(), p.depth(),
        Double.NaN);
  }

  /** The same point with its time. */
  static Point timed(Point p, double microsPerExample) {
    return new Point(p.wired(), p.density(), p.active(), p.live(), p.computedConnections(), p.computedNeurons(),
        p.usedInputs(), p.depth(), microsPerExample);
  }

  /**
   * Microseconds per call of each SavedModel in {@code dirs} on each of {@code inputs} ([model][input]),
   * every op in the calling thread: all models are loaded and called once round untimed, then
   * {@link #ROUNDS} rounds each time every model on every input ({@code calls[i]} calls, their
   * median), so the machine's drift reaches all models alike; each figure is the median over the
   * rounds.
   */
  static double[][] interleavedMicros(List<Path> dirs, List<TFloat32> inputs, int[] calls) {
    List<SavedModelBundle> bundles = new ArrayList<>();
    try {
      for (Path d : dirs) {
        bundles.add(Sessions.loadExport(d, true));
      }
      double[][][] rounds = new double[dirs.size()][inputs.size()][ROUNDS];
      for (int round = -1; round < ROUNDS; round++) { // round -1: warm-up
        for (int k = 0; k < bundles.size(); k++) {
          SessionFunction f = bundles.get(k).function("serving_default");
          for (int i = 0; i < inputs.size(); i++) {
            double t = roundMedianMicros(f, inputs.get(i), calls[i]);
            if (round >= 0) {
              rounds[k][i][round] = t;
            }
          }
        }
      }
      double[][] out = new double[dirs.size()][inputs.size()];
      for (int k = 0; k < out.length; k++) {
        for (int i = 0; i < inputs.size(); i++) {
          out[k][i] = median(rounds[k][i]);
        }
      }
      return out;
    } finally {
      bundles.forEach(SavedModelBundle::close);
    }
  }

  /** One round: the median microseconds of {@code calls} calls of {@code f} on {@code x}. */
  static double roundMedianMicros(SessionFunction f, TFloat32 x, int calls) {
    double[] t = new double[calls];
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      call(f, x);
      t[i] = (System.nanoTime() - start) / 1e3;
    }
    return median(t);
  }

  private static void call(SessionFunction f, TFloat32 x) {
    try (Result r = f.call(Map.<String, Tensor>of("images", x))) {
      r.size();
    }
  }

  /** The median of v (SampleStats' 0.5-quantile: the mean of the middle two for an even count). */
  static double median(double[] v) {
    return org.plasticity.core.SampleStats.quantile(v, 0.5);
  }

  /** The least-squares coefficients of y on the columns of a (rows: points), by TF's MatrixSolveLs in double precision. */
  static double[] leastSquares(double[][] a, double[] y) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      double[][] rhs = new double[y.length][1];
      for (int i = 0; i < y.length; i++) {
        rhs[i][0] = y[i];
      }
      var solve = tf.linalg.matrixSolveLs(tf.constant(a), tf.constant(rhs), tf.constant(0.0));
      try (Result r = s.runner().fetch(solve).run()) {
        TFloat64 t = (TFloat64) r.get(0);
        double[] c = new double[a[0].length];
        for (int i = 0; i < c.length; i++) {
          c[i] = t.getDouble(i, 0);
        }
        return c;
      }
    }
  }

  static double[] predict(double[][] a, double[] c) {
    double[] p = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < c.length; j++) {
        p[i] += a[i][j] * c[j];
      }
    }
    return p;
  }

  static double rSquared(double[] y, double[] predicted) {
    double mean = Arrays.stream(y).average().orElse(0);
    double residual = 0;
    double total = 0;
    for (int i = 0; i < y.length; i++) {
      residual += (y[i] - predicted[i]) * (y[i] - predicted[i]);
      total += (y[i] - mean) * (y[i] - mean);
    }
    return total == 0 ? 1 : 1 - residual / total;
  }
}
