package org.plasticity.hopfield;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.plasticity.config.TrainConfig;
import org.plasticity.core.Sessions;
import org.plasticity.core.Study;
import org.plasticity.core.Tensors;
import org.plasticity.data.RandomPatterns;
import org.plasticity.data.Seeds;
import org.plasticity.viz.LinePlot;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Capacity of the classical network: for N units and P random ±1 patterns stored by Hebb's or
 * Storkey's rule, the fraction of stored patterns that are fixed points, and the fraction
 * retrieved perfectly (every bit) by asynchronous dynamics from probes with 10% of bits flipped,
 * against α = P/N.
 */
public final class CapacityStudy implements Study {
  static final int MAX_SWEEPS = 30;

  @Override
  public String id() {
    return "hopfield-capacity";
  }

  @Override
  public String description() {
    return "classical Hopfield capacity, Hebb vs Storkey, N = 100/200/500: fixed points and retrieval from 10% flips vs P/N";
  }

  /** One graph per N: stores the fed patterns by both rules and measures them. */
  static final class Probe implements AutoCloseable {
    final int n;
    final Graph graph = new Graph();
    final Session session;
    final Placeholder<TFloat32> x;
    final Placeholder<TInt64> seed;
    final Map<String, Operand<TFloat32>> outputs = new LinkedHashMap<>();

    Probe(int n) {
      this.n = n;
      Ops tf = Ops.create(graph);
      x = tf.withName("patterns").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, n)));
      seed = tf.withName("seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      Operand<TFloat32> probe = Classical.flip(tf, x, 0.1f, seed);
      Operand<TInt64> seed2 = tf.math.add(seed, tf.constant(new long[] {1, 1}));
      Operand<org.tensorflow.types.TInt32> perms = Classical.permutations(tf, seed2, MAX_SWEEPS, n);
      Operand<TFloat32> zeros = tf.fill(tf.constant(new int[] {n, n}), tf.constant(0f));
      Map<String, Operand<TFloat32>> weights = new LinkedHashMap<>();
      weights.put("hebb", Classical.hebbIncrement(tf.withSubScope("hebb"), x, n));
      weights.put("storkey", Classical.storkeyStore(tf.withSubScope("storkey"), zeros, x, n));
      for (Map.Entry<String, Operand<TFloat32>> e : weights.entrySet()) {
        Operand<TFloat32> w = e.getValue();
        Operand<TFloat32> retrieved = Classical.asynchronous(tf, w, probe, perms, n).states();
        Operand<TFloat32> overlap = tf.math.div(tf.sum(tf.math.mul(retrieved, x), tf.constant(1)), tf.constant((float) n));
        outputs.put(e.getKey() + "/fixed", Classical.isFixedPoint(tf, w, x));
        outputs.put(e.getKey() + "/perfect", tf.dtypes.cast(tf.math.greaterEqual(overlap, tf.constant(1f - 0.5f / n)), TFloat32.class));
        outputs.put(e.getKey() + "/overlap", overlap);
      }
      session = Sessions.create(graph, TrainConfig.newBuilder().setIntraOpThreads(1).setInterOpThreads(1).build());
    }

    /** Per-pattern results for one set of P patterns. */
    Map<String, float[]> measure(float[] patterns, int p, long s) {
      try (TFloat32 xt = Tensors.matrix(patterns, p, n);
          TInt64 st = TInt64.vectorOf(Seeds.mix(s, 1), Seeds.mix(s, 2))) {
        Session.Runner r = session.runner().feed(x, xt).feed(seed, st);
        List<String> names = new ArrayList<>(outputs.keySet());
        names.forEach(k -> r.fetch(outputs.get(k)));
        Map<String, float[]> out = new LinkedHashMap<>();
        try (Result res = r.run()) {
          for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), Tensors.toArray((TFloat32) res.get(i)));
          }
        }
        return out;
      }
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  /** The α where a decreasing curve y(α) first crosses {@code level} (linear interpolation); NaN if never. */
  static double crossing(double[] alpha, double[] y, double level) {
    for (int i = 1; i < alpha.length; i++) {
      if (y[i - 1] >= level && y[i] < level) {
        return alpha[i - 1] + (y[i - 1] - level) / (y[i - 1] - y[i]) * (alpha[i] - alpha[i - 1]);
      }
    }
    return Double.NaN;
  }

  @Override
  public void run(Path outDir, boolean quick, PrintStream out) throws Exception {
    Files.createDirectories(outDir);
    int[] ns = quick ? new int[] {100} : new int[] {100, 200, 500};
    double[] alphas = quick ? new double[] {0.05, 0.15, 0.3} : new double[] {
        0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.22, 0.25, 0.28, 0.32, 0.36, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7};
    int minPatterns = quick ? 50 : 400;
    String[] rules = {"hebb", "storkey"};
    String[] what = {"fixed", "perfect", "overlap95"};
    StringBuilder csv = new StringBuilder("n,p,alpha,trials,rule,fixed_fraction,perfect_retrieval,overlap95_retrieval,mean_overlap\n");
    Map<String, double[]> curves = new LinkedHashMap<>();
    StringBuilder summary = new StringBuilder();
    long t0 = System.nanoTime();
    for (int n : ns) {
      try (Probe probe = new Probe(n)) {
        for (String rule : rules) {
          for (String w : what) {
            curves.put(n + "/" + rule + "/" + w, new double[alphas.length]);
          }
        }
        for (int ai = 0; ai < alphas.length; ai++) {
          int p = Math.max(1, (int) Math.round(alphas[ai] * n));
          int trials = Math.min(40, Math.max(1, (minPatterns + p - 1) / p));
          double[][] sums = new double[rules.length][4];
          for (int t = 0; t < trials; t++) {
            long s = Seeds.mix(n, p, t);
            Map<String, float[]> m = probe.measure(RandomPatterns.draw(p, n, s), p, s);
            for (int ri = 0; ri < rules.length; ri++) {
              float[] fixed = m.get(rules[ri] + "/fixed");
              float[] perfect = m.get(rules[ri] + "/perfect");
              float[] overlap = m.get(rules[ri] + "/overlap");
              for (int k = 0; k < p; k++) {
                sums[ri][0] += fixed[k];
                sums[ri][1] += perfect[k];
                sums[ri][2] += overlap[k] >= 0.95f ? 1 : 0;
                sums[ri][3] += overlap[k];
              }
            }
          }
          for (int ri = 0; ri < rules.length; ri++) {
            double total = (double) p * trials;
            csv.append(String.format(Locale.ROOT, "%d,%d,%.4f,%d,%s,%.4f,%.4f,%.4f,%.4f%n", n, p, p / (double) n, trials,
                rules[ri], sums[ri][0] / total, sums[ri][1] / total, sums[ri][2] / total, sums[ri][3] / total));
            for (int wi = 0; wi < what.length; wi++) {
              curves.get(n + "/" + rules[ri] + "/" + what[wi])[ai] = sums[ri][wi] / total;
            }
          }
          out.printf(Locale.ROOT, "N=%d P=%d (alpha %.3f, %d trials): hebb fixed %.3f perfect %.3f | storkey fixed %.3f perfect %.3f%n",
              n, p, p / (double) n, trials, curves.get(n + "/hebb/fixed")[ai], curves.get(n + "/hebb/perfect")[ai],
              curves.get(n + "/storkey/fixed")[ai], curves.get(n + "/storkey/perfect")[ai]);
        }
      }
      double lnN = Math.log(n);
      for (String rule : rules) {
        double perfect50 = crossing(alphas, curves.get(n + "/" + rule + "/perfect"), 0.5);
        double fixed50 = crossing(alphas, curves.get(n + "/" + rule + "/fixed"), 0.5);
        double small50 = crossing(alphas, curves.get(n + "/" + rule + "/overlap95"), 0.5);
        double theory = rule.equals("hebb") ? 1 / (2 * lnN) : 1 / Math.sqrt(2 * lnN);
        summary.append(String.format(Locale.ROOT,
            "N=%d %-7s 50%% perfect retrieval at alpha %.3f (P %.1f); 50%% overlap>=0.95 at %.3f; 50%% fixed points at %.3f; "
                + "theory: %s %.3f (P %.1f)%s%n",
            n, rule, perfect50, perfect50 * n, small50, fixed50,
            rule.equals("hebb") ? "N/(2 ln N)" : "N/sqrt(2 ln N)", theory, theory * n,
            rule.equals("hebb") ? ", AGS alpha_c 0.138" : ""));
      }
    }
    summary.append(String.format(Locale.ROOT, "(%.0f s, async retrieval with at most %d sweeps, seeds Seeds.mix(N, P, trial))%n",
        (System.nanoTime() - t0) / 1e9, MAX_SWEEPS));
    out.print(summary);
    Files.writeString(outDir.resolve("capacity.csv"), csv.toString());
    Files.writeString(outDir.resolve("summary.txt"), summary.toString());
    for (String w : new String[] {"perfect", "fixed"}) {
      LinePlot plot = new LinePlot(w.equals("perfect") ? "Perfect retrieval from 10% flipped bits (async)"
          : "Stored patterns that are fixed points", "alpha = P / N", "fraction of patterns").yRange(0, 1.02);
      for (int n : ns) {
        for (String rule : rules) {
          plot.series(rule + " N=" + n, alphas, curves.get(n + "/" + rule + "/" + w));
        }
      }
      plot.vline("0.138", 0.138, 0, 1.02);
      plot.save(outDir.resolve("capacity-" + w + ".png"));
    }
  }
}
