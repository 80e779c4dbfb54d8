package org.plasticity.dni;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.plasticity.config.Configs;
import org.plasticity.config.DniConfig;
import org.plasticity.config.Experiment;
import org.plasticity.core.MetricsLog;
import org.plasticity.core.Placement;
import org.plasticity.core.RunDirectory;
import org.plasticity.core.Study;
import org.plasticity.core.Trainer;
import org.plasticity.core.TrainingGraph;
import org.plasticity.data.Dataset;
import org.plasticity.data.Datasets;
import org.plasticity.viz.LinePlot;

/** The DNI reproductions: binary-addition curves and the MNIST depth table. */
public final class DniStudies {
  private DniStudies() {}

  public static List<Study> all() {
    return List.of(new Addition(), new Mnist());
  }

  /** Trains one experiment into {@code dir} (replacing an earlier run there); returns its metrics log. */
  static List<JsonObject> train(Experiment e, Path dir, PrintStream out) throws IOException {
    Experiment resolved = Configs.resolve(e);
    if (Files.exists(dir)) {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    JsonObject record = new JsonObject();
    record.addProperty("seed", resolved.getSeed());
    record.addProperty("created", java.time.OffsetDateTime.now().toString());
    record.addProperty("tensorflow", org.tensorflow.TensorFlow.version());
    record.addProperty("cpus", Runtime.getRuntime().availableProcessors());
    RunDirectory run = RunDirectory.create(dir, resolved, record);
    Dataset data = Datasets.open(resolved);
    try (TrainingGraph g = new DniModel().build(resolved, data.widths(), Placement.CPU)) {
      new Trainer(resolved, g, data, run).withStandardListeners(out).train(false);
    }
    return new MetricsLog(run.metrics()).read();
  }

  /** (step, value) of every evaluation record of {@code key}. */
  static double[][] curve(List<JsonObject> log, String key) {
    List<double[]> pts = new ArrayList<>();
    for (JsonObject o : log) {
      if (o.has(key)) {
        pts.add(new double[] {o.get("step").getAsDouble(), o.get(key).getAsDouble()});
      }
    }
    double[][] xy = new double[2][pts.size()];
    for (int k = 0; k < pts.size(); k++) {
      xy[0][k] = pts.get(k)[0];
      xy[1][k] = pts.get(k)[1];
    }
    return xy;
  }

  static Experiment base(String file) {
    Path home = Path.of(System.getProperty("plasticity.home", "."));
    return Configs.load(home.resolve("models").resolve(file));
  }

  static Experiment with(Experiment e, DniConfig.Mode mode, int depth, long seed) {
    Experiment.Builder b = e.toBuilder().setSeed(seed);
    b.getDniBuilder().setMode(mode);
    if (depth > 0) {
      b.getDniBuilder().setDepth(depth);
    }
    b.setName(e.getName() + "-" + mode.name().toLowerCase(Locale.ROOT) + (depth > 0 ? "-d" + depth : "") + "-s" + seed);
    b.getTrainBuilder().setTensorboard(false).setExportAtEnd(false).setCheckpointEvery(0);
    return b.build();
  }

  /** Binary addition, 3 layers: test error of bprop, dni and cdni against samples seen. */
  static final class Addition implements Study {
    @Override
    public String id() {
      return "dni-addition";
    }

    @Override
    public String description() {
      return "DNI on 8-bit binary addition: bprop / dni / cdni error vs samples (models/dni_addition.pbtxt, 3 seeds)";
    }

    @Override
    public void run(Path outDir, boolean quick, PrintStream out) throws Exception {
      Experiment base = base("dni_addition.pbtxt");
      if (quick) {
        base = base.toBuilder().setTrain(base.getTrain().toBuilder().setSteps(40).setEvalEvery(20).setLogEvery(20))
            .setData(base.getData().toBuilder().setGeneratedTestSize(200)).build();
      }
      long[] seeds = quick ? new long[] {1} : new long[] {1, 2, 3};
      int batch = base.getTrain().getBatchSize();
      Files.createDirectories(outDir);
      LinePlot sum = new LinePlot("Binary addition (8 bits), 3 layers: test error (mean of " + seeds.length + " seeds)",
          "samples seen", "test error (sum wrong)");
      LinePlot bits = new LinePlot("Binary addition (8 bits), 3 layers: test bit error (mean of " + seeds.length + " seeds)",
          "samples seen", "test bit error");
      StringBuilder table = new StringBuilder("mode\tseed\tsteps\ttest_error\ttest_bit_error\n");
      for (DniConfig.Mode mode : List.of(DniConfig.Mode.BPROP, DniConfig.Mode.DNI, DniConfig.Mode.CDNI)) {
        double[][] meanSum = null;
        double[][] meanBit = null;
        for (long seed : seeds) {
          Experiment e = with(base, mode, 0, seed);
          List<JsonObject> log = train(e, outDir.resolve("runs").resolve(e.getName()), out);
          double[][] acc = curve(log, "test/accuracy");
          double[][] bitAcc = curve(log, "test/bit_accuracy");
          if (meanSum == null) {
            meanSum = new double[][] {scale(acc[0], batch), new double[acc[0].length]};
            meanBit = new double[][] {scale(bitAcc[0], batch), new double[bitAcc[0].length]};
          }
          for (int k = 0; k < acc[1].length; k++) {
            meanSum[1][k] += (1 - acc[1][k]) / seeds.length;
            meanBit[1][k] += (1 - bitAcc[1][k]) / seeds.length;
          }
          int last = acc[1].length - 1;
          table.append(String.format(Locale.ROOT, "%s\t%d\t%d\t%.4f\t%.4f%n", mode, seed, e.getTrain().getSteps(),
              1 - acc[1][last], 1 - bitAcc[1][last]));
        }
        sum.series(mode.name().toLowerCase(Locale.ROOT), meanSum[0], meanSum[1]);
        bits.series(mode.name().toLowerCase(Locale.ROOT), meanBit[0], meanBit[1]);
      }
      sum.save(outDir.resolve("error.png"));
      bits.save(outDir.resolve("bit-error.png"));
      Files.writeString(outDir.resolve("table.tsv"), table.toString());
      out.print(table);
    }
  }

  static double[] scale(double[] steps, int batch) {
    double[] s = new double[steps.length];
    for (int k = 0; k < s.length; k++) {
      s[k] = steps[k] * batch;
    }
    return s;
  }

  /** MNIST, fully connected, depths 3..6 (or those given): bprop / dni / cdni full-test-set error. */
  static final class Mnist implements Study {
    /** The paper's Table 1 (MNIST FCN, % test error, Bprop / DNI / cDNI), as quoted in the issue. */
    static final Map<Integer, double[]> PAPER = Map.of(
        3, new double[] {2.0, 1.9, 2.2},
        4, new double[] {1.8, 2.2, 1.9},
        5, new double[] {1.8, 3.4, 1.7},
        6, new double[] {1.8, 4.3, 1.6});

    @Override
    public String id() {
      return "dni-mnist";
    }

    @Override
    public String description() {
      return "DNI on MNIST FCN, Table 1 of Jaderberg et al.: depths from -Ddni.depths (default 3,6), "
          + "bprop / dni / cdni (models/dni_mnist.pbtxt)";
    }

    @Override
    public void run(Path outDir, boolean quick, PrintStream out) throws Exception {
      Experiment base = base("dni_mnist.pbtxt");
      if (quick) {
        base = base.toBuilder()
            .setTrain(base.getTrain().toBuilder().setSteps(20).setEvalEvery(10).setLogEvery(10).setBatchSize(32))
            .setData(base.getData().toBuilder().setTrainLimit(2000).setTestLimit(500))
            .setDni(base.getDni().toBuilder().setGeneratorHiddenUnits(32)).build();
      }
      List<Integer> depths = new ArrayList<>();
      for (String d : System.getProperty("dni.depths", quick ? "3" : "3,6").split(",")) {
        depths.add(Integer.parseInt(d.trim()));
      }
      Files.createDirectories(outDir);
      Map<Integer, double[]> ours = new LinkedHashMap<>();
      List<DniConfig.Mode> modes = List.of(DniConfig.Mode.BPROP, DniConfig.Mode.DNI, DniConfig.Mode.CDNI);
      for (int depth : depths) {
        LinePlot plot = new LinePlot("MNIST FCN, " + depth + " layers: full test set error", "step", "test error (%)");
        double[] row = new double[3];
        for (int m = 0; m < 3; m++) {
          Experiment e = with(base, modes.get(m), depth, base.getSeed());
          List<JsonObject> log = train(e, outDir.resolve("runs").resolve(e.getName()), out);
          double[][] acc = curve(log, "test/accuracy");
          double[] err = new double[acc[1].length];
          for (int k = 0; k < err.length; k++) {
            err[k] = 100 * (1 - acc[1][k]);
          }
          row[m] = err[err.length - 1];
          plot.series(modes.get(m).name().toLowerCase(Locale.ROOT), acc[0], err);
        }
        plot.save(outDir.resolve("depth" + depth + ".png"));
        ours.put(depth, row);
        writeTable(outDir, base, ours);
      }
      out.print(Files.readString(outDir.resolve("table.md")));
    }

    private static void writeTable(Path outDir, Experiment base, Map<Integer, double[]> ours) throws IOException {
      StringBuilder t = new StringBuilder();
      t.append(String.format(Locale.ROOT, "Full 10k test set error (%%) after %d steps (batch %d, generator %s %dx%d):%n%n",
          base.getTrain().getSteps(), base.getTrain().getBatchSize(), base.getDni().getGenerator(),
          base.getDni().getGeneratorHiddenLayers(), base.getDni().getGeneratorHiddenUnits()));
      t.append("| layers | Bprop (ours) | DNI (ours) | cDNI (ours) | Bprop (paper) | DNI (paper) | cDNI (paper) |\n");
      t.append("|---|---|---|---|---|---|---|\n");
      for (Map.Entry<Integer, double[]> e : ours.entrySet()) {
        double[] o = e.getValue();
        double[] p = PAPER.getOrDefault(e.getKey(), new double[] {Double.NaN, Double.NaN, Double.NaN});
        t.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.1f | %.1f | %.1f |%n",
            e.getKey(), o[0], o[1], o[2], p[0], p[1], p[2]));
      }
      Files.writeString(outDir.resolve("table.md"), t.toString());
    }
  }
}
