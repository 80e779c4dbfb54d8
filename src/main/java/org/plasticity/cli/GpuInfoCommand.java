package org.plasticity.cli;

import com.google.protobuf.TextFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.plasticity.config.Configs;
import org.plasticity.config.Experiment;
import org.plasticity.core.Devices;
import org.plasticity.core.GpuRuntime;
import org.plasticity.core.Placement;
import org.plasticity.core.Sessions;
import org.plasticity.core.StepRunner;
import org.plasticity.core.Trainer;
import org.plasticity.core.TrainingGraph;
import org.plasticity.core.UserError;
import org.plasticity.data.Batch;
import org.plasticity.data.Dataset;
import org.plasticity.data.Datasets;
import org.tensorflow.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Reports the GPU runtime (native build, CUDA folder, driver, TF devices) and, with --time, the
 * milliseconds per training step of a config at several batch sizes on the chosen device.
 */
@Command(name = "gpu-info", mixinStandardHelpOptions = true,
    description = {"Show which TensorFlow natives, CUDA libraries, driver and devices this process sees;",
        "with --time CONFIG, time training steps (ms/step) at the given batch sizes."})
public final class GpuInfoCommand implements Callable<Integer> {
  @Option(names = "--time", paramLabel = "CONFIG", description = "Experiment config whose training step to time.")
  Path timeConfig;

  @Option(names = "--batches", split = ",", description = "Batch sizes to time (default: ${DEFAULT-VALUE}).",
      defaultValue = "50,1000,10000")
  List<Integer> batches;

  @Option(names = "--steps", description = "Timed steps per batch size (default: ${DEFAULT-VALUE}).", defaultValue = "50")
  int steps;

  @Option(names = "--warmup", description = "Untimed steps first (default: ${DEFAULT-VALUE}).", defaultValue = "5")
  int warmup;

  @Option(names = "--device", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).", defaultValue = "auto")
  String device;

  @Option(names = "--set", description = "Override config fields in protobuf text, e.g. --set 'train { intra_op_threads: 16 }'.")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() {
    printRuntime();
    if (timeConfig != null) {
      time();
    }
    return 0;
  }

  private void printRuntime() {
    boolean gpuNatives = GpuRuntime.gpuNativesOnClasspath();
    System.out.println("tensorflow " + org.tensorflow.TensorFlow.version() + ", natives: "
        + (gpuNatives ? "linux-x86_64-gpu (CUDA build)" : "linux-x86_64 (CPU build)"));
    String ext = System.getProperty(GpuRuntime.EXTENSION_PROPERTY);
    System.out.println("javacpp platform extension: " + (ext == null ? "(none)" : ext));
    Path dir = GpuRuntime.cudaDir();
    List<String> missing = GpuRuntime.missing(dir, GpuRuntime.REQUIRED);
    List<String> missingOther = GpuRuntime.missing(dir, GpuRuntime.ON_DEMAND);
    System.out.println("CUDA " + GpuRuntime.CUDA_VERSION + " folder: " + dir + " (missing required: "
        + (missing.isEmpty() ? "none" : String.join(" ", missing)) + "; missing on-demand: "
        + (missingOther.isEmpty() ? "none" : String.join(" ", missingOther)) + ")");
    String ld = System.getenv("LD_LIBRARY_PATH");
    System.out.println("LD_LIBRARY_PATH: " + (ld == null ? "(unset)" : ld));
    List<String> gpus = Devices.gpuNames();
    System.out.println("NVIDIA driver: " + Devices.driverVersion() + "; GPUs: " + (gpus.isEmpty() ? "none" : String.join(", ", gpus)));
    for (Devices.TfDevice d : Devices.tfDevices()) {
      System.out.printf("tensorflow device: %s (%s%s)%n", d.name(), d.type(),
          d.memoryBytes() > 0 ? String.format(", %.1f GiB", d.memoryBytes() / (double) (1L << 30)) : "");
    }
    System.out.println("train.device auto resolves to: " + Devices.resolve("auto").name().toLowerCase());
  }

  private void time() {
    Experiment base = Configs.load(timeConfig);
    Experiment.Builder b = base.toBuilder();
    for (String o : overrides) {
      try {
        TextFormat.getParser().merge(o, b);
      } catch (TextFormat.ParseException ex) {
        throw new UserError("--set '" + o + "': " + ex.getMessage());
      }
    }
    b.getTrainBuilder().setDevice(device);
    Experiment e = Configs.resolve(b.build());
    Configs.validate(e, String.valueOf(timeConfig));
    Placement placement = Devices.resolve(device);
    Dataset data = Datasets.open(e);
    System.out.printf("timing %s on %s (%s): %d warm-up + %d timed steps per batch size, intra/inter threads %d/%d%n",
        e.getName(), placement.name().toLowerCase(), placement == Placement.GPU ? String.join(", ", Devices.gpuNames()) : "cpu",
        warmup, steps, e.getTrain().getIntraOpThreads(), e.getTrain().getInterOpThreads());
    for (int batch : batches) {
      if (batch <= 0) {
        throw new UserError("--batches: expected positive batch sizes, got " + batch);
      }
      Experiment eb = e.toBuilder().setTrain(e.getTrain().toBuilder().setBatchSize(batch)).build();
      double[] t = timeSteps(eb, data, placement, warmup, steps);
      System.out.printf("batch %6d: %9.3f ms/step  (%.0f examples/s; building a batch on the host: %.3f ms, not included)%n",
          batch, t[0], batch * 1000.0 / t[0], t[1]);
    }
  }

  /**
   * Runs {@code warmup} then {@code steps} training steps (the graph's step runner, no metric
   * fetches) on a ring of four prepared batches; returns {ms per timed step, ms to build one batch}.
   */
  static double[] timeSteps(Experiment e, Dataset data, Placement placement, int warmup, int steps) {
    int batch = e.getTrain().getBatchSize();
    long t0 = System.nanoTime();
    Batch[] ring = new Batch[4];
    for (int i = 0; i < ring.length; i++) {
      ring[i] = data.trainBatch(i, batch);
    }
    double batchMs = (System.nanoTime() - t0) / 1e6 / ring.length;
    try (TrainingGraph g = Systems.of(e).build(e, data.widths(), placement);
        Session s = Sessions.create(g.graph(), e.getTrain())) {
      StepRunner runner = g.stepRunner() != null ? g.stepRunner() : Trainer::runDefault;
      for (int k = 0; k < warmup; k++) {
        runner.run(s, g, ring[k % ring.length], k, false);
      }
      long start = System.nanoTime();
      for (int k = 0; k < steps; k++) {
        runner.run(s, g, ring[k % ring.length], warmup + k, false);
      }
      // One fetch at the end so queued GPU work has finished before the clock stops.
      Map<String, Float> last = runner.run(s, g, ring[0], warmup + steps, true);
      double ms = (System.nanoTime() - start) / 1e6 / (steps + 1);
      if (last.values().stream().anyMatch(v -> !Float.isFinite(v))) {
        System.out.println("  (warning: a metric is not finite after timing: " + last + ")");
      }
      return new double[] {ms, batchMs};
    }
  }
}
