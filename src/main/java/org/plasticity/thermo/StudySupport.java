package org.plasticity.thermo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.plasticity.config.DataConfig;
import org.plasticity.config.Experiment;
import org.plasticity.config.LangevinConfig;
import org.plasticity.config.TrainConfig;
import org.plasticity.core.AtomicFiles;
import org.plasticity.core.UserError;

/** Shared pieces of the thermo studies: experiment builder, statistics, tables. */
final class StudySupport {
  private StudySupport() {}

  /** The rules of the seed's table: Hebbian, perceptron, AdaTron, α-tron for α ∈ {0.25, 0.5, 1, 2}. */
  record RuleChoice(LangevinConfig.Rule rule, float alpha) {
    String label() {
      return LearningRules.label(rule, alpha);
    }
  }

  static final List<RuleChoice> ALL_RULES = List.of(
      new RuleChoice(LangevinConfig.Rule.HEBBIAN, 1f),
      new RuleChoice(LangevinConfig.Rule.PERCEPTRON, 1f),
      new RuleChoice(LangevinConfig.Rule.ADATRON, 1f),
      new RuleChoice(LangevinConfig.Rule.ALPHATRON, 0.25f),
      new RuleChoice(LangevinConfig.Rule.ALPHATRON, 0.5f),
      new RuleChoice(LangevinConfig.Rule.ALPHATRON, 1f),
      new RuleChoice(LangevinConfig.Rule.ALPHATRON, 2f));

  /**
   * The seed's Langevin setting (k = 1, ν = 3√n, D = 1, batch 30) at size n, one thread, no
   * checkpoints beyond the last, no TensorBoard, no export; logged about {@code logPoints} times.
   */
  static Experiment langevin(String name, long seed, int n, int chains, RuleChoice rule, double dt,
      double time, int logPoints) {
    long steps = Math.round(time / dt);
    LangevinConfig c = LangevinConfig.newBuilder().setN(n).setChains(chains).setRule(rule.rule())
        .setAlpha(rule.alpha()).setDt((float) dt).build();
    return Experiment.newBuilder().setName(name).setSeed(seed)
        .setData(DataConfig.newBuilder().setSource(DataConfig.Source.TEACHER_PERCEPTRON)
            .setGeneratedTestSize(Math.min(10000, 20_000_000 / n)))
        .setTrain(single(steps, 30, (int) Math.max(1, steps / logPoints)))
        .setLangevin(c).build();
  }

  static TrainConfig single(long steps, int batch, int logEvery) {
    return TrainConfig.newBuilder().setSteps(steps).setBatchSize(batch).setLogEvery(logEvery)
        .setCheckpointEvery(0).setKeepCheckpoints(1).setExportAtEnd(false).setTensorboard(false)
        .setIntraOpThreads(1).setInterOpThreads(1).build();
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  /** Standard error of the mean (NaN for fewer than two values). */
  static double se(double[] x) {
    if (x.length < 2) {
      return Double.NaN;
    }
    double m = mean(x);
    double ss = 0;
    for (double v : x) {
      ss += (v - m) * (v - m);
    }
    return Math.sqrt(ss / (x.length - 1) / x.length);
  }

  /** "m ± se" with the given format, or just m when se is NaN. */
  static String pm(String fmt, double m, double se) {
    return Double.isNaN(se) ? String.format(fmt, m) : String.format(fmt + " ± " + fmt, m, se);
  }

  /** Least-squares slope of y against x. */
  static double slope(double[] x, double[] y) {
    double mx = mean(x);
    double my = mean(y);
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxy / sxx;
  }

  static void write(Path file, String text, PrintStream out) {
    try {
      Files.createDirectories(file.getParent());
      AtomicFiles.writeString(file, text);
    } catch (IOException e) {
      throw new UserError(file + ": cannot write (" + e.getMessage() + ")", e);
    }
    out.print(text);
    out.println("(written to " + file + ")");
  }

  static String header(String... cols) {
    return "| " + String.join(" | ", cols) + " |\n|" + "---|".repeat(cols.length) + "\n";
  }

  static String row(Object... cells) {
    StringBuilder sb = new StringBuilder("|");
    for (Object c : cells) {
      sb.append(' ').append(c).append(" |");
    }
    return sb.append('\n').toString();
  }

  static String stamp() {
    return "date " + java.time.OffsetDateTime.now().withNano(0) + ", " + Runtime.getRuntime().availableProcessors()
        + " cpus, TF " + org.tensorflow.TensorFlow.version() + ", java " + System.getProperty("java.version")
        + "\n";
  }
}
