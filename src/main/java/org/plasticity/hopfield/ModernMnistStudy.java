package org.plasticity.hopfield;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.plasticity.config.DataConfig;
import org.plasticity.config.TrainConfig;
import org.plasticity.core.Sessions;
import org.plasticity.core.Study;
import org.plasticity.core.Tensors;
import org.plasticity.data.ArrayDataset;
import org.plasticity.data.Batch;
import org.plasticity.data.ImageSets;
import org.plasticity.viz.Images;
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
 * Modern Hopfield retrieval of MNIST training digits from probes whose bottom half is masked:
 * accuracy (the retrieved pattern is the stored original: the largest attention weight is on it)
 * against the number of stored patterns, for raw pixels and for centred, unit-norm patterns, and
 * against β.
 */
public final class ModernMnistStudy implements Study {
  static final int D = ImageSets.PIXELS;

  @Override
  public String id() {
    return "hopfield-modern-mnist";
  }

  @Override
  public String description() {
    return "modern Hopfield: MNIST digits from half-masked probes vs stored patterns (to 55,000) and beta; raw vs centred+normalised";
  }

  /** A setting: preprocessing and inverse temperature. */
  record Setting(String name, boolean centre, float beta) {}

  /**
   * Results of one retrieval run over the probes: accuracy = the retrieved pixels are nearer to the
   * probe's original than to any other stored pattern; argmaxAccuracy = the largest attention
   * weight is on the original (independent of beta for one update).
   */
  record Outcome(double accuracy, double argmaxAccuracy, double maxAttention, double maskedMse, float[] pixels) {}

  /** Stores {@code m} patterns, probes the first {@code probes} of them with the bottom half masked. */
  static Outcome run(float[] patterns, int m, int wantedProbes, Setting s, int updates) {
    int probes = Math.min(wantedProbes, m);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, D)));
      Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, D)));
      Modern.Keys keys = Modern.keys(tf, x, s.centre());
      Operand<TFloat32> known = tf.constant(Shape.of(1, D), org.tensorflow.ndarray.buffer.DataBuffers.of(HopfieldSystem.knownMask(D, 0.5f)));
      Operand<TFloat32> q = Modern.query(tf, keys, p, known, s.centre());
      Modern.Retrieval r = Modern.retrieve(tf, x, keys, q, s.beta(), updates);
      Operand<TInt64> winner = tf.math.argMax(r.attention(), tf.constant(1));
      // The stored pattern nearest (Euclidean, pixels) to the retrieved one: |X_j|^2 - 2 r.X_j.
      Operand<TFloat32> sq = tf.expandDims(tf.sum(tf.math.square(x), tf.constant(1)), tf.constant(0));
      Operand<TFloat32> dist = tf.math.sub(sq, tf.math.mul(tf.constant(2f),
          tf.linalg.matMul(r.pixels(), x, org.tensorflow.op.linalg.MatMul.transposeB(true))));
      Operand<TInt64> nearest = tf.math.argMin(dist, tf.constant(1));
      Operand<TFloat32> top = tf.max(r.attention(), tf.constant(1));
      Operand<TFloat32> hidden = tf.math.sub(tf.constant(1f), known);
      Operand<TFloat32> mse = tf.math.div(tf.sum(tf.math.mul(tf.math.square(tf.math.sub(r.pixels(), p)), hidden), tf.constant(1)),
          tf.sum(hidden, tf.constant(1)));
      try (Session session = Sessions.create(g, TrainConfig.newBuilder().setIntraOpThreads(1).setInterOpThreads(1).build())) {
        float[] stored = new float[m * D];
        System.arraycopy(patterns, 0, stored, 0, stored.length);
        float[] probe = new float[probes * D];
        System.arraycopy(patterns, 0, probe, 0, probe.length);
        try (TFloat32 xt = Tensors.matrix(stored, m, D); TFloat32 pt = Tensors.matrix(probe, probes, D);
            Result res = session.runner().feed(x, xt).feed(p, pt).fetch(winner).fetch(top).fetch(mse).fetch(r.pixels()).fetch(nearest).run()) {
          long[] w = new long[probes];
          ((TInt64) res.get(0)).copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(w, false, false));
          long[] near = new long[probes];
          ((TInt64) res.get(4)).copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(near, false, false));
          float[] tops = Tensors.toArray((TFloat32) res.get(1));
          float[] errs = Tensors.toArray((TFloat32) res.get(2));
          double acc = 0;
          double arg = 0;
          double att = 0;
          double err = 0;
          for (int i = 0; i < probes; i++) {
            acc += near[i] == i ? 1 : 0;
            arg += w[i] == i ? 1 : 0;
            att += tops[i];
            err += errs[i];
          }
          return new Outcome(acc / probes, arg / probes, att / probes, err / probes, Tensors.toArray((TFloat32) res.get(3)));
        }
      }
    }
  }

  @Override
  public void run(Path outDir, boolean quick, PrintStream out) throws Exception {
    Files.createDirectories(outDir);
    ArrayDataset mnist = ImageSets.load(DataConfig.newBuilder().setSource(DataConfig.Source.MNIST).build(), 1);
    int[] sizes = quick ? new int[] {100, 1000} : new int[] {100, 1000, 5000, 20000, 55000};
    int probes = quick ? 50 : 500;
    int all = sizes[sizes.length - 1];
    // Epoch 0's permutation of the 55,000 training images (seed 1): stored sets are its prefixes.
    Batch b = mnist.trainBatch(0, all);
    float[] patterns = b.field(ImageSets.IMAGES);
    List<Setting> settings = List.of(
        new Setting("raw, beta 1", false, 1f),
        new Setting("raw, beta 100", false, 100f),
        new Setting("centred+unit, beta 8", true, 8f),
        new Setting("centred+unit, beta 100", true, 100f));
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "%s: %d probes (at most M) = the first stored patterns, bottom half masked, 1 update, MNIST train seed-1 permutation%n", id(), probes));
    sb.append("setting | stored | accuracy (nearest stored = original) | largest attention on original | mean largest attention | masked-half MSE\n");
    Map<String, double[]> acc = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    for (Setting s : settings) {
      double[] a = new double[sizes.length];
      for (int i = 0; i < sizes.length; i++) {
        Outcome o = run(patterns, sizes[i], probes, s, 1);
        a[i] = o.accuracy();
        String line = String.format(Locale.ROOT, "%s | %d | %.3f | %.3f | %.3f | %.4f%n", s.name(), sizes[i], o.accuracy(),
            o.argmaxAccuracy(), o.maxAttention(), o.maskedMse());
        sb.append(line);
        out.print(line);
      }
      acc.put(s.name(), a);
    }
    // Effect of beta at a fixed memory size.
    int mBeta = quick ? 1000 : 20000;
    float[] betas = quick ? new float[] {1, 100} : new float[] {1, 4, 16, 32, 64, 128, 256, 1024};
    double[] bx = new double[betas.length];
    double[] by = new double[betas.length];
    double[] bt = new double[betas.length];
    sb.append(String.format(Locale.ROOT, "beta sweep, centred+unit, %d stored:%n", mBeta));
    for (int i = 0; i < betas.length; i++) {
      Outcome o = run(patterns, mBeta, probes, new Setting("beta", true, betas[i]), 1);
      bx[i] = betas[i];
      by[i] = o.accuracy();
      bt[i] = o.maxAttention();
      String line = String.format(Locale.ROOT, "beta %.0f | accuracy %.3f | mean max attention %.3f | masked-half MSE %.4f%n",
          betas[i], o.accuracy(), o.maxAttention(), o.maskedMse());
      sb.append(line);
      out.print(line);
    }
    sb.append(String.format(Locale.ROOT, "(%.0f s)%n", (System.nanoTime() - t0) / 1e9));
    Files.writeString(outDir.resolve("summary.txt"), sb.toString());

    double[] xs = new double[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      xs[i] = sizes[i];
    }
    LinePlot p = new LinePlot("Modern Hopfield, MNIST, bottom half masked (N = 784 pixels)", "stored patterns M",
        "retrieval accuracy").logX().yRange(0, 1.02);
    acc.forEach((k, v) -> p.series(k, xs, v));
    p.vline("0.138 N = 108", 0.138 * D, 0, 1.02).save(outDir.resolve("accuracy-vs-stored.png"));
    new LinePlot("Modern Hopfield, MNIST, " + mBeta + " stored, centred + unit norm", "beta", "fraction").logX().yRange(0, 1.02)
        .series("accuracy", bx, by).series("mean largest attention weight", bx, bt).save(outDir.resolve("beta.png"));

    // Example retrievals: original, probe, then each setting's retrieved pixels (1000 stored).
    int show = 8;
    int mShow = 1000;
    List<BufferedImage> tiles = new ArrayList<>();
    List<float[]> rows = new ArrayList<>();
    float[] known = HopfieldSystem.knownMask(D, 0.5f);
    float[] originals = new float[show * D];
    float[] masked = new float[show * D];
    for (int i = 0; i < show * D; i++) {
      originals[i] = patterns[i];
      masked[i] = patterns[i] * known[i % D];
    }
    rows.add(originals);
    rows.add(masked);
    for (Setting s : List.of(settings.get(0), new Setting("centred+unit, beta 8", true, 8f), settings.get(3))) {
      rows.add(run(patterns, mShow, show, s, 1).pixels());
    }
    for (float[] row : rows) {
      for (int i = 0; i < show; i++) {
        float[] img = new float[D];
        System.arraycopy(row, i * D, img, 0, D);
        tiles.add(Images.grey(img, ImageSets.SIDE, ImageSets.SIDE, 2));
      }
    }
    Images.savePng(Images.caption(Images.grid(tiles, show),
        "rows: stored, probe (bottom masked), raw beta 1, centred+unit beta 8, beta 100 (" + mShow + " stored)"),
        outDir.resolve("examples.png"));
  }
}
