package org.plasticity.local;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.plasticity.config.DataConfig;
import org.plasticity.config.Experiment;
import org.plasticity.config.HeatExchangerConfig;
import org.plasticity.config.OptimizerConfig;
import org.plasticity.config.TrainConfig;
import org.plasticity.core.Evaluator;
import org.plasticity.core.Placement;
import org.plasticity.core.SampleStats;
import org.plasticity.core.Sessions;
import org.plasticity.core.Study;
import org.plasticity.core.Tensors;
import org.plasticity.core.TrainingGraph;
import org.plasticity.data.Circle;
import org.plasticity.data.Dataset;
import org.plasticity.data.Datasets;
import org.plasticity.viz.Images;
import org.plasticity.viz.LinePlot;
import org.tensorflow.Session;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The heat exchanger against a back-propagation MLP of the same sizes on the circle task, over
 * seeds: held-out accuracy curves, the final table, and an animation of both pipes' weights.
 */
public final class HeatExchangerStudy implements Study {
  static final int[] HIDDEN = {16, 16};

  @Override
  public String id() {
    return "heat-exchanger-circle";
  }

  @Override
  public String description() {
    return "neural heat exchanger vs backprop MLP (2-16-16-1) on the radius-0.8 circle, 10 seeds";
  }

  public static Experiment experiment(long seed, boolean backprop, long steps, float rate) {
    HeatExchangerConfig.Builder h = HeatExchangerConfig.newBuilder().setBackpropBaseline(backprop).setLearningRate(rate);
    for (int n : HIDDEN) {
      h.addHidden(n);
    }
    return Experiment.newBuilder().setName("heat_exchanger").setSeed(seed)
        .setData(DataConfig.newBuilder().setSource(DataConfig.Source.CIRCLE).setCircleRadius(0.8f).setGeneratedTestSize(5000))
        .setTrain(TrainConfig.newBuilder().setSteps(steps).setBatchSize(32).setEvalBatchSize(5000)
            .setIntraOpThreads(1).setInterOpThreads(1)
            .setOptimizer(OptimizerConfig.newBuilder().setKind(OptimizerConfig.Kind.SGD).setLearningRate(rate)))
        .setHeatExchanger(h)
        .build();
  }

  /** Test accuracy every {@code every} steps (index 0 = before training); frames of the weights when asked. */
  public static double[] train(Experiment e, int every, List<BufferedImage> frames) {
    Dataset data = Datasets.open(e);
    HeatExchanger sys = new HeatExchanger();
    long steps = e.getTrain().getSteps();
    double[] acc = new double[(int) (steps / every) + 1];
    try (TrainingGraph g = sys.build(e, data.widths(), Placement.CPU);
        Session s = Sessions.create(g.graph(), e.getTrain())) {
      for (long step = 0; step <= steps; step++) {
        if (step % every == 0) {
          Map<String, Double> m = Evaluator.evaluate(s, g, data, e.getTrain().getEvalBatchSize());
          acc[(int) (step / every)] = m.get("test/accuracy");
          if (frames != null) {
            frames.add(frame(s, sys, step, acc[(int) (step / every)]));
          }
        }
        if (step < steps) {
          Tensors.runScalars(s, g, data.trainBatch(step, e.getTrain().getBatchSize()), step, g.trainTargets(), Map.of());
        }
      }
    }
    return acc;
  }

  private static BufferedImage frame(Session s, HeatExchanger sys, long step, double acc) {
    List<BufferedImage> forward = new ArrayList<>();
    for (Variable<TFloat32> w : sys.parts().forward()) {
      forward.add(heat(s, w));
    }
    List<BufferedImage> backward = new ArrayList<>();
    for (Variable<TFloat32> v : sys.parts().backward()) {
      backward.add(heat(s, v));
    }
    BufferedImage rows = Images.concat(List.of(
        Images.caption(Images.concat(forward, true, 6), "forward pipe W1..W" + forward.size()),
        Images.caption(Images.concat(backward, true, 6), "backward pipe V2..V" + (backward.size() + 1))), false, 4);
    return Images.caption(rows, String.format(Locale.ROOT, "step %d, test accuracy %.3f", step, acc));
  }

  private static BufferedImage heat(Session s, Variable<TFloat32> w) {
    float[] v = Tensors.fetch(s, w);
    int rows = (int) w.shape().get(0);
    int cols = (int) w.shape().get(1);
    return Images.heatmap(v, rows, cols, 2f, 10);
  }

  @Override
  public void run(Path outDir, boolean quick, PrintStream out) throws Exception {
    Files.createDirectories(outDir);
    int seeds = quick ? 2 : 10;
    long steps = quick ? 400 : 6000;
    int every = quick ? 100 : 200;
    float rate = 0.5f;
    double chance = Circle.insideFraction(0.8f);
    double[][][] curves = new double[2][seeds][];
    String[] names = {"heat exchanger (local)", "backprop MLP (SGD)"};
    long t0 = System.nanoTime();
    List<BufferedImage> frames = new ArrayList<>();
    for (int sys = 0; sys < 2; sys++) {
      for (int k = 0; k < seeds; k++) {
        curves[sys][k] = train(experiment(k + 1, sys == 1, steps, rate), every, sys == 0 && k == 0 ? frames : null);
        out.printf(Locale.ROOT, "%s seed %d: final test accuracy %.4f%n", names[sys], k + 1, curves[sys][k][curves[sys][k].length - 1]);
      }
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "%s: 2-%d-%d-1, tanh hidden, sigmoid output, batch 32, %d steps, learning rate %.2f (both), 5000 held-out points, "
            + "seeds 1..%d, %.0f s%nchance (always 'inside' = fraction inside the circle): %.4f%n",
        id(), HIDDEN[0], HIDDEN[1], steps, rate, seeds, (System.nanoTime() - t0) / 1e9, chance));
    int n = curves[0][0].length;
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = i * every;
    }
    LinePlot plot = new LinePlot("Circle r = 0.8: held-out accuracy (median, quartiles over " + seeds + " seeds)", "training step",
        "test accuracy").yRange(0.4, 1.0);
    for (int sys = 0; sys < 2; sys++) {
      double[] fin = new double[seeds];
      for (int k = 0; k < seeds; k++) {
        fin[k] = curves[sys][k][n - 1];
      }
      sb.append(String.format(Locale.ROOT, "%s: mean %.4f, sd %.4f, min %.4f, median %.4f, max %.4f; per seed", names[sys],
          SampleStats.mean(fin), SampleStats.stddev(fin), SampleStats.quantile(fin, 0), SampleStats.quantile(fin, 0.5),
          SampleStats.quantile(fin, 1)));
      for (double v : fin) {
        sb.append(String.format(Locale.ROOT, " %.4f", v));
      }
      sb.append('\n');
      double[] med = new double[n];
      double[] lo = new double[n];
      double[] hi = new double[n];
      for (int i = 0; i < n; i++) {
        double[] col = new double[seeds];
        for (int k = 0; k < seeds; k++) {
          col[k] = curves[sys][k][i];
        }
        med[i] = SampleStats.quantile(col, 0.5);
        lo[i] = SampleStats.quantile(col, 0.25);
        hi[i] = SampleStats.quantile(col, 0.75);
      }
      plot.band(names[sys], xs, med, lo, hi);
    }
    plot.hline("chance " + String.format(Locale.ROOT, "%.3f", chance), chance, 0, xs[n - 1]);
    plot.save(outDir.resolve("accuracy.png"));
    out.print(sb);
    Files.writeString(outDir.resolve("summary.txt"), sb.toString());
    List<BufferedImage> shown = new ArrayList<>();
    for (int i = 0; i < frames.size(); i += Math.max(1, frames.size() / 30)) {
      shown.add(frames.get(i));
    }
    shown.add(frames.get(frames.size() - 1));
    Images.saveGif(shown, 250, outDir.resolve("weights.gif"));
  }
}
