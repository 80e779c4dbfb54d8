package org.plasticity.hopfield;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The classical Hopfield network as graph ops: ±1 states S [B,N] (one row per probe), a
 * symmetric weight matrix W [N,N] with zero diagonal, storage rules and sign dynamics.
 * Retrieval loops are forward-only TF while loops (no gradient is ever needed here).
 * A unit whose local field is exactly 0 keeps its state.
 */
public final class Classical {
  private Classical() {}

  /** Hebb: ΔW = (1/N) Σ_μ ξ^μ ξ^μᵀ over the rows of X [B,N], with zero diagonal. */
  public static Operand<TFloat32> hebbIncrement(Ops tf, Operand<TFloat32> x, int n) {
    Operand<TFloat32> outer = tf.linalg.matMul(x, x, org.tensorflow.op.linalg.MatMul.transposeA(true));
    return zeroDiagonal(tf, tf.math.div(outer, tf.constant((float) n)), n);
  }

  /**
   * Storkey (1997), one pattern ξ [1,N]: Δw_ij = (1/N)(ξ_i ξ_j − ξ_i h_ji − h_ij ξ_j) with the
   * local field h_ij = Σ_{k≠i,j} w_ik ξ_k. With h = Wξ and a zero diagonal, h_ij = h_i − w_ij ξ_j,
   * so ξ_i h_ji = ξ_i h_j − w_ij and h_ij ξ_j = h_i ξ_j − w_ij (ξ² = 1):
   * ΔW = (1/N)(ξξᵀ − ξhᵀ − hξᵀ + 2W), diagonal kept at zero.
   */
  public static Operand<TFloat32> storkeyIncrement(Ops tf, Operand<TFloat32> w, Operand<TFloat32> xi, int n) {
    Operand<TFloat32> h = tf.linalg.matMul(xi, w); // [1,N]: h_j = Σ_k ξ_k w_kj (W symmetric)
    Operand<TFloat32> xx = tf.linalg.matMul(xi, xi, org.tensorflow.op.linalg.MatMul.transposeA(true));
    Operand<TFloat32> xh = tf.linalg.matMul(xi, h, org.tensorflow.op.linalg.MatMul.transposeA(true));
    Operand<TFloat32> hx = tf.linalg.matMul(h, xi, org.tensorflow.op.linalg.MatMul.transposeA(true));
    Operand<TFloat32> d = tf.math.add(tf.math.sub(tf.math.sub(xx, xh), hx), tf.math.mul(tf.constant(2f), w));
    return zeroDiagonal(tf, tf.math.div(d, tf.constant((float) n)), n);
  }

  /** Stores the rows of X [B,N] one after the other by Storkey's rule, starting from W: a while loop over rows. */
  public static Operand<TFloat32> storkeyStore(Ops tf, Operand<TFloat32> w, Operand<TFloat32> x, int n) {
    Graph graph = (Graph) tf.scope().env();
    Operand<TInt32> rows = tf.withName("storkey_rows").gather(tf.shape(x), tf.constant(0), tf.constant(0));
    Output<?>[] init = {tf.constant(0).asOutput(), w.asOutput(), x.asOutput(), rows.asOutput()};
    Output<?>[] out = graph.whileLoop(init,
        (g, in, o) -> {
          Ops s = Ops.create(g);
          o[0] = s.math.less(cast(in[0], TInt32.class), cast(in[3], TInt32.class)).asOutput();
        },
        (g, in, o) -> {
          Ops s = Ops.create(g);
          Operand<TInt32> k = cast(in[0], TInt32.class);
          Operand<TFloat32> wk = cast(in[1], TFloat32.class);
          Operand<TFloat32> xi = s.expandDims(s.gather(cast(in[2], TFloat32.class), k, s.constant(0)), s.constant(0));
          o[0] = s.math.add(k, s.constant(1)).asOutput();
          o[1] = s.math.add(wk, storkeyIncrement(s, wk, xi, n)).asOutput();
          o[2] = in[2];
          o[3] = in[3];
        }, tf.scope().makeUnique("storkey"));
    return cast(out[1], TFloat32.class);
  }

  /** E = −½ sᵀWs for every row of S [B,N]: [B]. */
  public static Operand<TFloat32> energy(Ops tf, Operand<TFloat32> w, Operand<TFloat32> s) {
    Operand<TFloat32> ws = tf.linalg.matMul(s, w);
    return tf.math.mul(tf.constant(-0.5f), tf.sum(tf.math.mul(ws, s), tf.constant(1)));
  }

  /** The state after updating unit i (scalar int32) of every row: s_i ← sign(Σ_j w_ij s_j), ties keep s_i. */
  public static Operand<TFloat32> updateUnit(Ops tf, Operand<TFloat32> w, Operand<TFloat32> s, Operand<TInt32> i, int n) {
    Operand<TFloat32> column = tf.expandDims(tf.gather(w, i, tf.constant(1)), tf.constant(1)); // [N,1]
    Operand<TFloat32> field = tf.linalg.matMul(s, column); // [B,1]
    Operand<TFloat32> old = tf.expandDims(tf.gather(s, i, tf.constant(1)), tf.constant(1)); // [B,1]
    Operand<TFloat32> updated = signKeep(tf, field, old);
    Operand<TFloat32> onehot = tf.expandDims(tf.oneHot(i, tf.constant(n), tf.constant(1f), tf.constant(0f)), tf.constant(0));
    return tf.math.add(s, tf.math.mul(tf.math.sub(updated, old), onehot));
  }

  /** One synchronous step: S ← sign(SW), ties keep. */
  public static Operand<TFloat32> synchronousStep(Ops tf, Operand<TFloat32> w, Operand<TFloat32> s) {
    return signKeep(tf, tf.linalg.matMul(s, w), s);
  }

  /** Per-row check that S is a fixed point of the sign dynamics: [B] of 0/1. */
  public static Operand<TFloat32> isFixedPoint(Ops tf, Operand<TFloat32> w, Operand<TFloat32> s) {
    Operand<TFloat32> same = tf.dtypes.cast(tf.math.equal(synchronousStep(tf, w, s), s), TFloat32.class);
    return tf.min(same, tf.constant(1));
  }

  /** Random update orders: one permutation of 0..N-1 per sweep, [sweeps, N], from a stateless seed [2] (int64). */
  public static Operand<TInt32> permutations(Ops tf, Operand<org.tensorflow.types.TInt64> seed, int sweeps, int n) {
    Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.constant(new int[] {sweeps, n}), seed, TFloat32.class);
    return tf.nn.topK(u, tf.constant(n), TInt32.class).indices();
  }

  /** Result of a retrieval: final states [B,N] and the number of sweeps (async) or steps (sync) used. */
  public record Retrieval(Operand<TFloat32> states, Operand<TInt32> sweeps) {}

  /**
   * Asynchronous retrieval: units updated one at a time in the order of {@code perms} [K,N] (one
   * permutation per sweep) until a whole sweep changes no unit of any row (a fixed point), or K
   * sweeps. One while loop over single-unit updates t = 0..K·N.
   */
  public static Retrieval asynchronous(Ops tf, Operand<TFloat32> w, Operand<TFloat32> s0, Operand<TInt32> perms, int n) {
    Graph graph = (Graph) tf.scope().env();
    Operand<TInt32> total = tf.math.mul(tf.gather(tf.shape(perms), tf.constant(0), tf.constant(0)), tf.constant(n));
    Output<?>[] init = {tf.constant(0).asOutput(), s0.asOutput(), tf.constant(false).asOutput(), w.asOutput(),
        perms.asOutput(), total.asOutput()};
    Output<?>[] out = graph.whileLoop(init,
        (g, in, o) -> {
          Ops s = Ops.create(g);
          Operand<TInt32> t = cast(in[0], TInt32.class);
          Operand<TBool> sweepEnd = s.math.logicalAnd(s.math.greater(t, s.constant(0)),
              s.math.equal(s.math.floorMod(t, s.constant(n)), s.constant(0)));
          Operand<TBool> stop = s.math.logicalAnd(sweepEnd, s.math.logicalNot(cast(in[2], TBool.class)));
          o[0] = s.math.logicalAnd(s.math.less(t, cast(in[5], TInt32.class)), s.math.logicalNot(stop)).asOutput();
        },
        (g, in, o) -> {
          Ops s = Ops.create(g);
          Operand<TInt32> t = cast(in[0], TInt32.class);
          Operand<TFloat32> st = cast(in[1], TFloat32.class);
          Operand<TInt32> sweep = s.math.floorDiv(t, s.constant(n));
          Operand<TInt32> pos = s.math.floorMod(t, s.constant(n));
          Operand<TInt32> i = s.gather(s.gather(cast(in[4], TInt32.class), sweep, s.constant(0)), pos, s.constant(0));
          Operand<TFloat32> next = updateUnit(s, cast(in[3], TFloat32.class), st, i, n);
          Operand<TBool> changed = s.reduceAny(s.math.notEqual(next, st), s.constant(new int[] {0, 1}));
          Operand<TBool> dirty = s.select(s.math.equal(pos, s.constant(0)), changed,
              s.math.logicalOr(cast(in[2], TBool.class), changed));
          o[0] = s.math.add(t, s.constant(1)).asOutput();
          o[1] = next.asOutput();
          o[2] = dirty.asOutput();
          o[3] = in[3];
          o[4] = in[4];
          o[5] = in[5];
        }, tf.scope().makeUnique("async_retrieval"));
    Operand<TInt32> sweeps = tf.math.floorDiv(tf.math.add(cast(out[0], TInt32.class), tf.constant(n - 1)), tf.constant(n));
    return new Retrieval(cast(out[1], TFloat32.class), sweeps);
  }

  /** Synchronous retrieval: S ← sign(SW) until no row changes, or {@code maxSteps} steps (2-cycles stop there). */
  public static Retrieval synchronous(Ops tf, Operand<TFloat32> w, Operand<TFloat32> s0, int maxSteps) {
    Graph graph = (Graph) tf.scope().env();
    Output<?>[] init = {tf.constant(0).asOutput(), s0.asOutput(), tf.constant(true).asOutput(), w.asOutput()};
    Output<?>[] out = graph.whileLoop(init,
        (g, in, o) -> {
          Ops s = Ops.create(g);
          o[0] = s.math.logicalAnd(s.math.less(cast(in[0], TInt32.class), s.constant(maxSteps)),
              cast(in[2], TBool.class)).asOutput();
        },
        (g, in, o) -> {
          Ops s = Ops.create(g);
          Operand<TFloat32> st = cast(in[1], TFloat32.class);
          Operand<TFloat32> next = synchronousStep(s, cast(in[3], TFloat32.class), st);
          o[0] = s.math.add(cast(in[0], TInt32.class), s.constant(1)).asOutput();
          o[1] = next.asOutput();
          o[2] = s.reduceAny(s.math.notEqual(next, st), s.constant(new int[] {0, 1})).asOutput();
          o[3] = in[3];
        }, tf.scope().makeUnique("sync_retrieval"));
    return new Retrieval(cast(out[1], TFloat32.class), cast(out[0], TInt32.class));
  }

  /** Flips each unit of X with probability {@code fraction} (stateless, from seed [2] int64). */
  public static Operand<TFloat32> flip(Ops tf, Operand<TFloat32> x, float fraction, Operand<org.tensorflow.types.TInt64> seed) {
    Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.shape(x), seed, TFloat32.class);
    Operand<TFloat32> sign = tf.select(tf.math.less(u, tf.constant(fraction)), tf.fill(tf.shape(x), tf.constant(-1f)),
        tf.fill(tf.shape(x), tf.constant(1f)));
    return tf.math.mul(x, sign);
  }

  private static Operand<TFloat32> signKeep(Ops tf, Operand<TFloat32> field, Operand<TFloat32> old) {
    Operand<TFloat32> sgn = tf.math.sign(field);
    return tf.select(tf.math.equal(sgn, tf.constant(0f)), old, sgn);
  }

  private static Operand<TFloat32> zeroDiagonal(Ops tf, Operand<TFloat32> m, int n) {
    float[] mask = new float[n * n];
    java.util.Arrays.fill(mask, 1f);
    for (int i = 0; i < n; i++) {
      mask[i * n + i] = 0f;
    }
    return tf.math.mul(m, tf.constant(org.tensorflow.ndarray.Shape.of(n, n), org.tensorflow.ndarray.buffer.DataBuffers.of(mask)));
  }

  @SuppressWarnings("unchecked")
  private static <T extends org.tensorflow.types.family.TType> Operand<T> cast(Output<?> o, Class<T> type) {
    return (Operand<T>) o;
  }
}
