package org.plasticity.manifold;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The DAG forward pass level by level (evaluation {@code LEVELS}).
 *
 * <p>A computational neuron's level is the length of the longest path of active
 * computational-to-computational connections into it: level 0 reads only inputs, level l reads
 * levels below l. With the neurons ordered by level (a permutation fed with every step, read
 * from the carried active entries like {@link IteratedForward}'s depth), level l is computed once:
 *
 * <pre>
 *   Pz      = (act(z_in) A_ic^T)[:, perm] * w + b            pre-activations from the inputs
 *   z_0     = Pz_0
 *   z_l     = Pz_l + [a_0 .. a_{l-1}, Pz_l .. Pz_last] (C_l * w_l)^T     a_k = act(z_k)
 * </pre>
 *
 * C_l, the rows of level l of the computational block in level order, is zero in every column of
 * level l and above (its sources are all below l). So the columns of the running matrix that are
 * not yet computed may hold any finite values -- here the levels' own Pz, which keeps every
 * product [B, n_comp] x [n_comp, n_l] without a per-level slice -- and they add exact zeros to
 * the value and to every gradient. The products of all levels together cost one
 * [B, n_comp] x [n_comp, n_comp] product, where the iteration costs one per level; the op count
 * per level is about the iteration's.
 */
public final class LeveledForward {
  private LeveledForward() {}

  /**
   * Output neurons [B, n_out].
   *
   * @param blocks the four adjacency blocks as for {@link IteratedForward}, the
   *     computational-to-computational one already in level order (rows and columns), the others
   *     in neuron order
   * @param perm [n_comp] the neurons in level order (position -> neuron)
   * @param sizes [levels] the number of neurons on each level, summing to n_comp
   * @param levels how many levels this graph evaluates (longest path + 1 or more; extra levels
   *     are empty)
   */
  public static Operand<TFloat32> outputs(Ops tf, int nIn, int nComp, Operand<TFloat32> x,
      List<Operand<TFloat32>> blocks, Operand<TFloat32> w, Operand<TFloat32> b, UnaryOperator<Operand<TFloat32>> act,
      UnaryOperator<Operand<TFloat32>> readout, Operand<TInt32> perm, Operand<TInt32> sizes, int levels) {
    List<Operand<TFloat32>> wSplit = ChainForward.splitV(tf, w, new int[] {nIn, nComp}, 1);
    List<Operand<TFloat32>> bSplit = ChainForward.splitV(tf, b, new int[] {nIn, nComp}, 1);
    Operand<TFloat32> zIn = tf.math.add(tf.math.mul(x, wSplit.get(0)), bSplit.get(0));
    MatMul.Options tb = MatMul.transposeB(true);
    Operand<TFloat32> aIn = act.apply(zIn);
    Operand<TInt32> axis1 = tf.constant(1);
    Operand<TFloat32> wp = tf.gather(wSplit.get(1), perm, axis1); // [1, n_comp] in level order
    Operand<TFloat32> bp = tf.gather(bSplit.get(1), perm, axis1);
    Operand<TFloat32> p = tf.gather(tf.linalg.matMul(aIn, blocks.get(0), tb), perm, axis1);
    Operand<TFloat32> pz = tf.math.add(tf.math.mul(p, wp), bp);
    // Each row of the block scaled by its destination's weight: z_l needs (P + a C^T) w + b.
    Operand<TFloat32> cw = tf.math.mul(blocks.get(1), tf.reshape(wp, tf.constant(new int[] {nComp, 1})));
    List<Operand<TFloat32>> pzLevels = split(tf, pz, sizes, 1, levels);
    List<Operand<TFloat32>> cwLevels = split(tf, cw, sizes, 0, levels);
    // The not-yet-computed columns of level l's running matrix are [Pz_l .. Pz_last]; built from
    // the last level down, and the computed ones level by level, by two-part concatenations, so
    // the graph grows linearly with the number of levels.
    List<Operand<TFloat32>> rest = new ArrayList<>(java.util.Collections.nCopies(levels, null));
    rest.set(levels - 1, pzLevels.get(levels - 1));
    for (int l = levels - 2; l >= 1; l--) {
      rest.set(l, tf.concat(List.of(pzLevels.get(l), rest.get(l + 1)), axis1));
    }
    List<Operand<TFloat32>> z = new ArrayList<>();
    z.add(pzLevels.get(0));
    Operand<TFloat32> done = act.apply(pzLevels.get(0)); // act of levels 0 .. l-1, in level order
    for (int l = 1; l < levels; l++) {
      Operand<TFloat32> running = tf.concat(List.of(done, rest.get(l)), axis1);
      Operand<TFloat32> zl = tf.math.add(pzLevels.get(l), tf.linalg.matMul(running, cwLevels.get(l), tb));
      z.add(zl);
      done = tf.concat(List.of(done, act.apply(zl)), axis1);
    }
    Operand<TFloat32> rComp = readout == act ? done : readout.apply(concat(tf, z));
    Operand<TFloat32> rIn = readout == act ? aIn : readout.apply(zIn);
    Operand<TFloat32> compOut = tf.gather(blocks.get(3), perm, axis1); // its columns in level order
    return tf.math.add(tf.linalg.matMul(rIn, blocks.get(2), tb), tf.linalg.matMul(rComp, compOut, tb));
  }

  private static List<Operand<TFloat32>> split(Ops tf, Operand<TFloat32> v, Operand<TInt32> sizes, int axis, int n) {
    if (n == 1) {
      return List.of(v);
    }
    List<Operand<TFloat32>> parts = new ArrayList<>();
    tf.splitV(v, sizes, tf.constant(axis), (long) n).output().forEach(parts::add);
    return parts;
  }

  private static Operand<TFloat32> concat(Ops tf, List<Operand<TFloat32>> parts) {
    return parts.size() == 1 ? parts.get(0) : tf.concat(parts, tf.constant(1));
  }

  /**
   * Levels of the computational neurons from the [E, 2] (destination, source) indices of the
   * active computational-to-computational connections (flattened, sources below destinations):
   * level[k] is the longest path of active connections into k, in edges.
   */
  public static int[] levels(long[] indices, int nComp) {
    // sources grouped by destination (counting sort), then destinations in increasing order
    int[] start = new int[nComp + 1];
    for (int e = 0; e + 1 < indices.length; e += 2) {
      start[(int) indices[e] + 1]++;
    }
    for (int k = 0; k < nComp; k++) {
      start[k + 1] += start[k];
    }
    int[] src = new int[indices.length / 2];
    int[] fill = start.clone();
    for (int e = 0; e + 1 < indices.length; e += 2) {
      src[fill[(int) indices[e]]++] = (int) indices[e + 1];
    }
    int[] level = new int[nComp];
    for (int k = 0; k < nComp; k++) {
      int d = 0;
      for (int i = start[k]; i < start[k + 1]; i++) {
        d = Math.max(d, level[src[i]] + 1);
      }
      level[k] = d;
    }
    return level;
  }

  /** The neurons ordered by level, stably (position -> neuron). */
  public static int[] order(int[] level, int levels) {
    int[] sizes = sizes(level, levels);
    int[] next = new int[levels]; // each level's first free position
    for (int l = 1; l < levels; l++) {
      next[l] = next[l - 1] + sizes[l - 1];
    }
    int[] perm = new int[level.length];
    for (int k = 0; k < level.length; k++) {
      perm[next[level[k]]++] = k;
    }
    return perm;
  }

  /** How many neurons are on each of {@code levels} levels. */
  public static int[] sizes(int[] level, int levels) {
    int[] s = new int[levels];
    for (int l : level) {
      s[l]++;
    }
    return s;
  }
}
