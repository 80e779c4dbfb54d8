package org.plasticity.cli;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.plasticity.config.Configs;
import org.plasticity.config.Experiment;
import org.plasticity.core.Devices;
import org.plasticity.core.LearningSystem;
import org.plasticity.core.Placement;
import org.plasticity.core.PlacementReport;
import org.plasticity.core.RunDirectory;
import org.plasticity.core.Trainer;
import org.plasticity.core.TrainingGraph;
import org.plasticity.core.UserError;
import org.plasticity.data.Dataset;
import org.plasticity.data.Datasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train an experiment (models/*.pbtxt) into checkpoints/<run>/, or resume a run.")
public final class TrainCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", description = "Experiment config (.pbtxt).")
  Path config;

  @Option(names = "--resume", description = "Continue this run (name under checkpoints/ or path) from its latest checkpoint.")
  String resume;

  @Option(names = "--run", description = "Run directory name (default: <name>-<timestamp>).")
  String runName;

  @Option(names = "--checkpoints", description = "Parent directory of runs (default: ${DEFAULT-VALUE}).", defaultValue = "checkpoints")
  Path checkpointsRoot;

  @Option(names = "--steps", description = "Override train.steps (with --resume: extend the run).")
  Long steps;

  @Option(names = "--seed", description = "Override the seed.")
  Long seed;

  @Option(names = "--device", description = "auto, cpu or gpu (overrides train.device).")
  String device;

  @Option(names = "--set", description = "Override config fields in protobuf text, e.g. --set 'train { batch_size: 100 }'.")
  java.util.List<String> overrides = new java.util.ArrayList<>();

  @Override
  public Integer call() {
    RunDirectory run;
    Experiment experiment;
    if (resume != null) {
      if (config != null) {
        throw new UserError("train: give either a config or --resume, not both");
      }
      run = RunDirectory.open(resume);
      experiment = run.config();
      if (steps != null) {
        experiment = experiment.toBuilder().setTrain(experiment.getTrain().toBuilder().setSteps(steps)).build();
      }
      Experiment resumed = experiment;
      checkTeacher(run, () -> Datasets.teacherFingerprint(resumed));
    } else {
      if (config == null) {
        throw new UserError("train: expected a config file (e.g. models/dnm_mnist.pbtxt) or --resume <run>");
      }
      experiment = applyOverrides(Configs.load(config));
      experiment = Configs.resolve(experiment);
      String name = runName != null ? runName
          : experiment.getName() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      Placement placement = Devices.resolve(experiment.getTrain().getDevice());
      run = RunDirectory.create(checkpointsRoot.resolve(name), experiment, record(experiment, placement));
    }
    Placement placement = Devices.resolve(experiment.getTrain().getDevice());
    Dataset data = Datasets.open(experiment);
    LearningSystem system = Systems.of(experiment);
    try (TrainingGraph graph = system.build(experiment, data.widths(), placement)) {
      if (placement == Placement.GPU || Boolean.getBoolean("plasticity.placementReport")) {
        reportPlacement(graph, experiment, data, placement, run);
      }
      Map<String, Double> result = new Trainer(experiment, graph, data, run)
          .withStandardListeners(System.out)
          .train(resume != null);
      System.out.println("run directory: " + run.root());
      if (result != null) {
        result.forEach((k, v) -> System.out.printf("%s = %.6g%n", k, v));
      }
    }
    return 0;
  }

  private Experiment applyOverrides(Experiment e) {
    for (String o : overrides) {
      e = Configs.merge(e, o);
    }
    Experiment.Builder b = e.toBuilder();
    if (steps != null) {
      b.getTrainBuilder().setSteps(steps);
    }
    if (seed != null) {
      b.setSeed(seed);
    }
    if (device != null) {
      b.getTrainBuilder().setDevice(device);
    }
    Experiment out = b.build();
    Configs.validate(out, String.valueOf(config));
    return out;
  }

  static JsonObject record(Experiment e, Placement placement) {
    JsonObject r = new JsonObject();
    r.addProperty("seed", e.getSeed());
    r.addProperty("created", java.time.OffsetDateTime.now().toString());
    r.addProperty("git_revision", gitRevision());
    Devices.describe(placement).entrySet().forEach(en -> r.add(en.getKey(), en.getValue()));
    r.addProperty("tensorflow", org.tensorflow.TensorFlow.version());
    r.addProperty("java", System.getProperty("java.version"));
    r.addProperty("cpus", Runtime.getRuntime().availableProcessors());
    String teacher = Datasets.teacherFingerprint(e);
    if (teacher != null) {
      r.addProperty(TEACHER_SHA256, teacher);
    }
    return r;
  }

  /** run.json's record of the distillation teacher's SavedModel (SHA-256 of its files). */
  static final String TEACHER_SHA256 = "teacher_sha256";

  /**
   * A resumed run must see the teacher it started with: the training labels are recomputed from it.
   * Runs recorded before the fingerprint existed are not checked, and their teacher is not hashed.
   *
   * @param current the teacher's fingerprint now, computed only when the run recorded one
   * @throws UserError naming data.teacher when the teacher's files changed
   */
  static void checkTeacher(RunDirectory run, java.util.function.Supplier<String> current) {
    JsonObject r = run.record();
    if (!r.has(TEACHER_SHA256)) {
      return;
    }
    String fingerprint = current.get();
    String recorded = r.get(TEACHER_SHA256).getAsString();
    if (!recorded.equals(fingerprint)) {
      throw new UserError("data.teacher: " + run.config().getData().getTeacher() + " is not the teacher this run started with"
          + " (SHA-256 " + (fingerprint == null ? "none" : fingerprint.substring(0, 12)) + ", run.json "
          + TEACHER_SHA256 + " " + recorded.substring(0, Math.min(12, recorded.length()))
          + "); resuming would train on other labels: restore that SavedModel or start a new run");
    }
  }

  /** Logs where TF placed the ops (which stayed on the CPU under soft placement) and records the counts. */
  static void reportPlacement(TrainingGraph graph, Experiment e, Dataset data, Placement placement, RunDirectory run) {
    PlacementReport p = PlacementReport.collect(graph, e.getTrain(), data.trainBatch(0, e.getTrain().getBatchSize()));
    System.out.println(p.summary(placement, 12));
    JsonObject counts = new JsonObject();
    p.counts().forEach(counts::addProperty);
    JsonObject cpuTypes = new JsonObject();
    p.typesOn("CPU").forEach(cpuTypes::addProperty);
    JsonObject u = new JsonObject();
    u.add("placement_ops", counts);
    if (placement == Placement.GPU) {
      u.add("placement_cpu_op_types", cpuTypes);
    }
    run.updateRecord(u);
  }

  static String gitRevision() {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor() != 0) {
        return "unknown";
      }
      Process d = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").redirectErrorStream(true).start();
      String dirty = new String(d.getInputStream().readAllBytes()).trim();
      d.waitFor();
      return dirty.isEmpty() ? out : out + "-dirty";
    } catch (Exception ex) {
      return "unknown";
    }
  }
}
