package org.plasticity.manifold;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.plasticity.config.ManifoldConfig;
import org.plasticity.core.AtomicFiles;
import org.plasticity.core.UserError;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A trained manifold with its wiring frozen and pruned: inactive connections and every neuron
 * with no active path to an output are dropped, every neuron that no input reaches is a constant
 * folded into its readers' biases, and the remaining computational neurons are
 * evaluated by levels of the active DAG (all neurons of one level in one matrix product over
 * gathered dense blocks), so the cost follows the active connections and the depth, not the
 * 206-step chain. Same function as the dense model up to float summation order.
 */
public final class PrunedModel {
  private final ManifoldConfig m;
  private final float[] adjacency; // effective [n_dst, n_src], row-major
  private final float[] w;
  private final float[] b;
  private final int nIn;
  private final int nComp;
  private final int nOut;
  private final int nSrc;
  /** Computational neurons (0-based comp index) kept, grouped by level 1..depth. */
  private final List<int[]> levels = new ArrayList<>();
  /** Input neurons with an active connection to a kept neuron. */
  private final int[] usedInputs;
  private final long keptConnections;
  /**
   * The per-source biases with the constants folded in. A neuron that reaches an output but no
   * input reaches computes a constant (its z is computed at construction, in double precision);
   * its share of its readers' sums is added to their biases here, and to the outputs' constant
   * ({@link #constantOutputs}).
   */
  private final float[] effectiveBias;
  private final double[] constantOutputs;
  private final int constantNeurons;
  private final long foldedConnections;

  public PrunedModel(ManifoldConfig m, float[] adjacency, float[] w, float[] b) {
    this.m = m;
    this.adjacency = adjacency;
    this.w = w;
    this.b = b;
    this.nIn = m.getNInput();
    this.nComp = m.getNComp();
    this.nOut = m.getNOutput();
    this.nSrc = nIn + nComp;

    // Which computational neurons reach an output through active connections (reverse order).
    boolean[] kept = new boolean[nComp];
    for (int k = nComp - 1; k >= 0; k--) {
      int j = nIn + k;
      for (int o = 0; o < nOut && !kept[k]; o++) {
        kept[k] = a(nComp + o, j) != 0f;
      }
      for (int r = k + 1; r < nComp && !kept[k]; r++) {
        kept[k] = kept[r] && a(r, j) != 0f;
      }
    }
    // Which of them an input reaches (live); the others compute a constant, folded into their readers' biases.
    boolean[] live = new boolean[nComp];
    for (int k = 0; k < nComp; k++) {
      for (int j = 0; j < nIn + k && kept[k] && !live[k]; j++) {
        live[k] = a(k, j) != 0f && (j < nIn || live[j - nIn]);
      }
    }
    double[] constantZ = new double[nComp];
    effectiveBias = b.clone();
    constantOutputs = new double[nOut];
    long folded = 0;
    for (int r = 0; r < nComp + nOut; r++) {
      boolean output = r >= nComp;
      if (!output && !kept[r]) {
        continue;
      }
      double sum = 0;
      for (int q = 0; q < (output ? nComp : r); q++) {
        if (kept[q] && !live[q] && a(r, nIn + q) != 0f) {
          sum += a(r, nIn + q) * (output && !m.getOutputsReadActivation() ? constantZ[q] : activation(constantZ[q]));
          folded++;
        }
      }
      if (output) {
        constantOutputs[r - nComp] = sum;
      } else if (live[r]) {
        effectiveBias[nIn + r] = (float) (b[nIn + r] + (double) w[nIn + r] * sum);
      } else {
        constantZ[r] = (double) w[nIn + r] * sum + b[nIn + r];
      }
    }
    // Level of each live neuron: 1 + the highest level among its active live computational sources.
    int[] level = new int[nComp];
    int depth = 0;
    for (int k = 0; k < nComp; k++) {
      if (!live[k]) {
        continue;
      }
      int l = 1;
      for (int q = 0; q < k; q++) {
        if (live[q] && a(k, nIn + q) != 0f) {
          l = Math.max(l, level[q] + 1);
        }
      }
      level[k] = l;
      depth = Math.max(depth, l);
    }
    for (int l = 1; l <= depth; l++) {
      final int lv = l;
      levels.add(java.util.stream.IntStream.range(0, nComp).filter(k -> live[k] && level[k] == lv).toArray());
    }
    boolean[] inputUsed = new boolean[nIn];
    long conns = 0;
    for (int r = 0; r < nComp + nOut; r++) {
      if (r < nComp && !live[r]) {
        continue;
      }
      int limit = r < nComp ? nIn + r : nSrc;
      for (int j = 0; j < limit; j++) {
        if (a(r, j) != 0f && (j < nIn || live[j - nIn])) {
          conns++;
          if (j < nIn) {
            inputUsed[j] = true;
          }
        }
      }
    }
    this.usedInputs = java.util.stream.IntStream.range(0, nIn).filter(j -> inputUsed[j]).toArray();
    this.keptConnections = conns;
    this.constantNeurons = (int) java.util.stream.IntStream.range(0, nComp).filter(k -> kept[k] && !live[k]).count();
    this.foldedConnections = folded;
  }

  /** The activation of the computational neurons, in double precision (for the folded constants). */
  private double activation(double z) {
    return switch (m.getActivation()) {
      case LEAKY_RELU -> z > 0 ? z : z * m.getLeakySlope();
      case RELU -> Math.max(z, 0);
      case SIGMOID -> 1 / (1 + Math.exp(-z));
      case TANH -> Math.tanh(z);
    };
  }

  private float a(int r, int j) {
    return adjacency[r * nSrc + j];
  }

  public int depth() {
    return levels.size();
  }

  /** Computational neurons computed per example: those on an active path from an input to an output. */
  public int keptNeurons() {
    return levels.stream().mapToInt(l -> l.length).sum();
  }

  /** Computational neurons that reach an output but no input reaches: constants, folded into biases. */
  public int constantNeurons() {
    return constantNeurons;
  }

  /** Active connections out of the constant neurons, folded into their readers' biases. */
  public long foldedConnections() {
    return foldedConnections;
  }

  public int usedInputs() {
    return usedInputs.length;
  }

  public long keptConnections() {
    return keptConnections;
  }

  /** Dense block [sources x destinations] of the adjacency, transposed for x . block. */
  private float[][] block(int[] srcNeurons, int[] dstRows) {
    float[][] out = new float[srcNeurons.length][dstRows.length];
    for (int i = 0; i < srcNeurons.length; i++) {
      for (int d = 0; d < dstRows.length; d++) {
        out[i][d] = a(dstRows[d], srcNeurons[i]);
      }
    }
    return out;
  }

  private static boolean allZero(float[][] blk) {
    for (float[] row : blk) {
      for (float v : row) {
        if (v != 0f) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Batches of at least this many examples take the branch with the sparse input stage over all
   * inputs; smaller batches the dense one over the used inputs. Measured on the 2-core CPU with the
   * pruned export of a 9-level, 5,363-connection MNIST model forced into one branch or the other
   * (best of five medians of 300 or 20 calls), dense / sparse: 0.37 / 0.53 ms at B = 16,
   * 0.67 / 0.54 ms at 32, 0.56 / 0.54 ms at 64 (docs/RESULTS.md).
   */
  static final int SPARSE_KERNEL_MIN_BATCH = 32;

  /** Builds the pruned forward pass, outputs reading the linear z; returns the output neurons [B, n_out] (before squaring). */
  public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, UnaryOperator<Operand<TFloat32>> act) {
    return build(tf, x, act, false);
  }

  /**
   * The pruned forward pass, the output neurons reading act(z) of their sources ({@code
   * outputsReadActivation}) or their linear z (the original). Two branches of the same function,
   * picked by batch size through a Switch/Merge pair ({@link #either}) so only one runs: {@link #branch} with a dense
   * input stage (latency) or a sparse one (throughput). {@code x} holds raw inputs: with
   * deskew_inputs they are deskewed first, as in the dense model.
   */
  public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, UnaryOperator<Operand<TFloat32>> act,
      boolean outputsReadActivation) {
    x = ManifoldModel.inputs(tf, m, x);
    return either(tf, x, tf.math.greaterEqual(batchSize(tf, x), tf.constant(SPARSE_KERNEL_MIN_BATCH)),
        (t, xLarge) -> branch(t, xLarge, act, outputsReadActivation, true),
        (t, xSmall) -> branch(t, xSmall, act, outputsReadActivation, false));
  }

  /** The number of examples of x [B, n], an int32 scalar. */
  private static Operand<TInt32> batchSize(Ops tf, Operand<TFloat32> x) {
    return tf.gather(tf.shape(x), tf.constant(0), tf.constant(0));
  }

  /**
   * ifTrue of x where {@code pred} holds, else ifFalse of x, through a Switch/Merge pair so that
   * only one side runs. Each side is built through an Ops whose ops hang on a pivot (an Identity
   * of its Switch output) by a control edge, so the side not taken is dead as a whole -- its
   * constants included, which would otherwise run at every call (the executor runs every
   * input-free node).
   */
  private static Operand<TFloat32> either(Ops tf, Operand<TFloat32> x, Operand<org.tensorflow.types.TBool> pred,
      java.util.function.BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> ifTrue,
      java.util.function.BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> ifFalse) {
    var sw = tf.switchCond(x, pred);
    org.tensorflow.op.core.Identity<TFloat32> onFalse = tf.identity(sw.outputFalse());
    org.tensorflow.op.core.Identity<TFloat32> onTrue = tf.identity(sw.outputTrue());
    Operand<TFloat32> whenFalse = ifFalse.apply(tf.withControlDependencies(List.of(onFalse)), onFalse);
    Operand<TFloat32> whenTrue = ifTrue.apply(tf.withControlDependencies(List.of(onTrue)), onTrue);
    return tf.merge(List.of(whenFalse, whenTrue)).output();
  }

  private static float[] pick(float[] src, int[] idx) {
    float[] v = new float[idx.length];
    for (int i = 0; i < idx.length; i++) {
      v[i] = src[idx[i]];
    }
    return v;
  }

  /**
   * Where a branch keeps the examples: as rows ([B, width], the small-batch branch) or as columns
   * ([width, B], the large-batch branch). In columns the sparse input stage is a
   * SparseTensorDenseMatMul of a constant [columns, inputs] matrix with act(z_in)^T per piece and needs no
   * transpose but of the input at the start and of the [n_out, B] result at the end; in rows it
   * would need (blk^T act^T)^T, two transposes of [B, inputs]- and [B, columns]-sized tensors.
   */
  private enum Layout {
    ROWS, COLUMNS;

    /** The axis along which neurons lie. */
    int axis() {
      return this == ROWS ? 1 : 0;
    }

    /** A constant per neuron, shaped to broadcast over the examples: [1, n] or [n, 1]. */
    Operand<TFloat32> vector(Ops tf, float[] v) {
      if (this == ROWS) {
        return tf.constant(new float[][] {v});
      }
      float[][] col = new float[v.length][1];
      for (int i = 0; i < v.length; i++) {
        col[i][0] = v[i];
      }
      return tf.constant(col);
    }

    /** a . blk for activations a over the block's sources: a blk in rows, blk^T a in columns. */
    Operand<TFloat32> times(Ops tf, Operand<TFloat32> a, float[][] blk) {
      return this == ROWS ? tf.linalg.matMul(a, tf.constant(blk)) : tf.linalg.matMul(tf.constant(transpose(blk)), a);
    }

    /**
     * Every example's value of n neurons all equal to {@code values}, in this layout (the batch size
     * from the inputs x, which are rows [B, n_in] in both layouts).
     */
    Operand<TFloat32> constantNeurons(Ops tf, Operand<TFloat32> x, float[] values) {
      Operand<TFloat32> oneInput = tf.gather(x, tf.constant(new int[] {0}), tf.constant(1));
      if (this == COLUMNS) {
        oneInput = tf.reshape(oneInput, tf.constant(new int[] {1, -1}));
      }
      return tf.math.add(tf.math.mul(oneInput, vector(tf, new float[values.length])), vector(tf, values));
    }
  }

  private static float[][] transpose(float[][] v) {
    float[][] t = new float[v[0].length][v.length];
    for (int i = 0; i < v.length; i++) {
      for (int j = 0; j < v[i].length; j++) {
        t[j][i] = v[i][j];
      }
    }
    return t;
  }

  /**
   * One branch of the pruned function. The input stage is the product of act(z_in) with the stacked
   * input blocks of every level that reads inputs, plus n_out columns for the outputs (one MatMul
   * and a split, or with {@code large} one sparse product per block): act(z_in)
   * T_in when they read act(z), else the inputs' share of sum_l z_l T_l, folded as sum_l B_l W_l
   * T_l (in double precision here). Then each level is z = (piece + E . block) w + b over the
   * earlier levels' concatenated activations E, and the outputs are one product of E at the end
   * (E . T, or, when they read the linear z, E . M with M = sum_l W_l T_l and a constant row
   * sum_l b_l T_l, since z_l T_l = E_l W_l T_l + b_l T_l with E_l a prefix of E), plus z_in T_in
   * over the inputs when they read z.
   *
   * <p>{@code large} (large batches, throughput): examples as columns ({@link Layout#COLUMNS});
   * z_in is taken in rows by one fused kernel ({@link #scaledInputs}) and act(z_in) transposed by
   * tiles ({@link #toColumns}), the input stage runs over all inputs with no gather as sparse
   * products, and the level
   * weights are folded into the blocks (z = pre + b). Outputs that read the linear z read it level
   * by level there, one product over the levels' concatenated z plus a sparse z_in T_in: the fold
   * above gives the input stage output columns with 3,625 nonzeros in a 5,363-connection MNIST
   * model, more than its levels' own 2,634 input connections: the costliest sparse product of
   * the call. Otherwise (small batches, latency): examples
   * as rows, a MatMul over the gathered used inputs, the weights folded into the blocks, and the
   * biases through a column of ones that E starts with: z is the sum of the products, with no Mul
   * or Add per level (3-6 % faster at one example than z = pre w + b, docs/RESULTS.md, session 10).
   * There is no BiasAdd for the CPU graph optimiser to fuse with the MatMul and the activation: its
   * fused oneDNN kernel took about three times as long per op as a plain MatMul in a traced call on
   * one example (docs/RESULTS.md, session 4).
   */
  private Operand<TFloat32> branch(Ops tf, Operand<TFloat32> x, UnaryOperator<Operand<TFloat32>> act,
      boolean readAct, boolean large) {
    int[] outRows = java.util.stream.IntStream.range(nComp, nComp + nOut).toArray();
    // large: all inputs, no gather; small: the used inputs, gathered (with none used, every input
    // block is zero and the input stage is empty, so there is nothing to gather)
    boolean sparseInputs = large || usedInputs.length == 0;
    Layout lay = large ? Layout.COLUMNS : Layout.ROWS;
    int[] allInputs = sparseInputs ? java.util.stream.IntStream.range(0, nIn).toArray() : usedInputs;
    int nRows = allInputs.length;
    int[] positions = java.util.stream.IntStream.range(0, nRows).toArray();
    Operand<TInt32> swap = large ? tf.constant(new int[] {1, 0}) : null;
    if (!sparseInputs) {
      x = tf.gather(x, tf.constant(usedInputs), tf.constant(1));
    }
    boolean[] needed = neededLevels(outRows, readAct);
    // Outputs reading the linear z, large batches: read each level's z directly (one product over
    // their concatenation) instead of folding the inputs' share into the input stage (see the
    // method's documentation; docs/RESULTS.md, session 9).
    boolean zReadout = large && !readAct;
    // The input stage's columns: each level that reads inputs (weights folded in), then the outputs'.
    List<float[][]> stageBlocks = new ArrayList<>();
    boolean[] readsInputs = new boolean[levels.size()];
    double[][] inToOut = new double[nRows][nOut];
    // the outputs' constant: the folded constant neurons' share, and (when folded) the levels' biases' share
    double[] constant = constantOutputs.clone();
    for (int l = 0; l < levels.size(); l++) {
      int[] abs = Arrays.stream(levels.get(l)).map(k -> nIn + k).toArray();
      float[][] raw = block(allInputs, levels.get(l));
      float[][] blk = scaled(raw, abs);
      readsInputs[l] = !allZero(blk);
      if (readsInputs[l]) {
        stageBlocks.add(blk);
        if (!readAct && !zReadout) {
          fold(inToOut, positions, blk, block(abs, outRows));
        }
      }
    }
    float[][] tIn = block(allInputs, outRows);
    float[][] outCols = readAct ? tIn : toFloat(inToOut);
    boolean outInStage = !zReadout && !allZero(outCols);
    if (outInStage) {
      stageBlocks.add(outCols);
    }
    // z_in = x w + b in rows for both branches (large batches: one fused kernel, {@link #scaledInputs};
    // act(z_in) is then transposed into columns)
    Operand<TFloat32> zIn = large ? scaledInputs(tf, x, pick(w, allInputs), pick(b, allInputs))
        : tf.math.add(tf.math.mul(x, lay.vector(tf, pick(w, allInputs))), lay.vector(tf, pick(b, allInputs)));
    List<Operand<TFloat32>> pieces = List.of();
    if (!stageBlocks.isEmpty()) {
      Operand<TFloat32> aIn = large ? toColumns(tf, act.apply(zIn), nRows) : act.apply(zIn);
      if (large) {
        // One sparse product per piece instead of one product and a SplitV, which copies every
        // piece out of it: as fast at batch 1000 within the noise (a higher speed-up in five of
        // six comparisons, docs/RESULTS.md, session 8), with no stacked copy of the blocks.
        List<Operand<TFloat32>> sparse = new ArrayList<>();
        for (float[][] k : stageBlocks) {
          sparse.add(sparseProduct(tf, aIn, k));
        }
        pieces = sparse;
      } else {
        int[] sizes = stageBlocks.stream().mapToInt(k -> k[0].length).toArray();
        float[][] stacked = new float[nRows][Arrays.stream(sizes).sum()];
        int col = 0;
        for (float[][] k : stageBlocks) {
          for (int i = 0; i < nRows; i++) {
            System.arraycopy(k[i], 0, stacked[i], col, k[i].length);
          }
          col += k[0].length;
        }
        Operand<TFloat32> product = lay.times(tf, aIn, stacked);
        pieces = sizes.length == 1 ? List.of(product) : ChainForward.splitV(tf, product, sizes, lay.axis());
      }
    }
    List<Operand<TFloat32>> outTerms = new ArrayList<>();
    if (outInStage) {
      outTerms.add(pieces.get(pieces.size() - 1));
    }
    if (!readAct && !allZero(tIn)) {
      outTerms.add(large ? sparseProduct(tf, toColumns(tf, zIn, nRows), tIn) : lay.times(tf, zIn, tIn));
    }
    List<Operand<TFloat32>> zParts = new ArrayList<>();
    int[] zCols = new int[0];
    int piece = 0;
    // Small batches: the running activations E start with a column of ones and every level's block
    // with a first row of its biases, so z is the sum of the products: no per-level Mul and Add,
    // and no weight and bias constants (at one example each op costs more than its arithmetic).
    boolean onesColumn = !large;
    Operand<TFloat32> e = onesColumn ? tf.onesLike(tf.gather(x, tf.constant(new int[] {0}), tf.constant(1))) : null;
    int[] eCols = new int[0];
    double[][] folded = new double[nIn + nComp][nOut];
    Operand<TInt32> axis = tf.constant(lay.axis());
    for (int l = 0; l < levels.size(); l++) {
      int[] abs = Arrays.stream(levels.get(l)).map(k -> nIn + k).toArray();
      float[] bl = pick(effectiveBias, abs);
      List<Operand<TFloat32>> terms = new ArrayList<>();
      if (readsInputs[l]) {
        terms.add(pieces.get(piece++));
      }
      if (e != null) {
        float[][] blk = scaled(block(eCols, levels.get(l)), abs);
        float[][] withBias = onesColumn ? withFirstRow(bl, blk) : blk;
        if (!allZero(withBias)) {
          terms.add(lay.times(tf, e, withBias));
          if (!readAct && !zReadout) {
            fold(folded, eCols, blk, block(abs, outRows));
          }
        }
      }
      if (!readAct && !zReadout) {
        fold(constant, bl, block(abs, outRows));
      }
      Operand<TFloat32> pre = terms.isEmpty() ? null : terms.size() == 1 ? terms.get(0) : tf.math.addN(terms);
      Operand<TFloat32> z = pre == null ? lay.constantNeurons(tf, x, bl)
          : onesColumn ? pre : tf.math.add(pre, lay.vector(tf, bl));
      if (zReadout && !allZero(block(abs, outRows))) {
        zParts.add(z);
        zCols = java.util.stream.IntStream.concat(Arrays.stream(zCols), Arrays.stream(abs)).toArray();
      }
      if (needed[l]) {
        Operand<TFloat32> a = act.apply(z);
        e = e == null ? a : tf.concat(List.of(e, a), axis);
        eCols = java.util.stream.IntStream.concat(Arrays.stream(eCols), Arrays.stream(abs)).toArray();
      }
    }
    float[] outputConstant = toFloat(new double[][] {constant})[0];
    if (zReadout) {
      if (!zParts.isEmpty()) {
        Operand<TFloat32> zs = zParts.size() == 1 ? zParts.get(0) : tf.concat(zParts, axis);
        outTerms.add(lay.times(tf, zs, block(zCols, outRows)));
      }
    } else {
      float[][] fromE = readAct ? block(eCols, outRows) : pickRows(toFloat(folded), eCols);
      if (onesColumn) {
        // the outputs' constant through the ones column
        fromE = withFirstRow(outputConstant, fromE);
      }
      if (e != null && !allZero(fromE)) {
        outTerms.add(lay.times(tf, e, fromE));
      }
    }
    // the constant neurons' share of the outputs, and the biases' share when folded (unless it came
    // through the ones column)
    float[] c = onesColumn ? new float[nOut] : outputConstant;
    Operand<TFloat32> sum = outTerms.isEmpty() ? lay.constantNeurons(tf, x, c)
        : outTerms.size() == 1 ? outTerms.get(0) : tf.math.addN(outTerms);
    if (large) {
      sum = tf.linalg.transpose(sum, swap);
    }
    return outTerms.isEmpty() || allZero(new float[][] {c}) ? sum : tf.nn.biasAdd(sum, tf.constant(c));
  }

  /**
   * x w + b for inputs x [B, n] and per-input w, b [n], as a 1x1 depthwise convolution of x seen as
   * [B, 1, 1, n] images of n channels, and a BiasAdd: TF's CPU graph optimiser fuses the two into
   * one kernel, one pass over x where a broadcasting Mul and Add take two. The same numbers, bit
   * for bit, and 0.43 against 0.52 ms with the transposition and the activation at B = 1000, n =
   * 784 (one intra-op thread, calling thread; docs/RESULTS.md, session 10).
   */
  private static Operand<TFloat32> scaledInputs(Ops tf, Operand<TFloat32> x, float[] w, float[] b) {
    int n = w.length;
    float[][][][] filter = new float[1][1][n][1];
    for (int i = 0; i < n; i++) {
      filter[0][0][i][0] = w[i];
    }
    Operand<TFloat32> images = tf.reshape(x, tf.constant(new int[] {-1, 1, 1, n}));
    Operand<TFloat32> scaled = tf.nn.depthwiseConv2dNative(images, tf.constant(filter), List.of(1L, 1L, 1L, 1L), "VALID");
    return tf.reshape(tf.nn.biasAdd(scaled, tf.constant(b)), tf.constant(new int[] {-1, n}));
  }

  /** Examples per tile of the large-batch branch's input transposition (see {@link #toColumns}). */
  static final int TRANSPOSE_TILE = 8;

  /**
   * x^T for inputs x [B, n]. When B is a multiple of {@link #TRANSPOSE_TILE}, in two steps: each
   * tile of 8 examples is transposed on its own ([B/8, 8, n] to [B/8, n, 8]), then the tiles' rows
   * of 8 contiguous floats are gathered input by input ([n, B/8, 8] = [n, B]). On the 2-core CPU
   * this took 0.27-0.32 ms for B = 1000, n = 784, where one Transpose took 0.58-0.73 ms (one intra-op
   * thread, docs/RESULTS.md, session 8): the single transpose reads the input with a stride of a
   * whole row for every float it writes. Other batch sizes take the single Transpose, through
   * {@link #either} like the branches. Both are the same permutation, bit for bit.
   */
  private static Operand<TFloat32> toColumns(Ops tf, Operand<TFloat32> x, int n) {
    Operand<TInt32> tile = tf.constant(TRANSPOSE_TILE);
    return either(tf, x, tf.math.equal(tf.math.floorMod(batchSize(tf, x), tile), tf.constant(0)),
        (t, tiled) -> {
          Operand<TFloat32> tiles = t.linalg.transpose(t.reshape(tiled, t.constant(new int[] {-1, TRANSPOSE_TILE, n})),
              t.constant(new int[] {0, 2, 1}));
          return t.reshape(t.linalg.transpose(tiles, t.constant(new int[] {1, 0, 2})), t.constant(new int[] {n, -1}));
        },
        (t, plain) -> t.linalg.transpose(plain, t.constant(new int[] {1, 0})));
  }

  /**
   * blk^T a for activations a as columns ([rows, B]) with blk as a sparse constant, by
   * SparseTensorDenseMatMul, whose kernel adds each nonzero's multiple of a contiguous row of a:
   * work in proportion to the nonzeros.
   */
  private static Operand<TFloat32> sparseProduct(Ops tf, Operand<TFloat32> a, float[][] blk) {
    int rows = blk.length;
    int cols = blk[0].length;
    List<long[]> idx = new ArrayList<>();
    List<Float> vals = new ArrayList<>();
    for (int c = 0; c < cols; c++) {
      for (int r = 0; r < rows; r++) {
        if (blk[r][c] != 0f) {
          idx.add(new long[] {c, r});
          vals.add(blk[r][c]);
        }
      }
    }
    float[] v = new float[vals.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = vals.get(i);
    }
    return tf.sparse.sparseTensorDenseMatMul(tf.constant(idx.toArray(new long[0][])),
        tf.constant(v), tf.constant(new long[] {cols, rows}), a);
  }

  /** Whether each level's activations are read after it is made (by a later level, or by outputs reading act(z)). */
  private boolean[] neededLevels(int[] outRows, boolean readAct) {
    boolean[] needed = new boolean[levels.size()];
    for (int l = 0; l < levels.size(); l++) {
      int[] abs = Arrays.stream(levels.get(l)).map(k -> nIn + k).toArray();
      needed[l] = readAct && !allZero(block(abs, outRows));
      for (int later = l + 1; later < levels.size() && !needed[l]; later++) {
        needed[l] = !allZero(block(abs, levels.get(later)));
      }
    }
    return needed;
  }

  /** A copy of the block with column d scaled by the weight of destination neuron abs[d]. */
  private float[][] scaled(float[][] blk, int[] abs) {
    float[][] out = new float[blk.length][];
    for (int i = 0; i < blk.length; i++) {
      out[i] = blk[i].clone();
      for (int d = 0; d < abs.length; d++) {
        out[i][d] *= w[abs[d]];
      }
    }
    return out;
  }

  /** into[src[i]] += blk[i] . t, in double precision. */
  private static void fold(double[][] into, int[] src, float[][] blk, float[][] t) {
    for (int i = 0; i < src.length; i++) {
      for (int d = 0; d < t.length; d++) {
        if (blk[i][d] != 0f) {
          for (int o = 0; o < t[d].length; o++) {
            into[src[i]][o] += (double) blk[i][d] * t[d][o];
          }
        }
      }
    }
  }

  /** into += bias . t, in double precision. */
  private static void fold(double[] into, float[] bias, float[][] t) {
    for (int d = 0; d < t.length; d++) {
      for (int o = 0; o < t[d].length; o++) {
        into[o] += (double) bias[d] * t[d][o];
      }
    }
  }

  private static float[][] toFloat(double[][] v) {
    float[][] f = new float[v.length][];
    for (int i = 0; i < v.length; i++) {
      f[i] = new float[v[i].length];
      for (int j = 0; j < v[i].length; j++) {
        f[i][j] = (float) v[i][j];
      }
    }
    return f;
  }

  /** The rows of {@code rest} after {@code first}. */
  private static float[][] withFirstRow(float[] first, float[][] rest) {
    float[][] out = new float[rest.length + 1][];
    out[0] = first.clone();
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  private static float[][] pickRows(float[][] v, int[] rows) {
    float[][] f = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      f[i] = v[rows[i]];
    }
    return f;
  }

  /** Writes the pruned SavedModel (serving_default: input field -> logits/probabilities or outputs). */
  public void export(Path dir, String inputName) {
    Path staging = dir.resolveSibling("." + dir.getFileName() + ".staging");
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g).withSubScope("pruned");
      Placeholder<TFloat32> x = tf.withName(inputName).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, nIn)));
      UnaryOperator<Operand<TFloat32>> act = ManifoldModel.activation(tf, m);
      Operand<TFloat32> out = build(tf, x, act, m.getOutputsReadActivation());
      Operand<TFloat32> logits = tf.withName("logits").identity(m.getSquareOutputs() ? tf.math.square(out) : out);
      Signature.Builder sig = Signature.builder().key(Signature.DEFAULT_KEY).input(inputName, x);
      if (m.getObjective() == ManifoldConfig.Objective.SOFTMAX_CROSS_ENTROPY) {
        sig.output("logits", logits).output("probabilities", tf.withName("probabilities").nn.softmax(logits));
      } else {
        sig.output("outputs", logits);
      }
      // one variable so the SavedModel has a variables/ checkpoint like any other
      tf.withName("kept_connections").variable(tf.constant((float) keptConnections));
      try (Session s = new Session(g)) {
        s.initialize();
        AtomicFiles.deleteRecursively(staging);
        Files.createDirectories(staging.getParent());
        SavedModelBundle.exporter(staging.toString()).withSession(s).withSignatures(sig.build()).export();
      }
      AtomicFiles.replaceDirectory(staging, dir);
    } catch (IOException e) {
      throw new UserError(dir + ": cannot export pruned SavedModel (" + e.getMessage() + ")", e);
    }
  }

  public List<String> describe() {
    return List.of(String.format(
        "pruned: %d computational neurons kept in %d levels, %d of %d inputs used, %d connections;"
            + " %d constant neurons (no input reaches them) and their %d outgoing connections folded into biases",
        keptNeurons(), depth(), usedInputs(), nIn, keptConnections(), constantNeurons(), foldedConnections()));
  }
}
