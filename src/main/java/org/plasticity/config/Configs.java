package org.plasticity.config;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.plasticity.core.UserError;

/** Loading, resolving and validating experiment configs (protobuf text). */
public final class Configs {
  private Configs() {}

  /** Parses a .pbtxt file; a syntax error or unknown field is one line naming file, line and field. */
  public static Experiment load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserError(file + ": cannot read config (" + e.getMessage() + ")", e);
    }
    return parse(text, file.toString());
  }

  public static Experiment parse(String text, String origin) {
    Experiment.Builder b = Experiment.newBuilder();
    try {
      TextFormat.getParser().merge(text, b);
    } catch (TextFormat.ParseException e) {
      // protobuf may spread one error over lines ("3:3: unknown fields\n3:3:\tplasticity.X.y"): join them
      String msg = e.getMessage().replace("Input contains unknown fields and/or extensions:", "unknown field").replace('\t', ' ');
      String[] lines = msg.split("\n");
      String joined = lines.length > 1 && lines[1].contains(" ")
          ? lines[0] + " " + lines[1].substring(lines[1].lastIndexOf(' ') + 1) : lines[0];
      throw new UserError(origin + ": " + joined, e);
    }
    Experiment e = b.build();
    validate(e, origin);
    return e;
  }

  /** {@code e} with the fields of a protobuf-text override merged in (a --set option); errors name the text. */
  public static Experiment merge(Experiment e, String text) {
    Experiment.Builder b = e.toBuilder();
    try {
      TextFormat.getParser().merge(text, b);
    } catch (TextFormat.ParseException ex) {
      throw new UserError("--set '" + text + "': " + ex.getMessage(), ex);
    }
    return b.build();
  }

  /** The config with every field that has a default written out explicitly (the run record). */
  public static Experiment resolve(Experiment e) {
    return (Experiment) resolveMessage(e);
  }

  private static Message resolveMessage(Message m) {
    Message.Builder b = m.toBuilder();
    for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
      if (f.isRepeated()) {
        continue;
      }
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        // Only the chosen member of a oneof is written out; other sub-messages always are.
        if (f.getContainingOneof() != null && !m.hasField(f)) {
          continue;
        }
        b.setField(f, resolveMessage((Message) m.getField(f)));
      } else if (!m.hasField(f)) {
        b.setField(f, m.getField(f));
      }
    }
    return b.build();
  }

  public static String toText(Message m) {
    return TextFormat.printer().printToString(m);
  }

  /** One-line errors naming the field and what was expected. */
  public static void validate(Experiment e, String origin) {
    if (e.getSystemCase() == Experiment.SystemCase.SYSTEM_NOT_SET) {
      throw new UserError(origin + ": no learning system set; expected one of manifold, dni, recirculation, heat_exchanger, hopfield, langevin");
    }
    TrainConfig t = e.getTrain();
    positive(origin, "train.steps", t.getSteps());
    positive(origin, "train.batch_size", t.getBatchSize());
    positive(origin, "train.log_every", t.getLogEvery());
    positive(origin, "train.eval_batch_size", t.getEvalBatchSize());
    positive(origin, "train.keep_checkpoints", t.getKeepCheckpoints());
    nonNegative(origin, "train.eval_every", t.getEvalEvery());
    nonNegative(origin, "train.checkpoint_every", t.getCheckpointEvery());
    nonNegative(origin, "train.snapshot_every", t.getSnapshotEvery());
    positive(origin, "train.intra_op_threads", t.getIntraOpThreads());
    if (t.getInterOpThreads() <= 0 && t.getInterOpThreads() != org.plasticity.core.Sessions.CALLING_THREAD) {
      throw new UserError(origin + ": train.inter_op_threads: expected a positive thread count, or -1 to run every op in"
          + " the calling thread, got " + t.getInterOpThreads());
    }
    if (!t.getDevice().equals("auto") && !t.getDevice().equals("cpu") && !t.getDevice().equals("gpu")) {
      throw new UserError(origin + ": train.device: expected auto, cpu or gpu, got '" + t.getDevice() + "'");
    }
    OptimizerConfig o = t.getOptimizer();
    positive(origin, "train.optimizer.learning_rate", o.getLearningRate());
    if (!(o.getBeta1() >= 0 && o.getBeta1() < 1)) {
      throw new UserError(origin + ": train.optimizer.beta1: expected a value in [0,1), got " + o.getBeta1());
    }
    if (!(o.getBeta2() >= 0 && o.getBeta2() < 1)) {
      throw new UserError(origin + ": train.optimizer.beta2: expected a value in [0,1), got " + o.getBeta2());
    }
    positive(origin, "train.optimizer.epsilon", o.getEpsilon());
    if (e.hasManifold()) {
      ManifoldConfig m = e.getManifold();
      positive(origin, "manifold.n_input", m.getNInput());
      nonNegative(origin, "manifold.n_comp", m.getNComp());
      positive(origin, "manifold.n_output", m.getNOutput());
      positive(origin, "manifold.period", m.getPeriod());
      nonNegative(origin, "manifold.objective_coef", m.getObjectiveCoef());
      nonNegative(origin, "manifold.flow_coef", m.getFlowCoef());
      nonNegative(origin, "manifold.sparsity_coef", m.getSparsityCoef());
    }
    if (e.hasLangevin()) {
      LangevinConfig l = e.getLangevin();
      positive(origin, "langevin.n", l.getN());
      positive(origin, "langevin.chains", l.getChains());
      positive(origin, "langevin.dt", l.getDt());
      nonNegative(origin, "langevin.k", l.getK());
      nonNegative(origin, "langevin.diffusion", l.getDiffusion());
      nonNegative(origin, "langevin.init_stddev", l.getInitStddev());
      positive(origin, "langevin.alpha", l.getAlpha());
    }
  }

  public static void positive(String origin, String field, double v) {
    if (!(v > 0)) {
      throw new UserError(origin + ": " + field + ": expected a positive value, got " + v);
    }
  }

  public static void nonNegative(String origin, String field, double v) {
    if (!(v >= 0)) {
      throw new UserError(origin + ": " + field + ": expected a value >= 0, got " + v);
    }
  }
}
