package org.plasticity.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.plasticity.config.Experiment;
import org.plasticity.config.RecirculationConfig;
import org.plasticity.core.Initializers;
import org.plasticity.core.LearningSystem;
import org.plasticity.core.Placement;
import org.plasticity.core.TrainingGraph;
import org.plasticity.core.UserError;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/**
 * Recirculation (Hinton &amp; McClelland 1988, "Learning representations by recirculation"): a
 * visible and a hidden layer in a loop, trained by a local rule without back-propagation.
 *
 * <pre>
 *   h(1) = σ(v(0) W + b)                                  first pass, visible -> hidden
 *   v(2) = λ v(0) + (1-λ) σ(h(1) U + c)                   reconstruction, regressed toward v(0)
 *   h(3) = λ h(1) + (1-λ) σ(v(2) W + b)                   second pass, regressed toward h(1)
 *   ΔU = ε h(1)ᵀ (v(0) - v(2)),   Δc = ε Σ (v(0) - v(2))    hidden -> visible
 *   ΔW = ε v(2)ᵀ (h(1) - h(3)),   Δb = ε Σ (h(1) - h(3))    visible -> hidden
 *   E  = ½ Σ (σ(h(1) U + c) - v(0))²                       reconstruction error at λ = 0
 * </pre>
 *
 * Sums run over the batch (all patterns: one update per epoch). Every tensor carries a leading
 * replica dimension R: R independent networks (replica r initialised from seed + r) train side
 * by side in one graph, so a 100-seed study is one session. All updates read the weights before
 * any of them is written (control dependencies), so a step is exactly one synchronous update.
 */
public final class Recirculation implements LearningSystem {
  /** Handles a study needs: per-replica error [R], reconstructions [R,B,V], hidden codes [R,B,H]. */
  public record Parts(Placeholder<TFloat32> patterns, Operand<TFloat32> errorPerReplica,
      Operand<TFloat32> reconstruction, Operand<TFloat32> hidden, Op update,
      List<Variable<TFloat32>> variables) {}

  private Parts parts;

  public Parts parts() {
    return parts;
  }

  @Override
  public TrainingGraph build(Experiment experiment, Map<String, Integer> widths, Placement placement) {
    RecirculationConfig c = experiment.getRecirculation();
    int nv = c.getVisible();
    int nh = c.getHidden();
    int r = c.getReplicas();
    if (!widths.containsKey(org.plasticity.data.EncoderPatterns.PATTERNS)) {
      throw new UserError("recirculation: expected a dataset with a 'patterns' field (data.source ENCODER_PATTERNS), got "
          + widths.keySet());
    }
    if (widths.get("patterns") != nv) {
      throw new UserError("recirculation.visible: expected " + widths.get("patterns") + " (the data's width), got " + nv);
    }
    TrainingGraph g = new TrainingGraph(placement);
    Placeholder<TFloat32> v0flat = g.input("patterns", nv);
    Ops tf = g.tf().withSubScope("recirculation");

    float a = c.getInitRange();
    List<Operand<TFloat32>> w0 = new ArrayList<>();
    List<Operand<TFloat32>> b0 = new ArrayList<>();
    List<Operand<TFloat32>> u0 = new ArrayList<>();
    List<Operand<TFloat32>> c0 = new ArrayList<>();
    for (int k = 0; k < r; k++) {
      Initializers init = new Initializers(experiment.getSeed() + k);
      w0.add(init.uniform(tf, 1, -a, a, nv, nh));
      b0.add(init.uniform(tf, 2, -a, a, 1, nh));
      u0.add(init.uniform(tf, 3, -a, a, nh, nv));
      c0.add(init.uniform(tf, 4, -a, a, 1, nv));
    }
    Variable<TFloat32> w = tf.withName("visible_to_hidden").variable(tf.stack(w0));
    Variable<TFloat32> b = tf.withName("hidden_bias").variable(tf.stack(b0));
    Variable<TFloat32> u = tf.withName("hidden_to_visible").variable(tf.stack(u0));
    Variable<TFloat32> cb = tf.withName("visible_bias").variable(tf.stack(c0));

    Operand<TFloat32> lambda = tf.constant(c.getLambda());
    Operand<TFloat32> keep = tf.constant(1f - c.getLambda());
    Operand<TFloat32> eps = tf.constant(c.getEpsilon());
    // v(0) for every replica: [R, B, V].
    Operand<TFloat32> v0 = tf.withName("v0").tile(tf.expandDims(v0flat, tf.constant(0)), tf.constant(new int[] {r, 1, 1}));

    Operand<TFloat32> h1 = tf.withName("h1").math.sigmoid(tf.math.add(mm(tf, v0, w, false), b));
    Operand<TFloat32> v2pure = tf.withName("reconstruction").math.sigmoid(tf.math.add(mm(tf, h1, u, false), cb));
    Operand<TFloat32> v2 = tf.withName("v2").math.add(tf.math.mul(lambda, v0), tf.math.mul(keep, v2pure));
    Operand<TFloat32> h3 = tf.withName("h3").math.add(tf.math.mul(lambda, h1),
        tf.math.mul(keep, tf.math.sigmoid(tf.math.add(mm(tf, v2, w, false), b))));

    Operand<TFloat32> visibleError = tf.math.sub(v0, v2);
    Operand<TFloat32> hiddenError = tf.math.sub(h1, h3);
    Operand<TFloat32> dU = tf.withName("delta_hidden_to_visible").math.mul(eps, mm(tf, h1, visibleError, true));
    Operand<TFloat32> dC = tf.withName("delta_visible_bias").math.mul(eps,
        tf.sum(visibleError, tf.constant(1), org.tensorflow.op.core.Sum.keepDims(true)));
    Operand<TFloat32> dW = tf.withName("delta_visible_to_hidden").math.mul(eps, mm(tf, v2, hiddenError, true));
    Operand<TFloat32> dB = tf.withName("delta_hidden_bias").math.mul(eps,
        tf.sum(hiddenError, tf.constant(1), org.tensorflow.op.core.Sum.keepDims(true)));

    Operand<TFloat32> errPerReplica = tf.withName("error_per_replica").math.mul(tf.constant(0.5f),
        tf.sum(tf.math.squaredDifference(v2pure, v0), tf.constant(new int[] {1, 2})));
    Operand<TFloat32> error = tf.withName("error").math.mean(errPerReplica, tf.constant(0));
    Operand<TFloat32> learned = tf.withName("learned_fraction").math.mean(
        tf.dtypes.cast(tf.math.less(errPerReplica, tf.constant(c.getTargetError())), TFloat32.class), tf.constant(0));

    // Every delta and every metric is computed from the old weights before any weight is written.
    Ops after = tf.withControlDependencies(List.of(dU, dC, dW, dB, errPerReplica, error, learned));
    Ops applied = tf.withControlDependencies(List.of(
        after.assignAdd(u, dU), after.assignAdd(cb, dC), after.assignAdd(w, dW), after.assignAdd(b, dB)));
    Op step = applied.withName("step").noOp();
    g.addTrainTarget(step);

    g.metric("error", error);
    g.metric("learned_fraction", learned);
    g.evalMetric("error", error);
    g.evalMetric("learned_fraction", learned);
    g.snapshot("visible_to_hidden", w);
    g.snapshot("hidden_to_visible", u);
    g.exportSignature(Signature.builder().key(Signature.DEFAULT_KEY).input("patterns", v0flat)
        .output("hidden", h1).output("reconstruction", v2pure).build());
    parts = new Parts(v0flat, errPerReplica, v2pure, h1, step, List.of(w, b, u, cb));
    return g;
  }

  /** Batched matrix product over the replica dimension, optionally transposing the first factor. */
  static Operand<TFloat32> mm(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y, boolean transposeX) {
    return tf.train.batchMatMul(x, y, TFloat32.class, BatchMatMul.adjX(transposeX));
  }
}
