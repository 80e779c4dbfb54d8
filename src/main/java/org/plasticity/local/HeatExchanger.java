package org.plasticity.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.plasticity.config.Experiment;
import org.plasticity.config.HeatExchangerConfig;
import org.plasticity.core.Initializers;
import org.plasticity.core.LearningSystem;
import org.plasticity.core.Optimizers;
import org.plasticity.core.Placement;
import org.plasticity.core.TrainingGraph;
import org.plasticity.core.UserError;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * The neural heat exchanger (after Schmidhuber): two pipes with the same number of sections. The
 * forward pipe carries the input left to right, the backward pipe carries the target right to
 * left, and every section learns from what is present at its own position only. The source
 * write-up leaves the exact rule open; this class implements a rule that provably has the right
 * fixed point and learns, a local delta rule per section in the form of difference target
 * propagation:
 *
 * <pre>
 * forward pipe   f_0 = x,   f_k = φ_k(f_{k-1} W_k + a_k),  k = 1..L    (φ = tanh, output sigmoid)
 * backward pipe  b_L = f_L + α (y − f_L)
 *                b_{k-1} = f_{k-1} + g_k(b_k) − g_k(f_k),  k = L..2,   g_k(h) = tanh(h V_k + c_k)
 *
 * forward section k:  ΔW_k = η/B · f_{k-1}ᵀ [(b_k − f_k) ⊙ φ_k'],   Δa_k likewise
 *   — a delta rule: the section's input is its predecessor f_{k-1} in its own pipe, its target is
 *     the activation b_k of the opposite section (the heat it takes up from the other pipe). At
 *     k = L the target is the label itself, moved toward by the step α.
 * backward section k: ΔV_k = η/B · f_kᵀ [(f_{k-1} − g_k(f_k)) ⊙ g_k'],  Δc_k likewise
 *   — a delta rule that makes the backward section invert the forward one: fed the opposite
 *     section's f_k, it must reproduce f_{k-1}, the opposite pipe's activation at its own output.
 *     Only then does b_{k-1} − f_{k-1} = g_k(b_k) − g_k(f_k) point where section k-1 must move for
 *     section k to move toward b_k; the difference form cancels the inverse's own error, so
 *     b_{k-1} = f_{k-1} exactly when b_k = f_k (no target where there is nothing to correct).
 * </pre>
 *
 * Both updates use only f_{k-1}, f_k, b_k, b_{k-1} — neighbours in a pipe and the opposite
 * section — and are assign ops computed from the weights before the step (no back-propagation;
 * nothing differentiates the graph). With {@code backprop_baseline} the same forward pipe is
 * trained instead by back-propagating the cross-entropy (the comparison).
 */
public final class HeatExchanger implements LearningSystem {
  /** Handles for studies: forward weights W_1..W_L and backward weights V_2..V_L. */
  public record Parts(List<Variable<TFloat32>> forward, List<Variable<TFloat32>> backward) {}

  private Parts parts;

  public Parts parts() {
    return parts;
  }

  @Override
  public TrainingGraph build(Experiment experiment, Map<String, Integer> widths, Placement placement) {
    HeatExchangerConfig c = experiment.getHeatExchanger();
    if (!widths.containsKey("x") || !widths.containsKey("y")) {
      throw new UserError("heat_exchanger: expected a dataset with fields 'x' and 'y' (data.source CIRCLE), got " + widths.keySet());
    }
    if (widths.get("y") != 1) {
      throw new UserError("heat_exchanger: expected a single target unit, got width " + widths.get("y"));
    }
    List<Integer> sizes = new ArrayList<>();
    sizes.add(widths.get("x"));
    for (int h : c.getHiddenList()) {
      if (h <= 0) {
        throw new UserError("heat_exchanger.hidden: expected positive widths, got " + c.getHiddenList());
      }
      sizes.add(h);
    }
    sizes.add(1);
    int sections = sizes.size() - 1;

    TrainingGraph g = new TrainingGraph(placement);
    Placeholder<TFloat32> x = g.input("x", widths.get("x"));
    Placeholder<TFloat32> y = g.input("y", 1);
    Ops tf = g.tf().withSubScope("heat_exchanger");
    Initializers init = new Initializers(experiment.getSeed());

    List<Variable<TFloat32>> w = new ArrayList<>();
    List<Variable<TFloat32>> a = new ArrayList<>();
    List<Variable<TFloat32>> v = new ArrayList<>(); // v.get(k-2) is V_k, k = 2..L
    List<Variable<TFloat32>> cb = new ArrayList<>();
    for (int k = 1; k <= sections; k++) {
      int in = sizes.get(k - 1);
      int out = sizes.get(k);
      w.add(init.normalVariable(tf, "forward_w" + k, 10 + k, 0f, c.getInitStddev() / (float) Math.sqrt(in), in, out));
      a.add(tf.withName("forward_b" + k).variable(Optimizers.zeros(tf, org.tensorflow.ndarray.Shape.of(1, out))));
      if (k >= 2) {
        v.add(init.normalVariable(tf, "backward_v" + k, 100 + k, 0f, c.getInitStddev() / (float) Math.sqrt(out), out, in));
        cb.add(tf.withName("backward_b" + k).variable(Optimizers.zeros(tf, org.tensorflow.ndarray.Shape.of(1, in))));
      }
    }

    // Forward pipe.
    List<Operand<TFloat32>> f = new ArrayList<>();
    f.add(x);
    Operand<TFloat32> logit = null;
    for (int k = 1; k <= sections; k++) {
      Operand<TFloat32> pre = tf.math.add(tf.linalg.matMul(f.get(k - 1), w.get(k - 1)), a.get(k - 1));
      if (k == sections) {
        logit = pre;
        f.add(tf.withName("output").math.sigmoid(pre));
      } else {
        f.add(tf.withName("forward" + k).math.tanh(pre));
      }
    }
    Operand<TFloat32> out = f.get(sections);
    Operand<TFloat32> correct = tf.dtypes.cast(tf.math.equal(
        tf.dtypes.cast(tf.math.greater(out, tf.constant(0.5f)), TFloat32.class), y), TFloat32.class);
    Operand<TFloat32> accuracy = tf.math.mean(correct, tf.constant(new int[] {0, 1}));
    // Sigmoid cross-entropy from the logit z: softplus(z) − y z.
    Operand<TFloat32> xent = tf.withName("cross_entropy").math.mean(
        tf.math.sub(tf.math.softplus(logit), tf.math.mul(y, logit)), tf.constant(new int[] {0, 1}));

    List<Variable<TFloat32>> all = new ArrayList<>(w);
    all.addAll(a);
    if (c.getBackpropBaseline()) {
      g.addTrainTarget(Optimizers.minimize(g.tf(), experiment.getTrain().getOptimizer(), xent, new ArrayList<>(all), g.step(),
          experiment.getTrain().getSteps(), "optimizer"));
    } else {
      g.addTrainTarget(localStep(tf, c, f, y, w, a, v, cb, sections));
      all.addAll(v);
      all.addAll(cb);
    }
    g.metric("cross_entropy", xent);
    g.metric("accuracy", accuracy);
    g.evalMetric("accuracy", accuracy);
    g.evalMetric("cross_entropy", xent);
    for (int k = 0; k < w.size(); k++) {
      g.snapshot("forward_w" + (k + 1), w.get(k));
    }
    for (int k = 0; k < v.size(); k++) {
      g.snapshot("backward_v" + (k + 2), v.get(k));
    }
    g.exportSignature(Signature.builder().key(Signature.DEFAULT_KEY).input("x", x)
        .output("probability", out).build());
    parts = new Parts(w, v);
    return g;
  }

  /** The exchanger's local step: both pipes' deltas from the old weights, then every assign. */
  private static Op localStep(Ops tf, HeatExchangerConfig c, List<Operand<TFloat32>> f, Operand<TFloat32> y,
      List<Variable<TFloat32>> w, List<Variable<TFloat32>> a, List<Variable<TFloat32>> v, List<Variable<TFloat32>> cb,
      int sections) {
    Operand<TFloat32> batch = tf.dtypes.cast(tf.gather(tf.shape(y), tf.constant(0), tf.constant(0)), TFloat32.class);
    Operand<TFloat32> rate = tf.math.div(tf.constant(c.getLearningRate()), batch);
    Operand<TFloat32> one = tf.constant(1f);
    // Backward pipe, right to left: the target enters at the output section.
    Operand<TFloat32>[] b = newArray(sections + 1);
    Operand<TFloat32> out = f.get(sections);
    b[sections] = tf.withName("backward" + sections).math.add(out, tf.math.mul(tf.constant(c.getTargetStep()), tf.math.sub(y, out)));
    Operand<TFloat32>[] gOfF = newArray(sections + 1);
    for (int k = sections; k >= 2; k--) {
      Variable<TFloat32> vk = v.get(k - 2);
      Variable<TFloat32> ck = cb.get(k - 2);
      gOfF[k] = tf.math.tanh(tf.math.add(tf.linalg.matMul(f.get(k), vk), ck));
      Operand<TFloat32> gOfB = tf.math.tanh(tf.math.add(tf.linalg.matMul(b[k], vk), ck));
      b[k - 1] = tf.withName("backward" + (k - 1)).math.add(f.get(k - 1), tf.math.sub(gOfB, gOfF[k]));
    }
    List<Operand<TFloat32>> deltas = new ArrayList<>();
    List<Variable<TFloat32>> targets = new ArrayList<>();
    for (int k = 1; k <= sections; k++) {
      Operand<TFloat32> err = tf.math.sub(b[k], f.get(k));
      Operand<TFloat32> slope = k == sections ? tf.math.mul(f.get(k), tf.math.sub(one, f.get(k)))
          : tf.math.sub(one, tf.math.square(f.get(k)));
      Operand<TFloat32> delta = tf.math.mul(err, slope);
      deltas.add(tf.withName("delta_forward_w" + k).math.mul(rate, tf.linalg.matMul(f.get(k - 1), delta, MatMul.transposeA(true))));
      targets.add(w.get(k - 1));
      deltas.add(tf.math.mul(rate, tf.sum(delta, tf.constant(0), org.tensorflow.op.core.Sum.keepDims(true))));
      targets.add(a.get(k - 1));
    }
    for (int k = 2; k <= sections; k++) {
      Operand<TFloat32> err = tf.math.sub(f.get(k - 1), gOfF[k]);
      Operand<TFloat32> delta = tf.math.mul(err, tf.math.sub(one, tf.math.square(gOfF[k])));
      deltas.add(tf.withName("delta_backward_v" + k).math.mul(rate, tf.linalg.matMul(f.get(k), delta, MatMul.transposeA(true))));
      targets.add(v.get(k - 2));
      deltas.add(tf.math.mul(rate, tf.sum(delta, tf.constant(0), org.tensorflow.op.core.Sum.keepDims(true))));
      targets.add(cb.get(k - 2));
    }
    Ops after = tf.withControlDependencies(new ArrayList<>(deltas));
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < deltas.size(); i++) {
      assigns.add(after.assignAdd(targets.get(i), deltas.get(i)));
    }
    return tf.withControlDependencies(assigns).withName("local_step").noOp();
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32>[] newArray(int n) {
    return new Operand[n];
  }
}
