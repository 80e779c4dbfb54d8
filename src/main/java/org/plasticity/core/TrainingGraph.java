package org.plasticity.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * What a learning system builds: one graph with its inputs (placeholders named after dataset
 * fields), one or more train-step targets, named scalar metrics and the signatures it exports.
 * The generic {@link Trainer} runs any of them. "Every learning system is a graph plus a step."
 */
public final class TrainingGraph implements AutoCloseable {
  private final Graph graph;
  private final Ops tf;
  private final Operand<TInt64> step;
  private final Map<String, Placeholder<TFloat32>> inputs = new LinkedHashMap<>();
  private final List<Op> trainTargets = new ArrayList<>();
  private final Map<String, Operand<TFloat32>> metrics = new LinkedHashMap<>();
  private final Map<String, Operand<TFloat32>> evalMetrics = new LinkedHashMap<>();
  private final Map<String, Operand<TFloat32>> stateMetrics = new LinkedHashMap<>();
  private final Map<String, Operand<TFloat32>> snapshots = new LinkedHashMap<>();
  private final List<Signature> signatures = new ArrayList<>();
  private final List<Op> exportPreparation = new ArrayList<>();
  private StepRunner stepRunner;

  /** A fresh graph whose ops are created through {@code tf} (placed on {@code device}, if given). */
  public TrainingGraph(Placement placement) {
    this.graph = new Graph();
    Ops base = Ops.create(graph);
    this.tf = placement.apply(base);
    this.step = base.withName("step").placeholderWithDefault(base.constant(0L), Shape.scalar());
  }

  public Graph graph() {
    return graph;
  }

  public Ops tf() {
    return tf;
  }

  /** The zero-based index of the current training step, fed by the trainer (for schedules and noise). */
  public Operand<TInt64> step() {
    return step;
  }

  /** A float input of shape [-1, width] fed from the dataset field of the same name. */
  public Placeholder<TFloat32> input(String field, int width) {
    Placeholder<TFloat32> p = tf.withName(field).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, width)));
    inputs.put(field, p);
    return p;
  }

  public Map<String, Placeholder<TFloat32>> inputs() {
    return Collections.unmodifiableMap(inputs);
  }

  /** Adds ops that, run together once, perform one training step. */
  public void addTrainTarget(Op... ops) {
    Collections.addAll(trainTargets, ops);
  }

  public List<Op> trainTargets() {
    return Collections.unmodifiableList(trainTargets);
  }

  /** A scalar logged from the training batch (loss terms, batch accuracy, ...). */
  public void metric(String name, Operand<TFloat32> scalar) {
    metrics.put(name, scalar);
  }

  public Map<String, Operand<TFloat32>> metrics() {
    return Collections.unmodifiableMap(metrics);
  }

  /**
   * A per-example quantity [B] whose mean over the whole test set is reported at evaluation
   * (correct = 1/0 for accuracy, per-example loss). Summed per batch in the graph and in double
   * precision across batches, so counts are exact.
   */
  public void evalMetric(String name, Operand<TFloat32> perExample) {
    if (perExample.shape().numDimensions() != 1 && !inputs.isEmpty()) {
      // a batch mean: times the batch size (rows of the first input) gives the batch sum
      Operand<TFloat32> rows = tf.dtypes.cast(tf.stridedSlice(tf.shape(inputs.values().iterator().next()),
          org.tensorflow.ndarray.index.Indices.at(0)), TFloat32.class);
      evalMetrics.put(name, tf.withName("eval_sum_" + name).math.mul(perExample, rows));
      return;
    }
    evalMetrics.put(name, tf.withName("eval_sum_" + name).sum(tf.reshape(perExample, tf.constant(new int[] {-1})), tf.constant(0)));
  }

  public Map<String, Operand<TFloat32>> evalMetrics() {
    return Collections.unmodifiableMap(evalMetrics);
  }

  /** A scalar of the model's state, independent of any batch (active connections, cutoff). */
  public void stateMetric(String name, Operand<TFloat32> scalar) {
    stateMetrics.put(name, scalar);
  }

  public Map<String, Operand<TFloat32>> stateMetrics() {
    return Collections.unmodifiableMap(stateMetrics);
  }

  /** A tensor written to the run directory every train.snapshot_every steps (e.g. the closeness matrix). */
  public void snapshot(String name, Operand<TFloat32> tensor) {
    snapshots.put(name, tensor);
  }

  public Map<String, Operand<TFloat32>> snapshots() {
    return Collections.unmodifiableMap(snapshots);
  }

  public void exportSignature(Signature signature) {
    signatures.add(signature);
  }

  public List<Signature> signatures() {
    return Collections.unmodifiableList(signatures);
  }

  /**
   * An op the exporter runs right before writing a SavedModel (e.g. freezing derived state into
   * a variable, so the export serves exactly the values training computed).
   */
  public void addExportPreparation(Op op) {
    exportPreparation.add(op);
  }

  public List<Op> exportPreparation() {
    return Collections.unmodifiableList(exportPreparation);
  }

  /** Replaces how one training step is executed (e.g. decoupled per-layer threads). */
  public void stepRunner(StepRunner runner) {
    this.stepRunner = runner;
  }

  public StepRunner stepRunner() {
    return stepRunner;
  }

  @Override
  public void close() {
    graph.close();
  }
}
