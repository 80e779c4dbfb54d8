package org.plasticity.core;

import java.util.ArrayList;
import java.util.List;
import org.plasticity.config.OptimizerConfig;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Gradient-based updates built from TF's raw training ops. Adam is TF1's AdamOptimizer (bias
 * correction folded into the step size), built from one ApplyAdam per variable with the
 * beta-power updates ordered after all applies, which makes it deterministic (the framework's
 * Adam races; see TFJAVA-NOTES).
 */
public final class Optimizers {
  private Optimizers() {}

  /** One op that applies the gradient of {@code loss} to {@code vars}. */
  public static Op minimize(Ops tf, OptimizerConfig cfg, Operand<TFloat32> loss,
      List<Variable<TFloat32>> vars, Operand<TInt64> step, long totalSteps, String name) {
    Gradients grads = tf.gradients(loss, vars);
    List<Operand<TFloat32>> g = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      g.add(grads.dy(i));
    }
    return apply(tf, cfg, vars, g, step, totalSteps, name);
  }

  /** One op that applies the given gradients to {@code vars}. */
  public static Op apply(Ops tf, OptimizerConfig cfg, List<Variable<TFloat32>> vars,
      List<? extends Operand<TFloat32>> grads, Operand<TInt64> step, long totalSteps, String name) {
    return new Optimizer(tf, cfg, vars, step, totalSteps, name).apply(grads);
  }

  /**
   * An optimizer over a fixed list of variables whose state (Adam's moments and beta powers) is
   * shared by every {@link #apply} op built from it: several alternative train steps (e.g. one
   * per evaluation depth) update the same optimizer state.
   */
  public static final class Optimizer {
    private final Ops scope;
    private final OptimizerConfig cfg;
    private final List<Variable<TFloat32>> vars;
    private final Operand<TFloat32> lr;
    private final List<Variable<TFloat32>> m = new ArrayList<>();
    private final List<Variable<TFloat32>> s = new ArrayList<>();
    private Variable<TFloat32> beta1Power;
    private Variable<TFloat32> beta2Power;

    public Optimizer(Ops tf, OptimizerConfig cfg, List<Variable<TFloat32>> vars, Operand<TInt64> step,
        long totalSteps, String name) {
      this.scope = tf.withSubScope(name);
      this.cfg = cfg;
      this.vars = vars;
      this.lr = learningRate(scope, cfg, step, totalSteps);
      if (cfg.getKind() == OptimizerConfig.Kind.ADAM) {
        beta1Power = scope.withName("beta1_power").variable(scope.constant(cfg.getBeta1()));
        beta2Power = scope.withName("beta2_power").variable(scope.constant(cfg.getBeta2()));
        for (int i = 0; i < vars.size(); i++) {
          Shape shape = vars.get(i).shape();
          m.add(scope.withName("m_" + i).variable(zeros(scope, shape)));
          s.add(scope.withName("v_" + i).variable(zeros(scope, shape)));
        }
      }
    }

    /** The gradient of {@code loss} applied to the variables. */
    public Op minimize(Operand<TFloat32> loss) {
      Gradients grads = scope.gradients(loss, vars);
      List<Operand<TFloat32>> g = new ArrayList<>();
      for (int i = 0; i < vars.size(); i++) {
        g.add(grads.dy(i));
      }
      return apply(g);
    }

    /**
     * Applies {@code grads}. Every update waits for every gradient of the step: an update writes
     * its variable in place, and a gradient op still running could otherwise read the new value
     * through a reference to the variable (an effect of about 1e-3 relative was seen with
     * per-connection weights).
     */
    public Op apply(List<? extends Operand<TFloat32>> grads) {
      List<Op> applies = new ArrayList<>();
      Ops gated = scope.withControlDependencies(new ArrayList<Op>(grads));
      if (cfg.getKind() == OptimizerConfig.Kind.SGD) {
        for (int i = 0; i < vars.size(); i++) {
          applies.add(gated.train.applyGradientDescent(vars.get(i), lr, grads.get(i)));
        }
        return scope.withControlDependencies(applies).noOp();
      }
      Operand<TFloat32> beta1 = scope.constant(cfg.getBeta1());
      Operand<TFloat32> beta2 = scope.constant(cfg.getBeta2());
      Operand<TFloat32> eps = scope.constant(cfg.getEpsilon());
      for (int i = 0; i < vars.size(); i++) {
        applies.add(gated.train.applyAdam(vars.get(i), m.get(i), s.get(i), beta1Power, beta2Power, lr, beta1, beta2,
            eps, grads.get(i)));
      }
      Ops after = scope.withControlDependencies(applies);
      Op b1 = after.assign(beta1Power, after.math.mul(beta1Power, beta1));
      Op b2 = after.assign(beta2Power, after.math.mul(beta2Power, beta2));
      return scope.withControlDependencies(List.of(b1, b2)).noOp();
    }
  }

  /** A zero tensor of a static shape (no read of another variable, which Grappler-off init forbids). */
  public static Operand<TFloat32> zeros(Ops tf, Shape shape) {
    return tf.fill(tf.constant(shape.asArray()), tf.constant(0f));
  }

  /** The configured learning rate at {@code step} (zero-based). */
  public static Operand<TFloat32> learningRate(Ops tf, OptimizerConfig cfg, Operand<TInt64> step, long totalSteps) {
    Operand<TFloat32> base = tf.constant(cfg.getLearningRate());
    Operand<TFloat32> t = tf.dtypes.cast(step, TFloat32.class);
    switch (cfg.getSchedule()) {
      case COSINE: {
        // lr * (f + (1 - f) * (1 + cos(pi * t / T)) / 2)
        float f = cfg.getFinalFraction();
        Operand<TFloat32> progress = tf.math.minimum(tf.math.div(t, tf.constant((float) Math.max(1, totalSteps))), tf.constant(1f));
        Operand<TFloat32> cos = tf.math.cos(tf.math.mul(progress, tf.constant((float) Math.PI)));
        Operand<TFloat32> shape = tf.math.add(tf.constant(f),
            tf.math.mul(tf.constant((1f - f) / 2f), tf.math.add(tf.constant(1f), cos)));
        return tf.math.mul(base, shape);
      }
      case STEP: {
        Operand<TFloat32> k = tf.math.floor(tf.math.div(t, tf.constant((float) cfg.getDecaySteps())));
        return tf.math.mul(base, tf.math.pow(tf.constant(cfg.getDecayFactor()), k));
      }
      default:
        return base;
    }
  }
}
