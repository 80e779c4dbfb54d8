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
import org.tensorflow.op.sparse.SparseMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A trained manifold with its wiring frozen and pruned: inactive connections and every neuron
 * with no active path to an output are dropped, and the remaining computational neurons are
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
    // Level of each kept neuron: 1 + the highest level among its active computational sources.
    int[] level = new int[nComp];
    int depth = 0;
    for (int k = 0; k < nComp; k++) {
      if (!kept[k]) {
        continue;
      }
      int l = 1;
      for (int q = 0; q < k; q++) {
        if (kept[q] && a(k, nIn + q) != 0f) {
          l = Math.max(l, level[q] + 1);
        }
      }
      level[k] = l;
      depth = Math.max(depth, l);
    }
    for (int l = 1; l <= depth; l++) {
      final int lv = l;
      levels.add(java.util.stream.IntStream.range(0, nComp).filter(k -> kept[k] && level[k] == lv).toArray());
    }
    boolean[] inputUsed = new boolean[nIn];
    long conns = 0;
    for (int r = 0; r < nComp + nOut; r++) {
      if (r < nComp && !kept[r]) {
        continue;
      }
      int limit = r < nComp ? nIn + r : nSrc;
      for (int j = 0; j < limit; j++) {
        if (a(r, j) != 0f && (j < nIn || kept[j - nIn])) {
          conns++;
          if (j < nIn) {
            inputUsed[j] = true;
          }
        }
      }
    }
    this.usedInputs = java.util.stream.IntStream.range(0, nIn).filter(j -> inputUsed[j]).toArray();
    this.keptConnections = conns;
  }

  private float a(int r, int j) {
    return adjacency[r * nSrc + j];
  }

  public int depth() {
    return levels.size();
  }

  public int keptNeurons() {
    return levels.stream().mapToInt(l -> l.length).sum();
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

  private Operand<TFloat32> row(Ops tf, float[] src, int[] neurons) {
    float[][] v = new float[1][neurons.length];
    for (int i = 0; i < neurons.length; i++) {
      v[0][i] = src[neurons[i]];
    }
    return tf.constant(v);
  }

  /**
   * Batches of at least this many examples take the sparse-kernel branch: the input stage as
   * SparseMatMul (b_is_sparse) over all inputs instead of MatMul over the gathered used inputs.
   * On the 2-core CPU a [B x 751] x [751 x 206] product with 2.3 % nonzeros took, as MatMul /
   * SparseMatMul: 0.26 / 0.46 ms at B = 1, 0.56 / 0.64 ms at 64, 0.58 / 0.51 ms at 128,
   * 0.86 / 0.74 ms at 256 and 2.8 / 2.1 ms at 1000 (docs/RESULTS.md).
   */
  static final int SPARSE_KERNEL_MIN_BATCH = 128;

  /** Builds the pruned forward pass; returns the output neurons [B, n_out] (before squaring). */
  public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, UnaryOperator<Operand<TFloat32>> act) {
    return build(tf, x, act, v -> v);
  }

  /**
   * What the inputs contribute: act(z_in) times the stacked input blocks, and (when the outputs
   * read something other than act(z)) readout(z_in) times the outputs' block.
   */
  private record InputStage(Operand<TFloat32> product, Operand<TFloat32> separateOut) {}

  /**
   * The same, the output neurons reading readout(z) of their sources. The input stage -- every
   * level's input block and, when the outputs read act(z), the output neurons' -- is one
   * product of act(z_in) with the stacked blocks; by batch size (a Switch/Merge pair, so only one
   * branch runs) it is a dense MatMul over the used inputs or a SparseMatMul over all inputs.
   */
  public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, UnaryOperator<Operand<TFloat32>> act,
      UnaryOperator<Operand<TFloat32>> readout) {
    boolean readAct = readout == act;
    int[] outRows = java.util.stream.IntStream.range(nComp, nComp + nOut).toArray();
    int[] allInputs = java.util.stream.IntStream.range(0, nIn).toArray();
    // Columns of the input stage's product: the levels that read inputs, in order, then the outputs.
    List<Integer> dst = new ArrayList<>();
    int[] inputCols = new int[levels.size()];
    for (int l = 0; l < levels.size(); l++) {
      if (!allZero(block(usedInputs, levels.get(l)))) {
        inputCols[l] = levels.get(l).length;
        Arrays.stream(levels.get(l)).forEach(dst::add);
      }
    }
    boolean outReadsInputs = !allZero(block(usedInputs, outRows));
    boolean outInProduct = readAct && outReadsInputs;
    if (outInProduct) {
      Arrays.stream(outRows).forEach(dst::add);
    }
    int[] dstRows = dst.stream().mapToInt(Integer::intValue).toArray();
    boolean separateOut = !readAct && outReadsInputs;

    InputStage stage;
    if (dstRows.length == 0 && !separateOut) {
      stage = new InputStage(null, null);
    } else {
      Operand<TInt32> batch = tf.gather(tf.shape(x), tf.constant(0), tf.constant(0));
      var sw = tf.switchCond(x, tf.math.greaterEqual(batch, tf.constant(SPARSE_KERNEL_MIN_BATCH)));
      InputStage small = inputStage(tf, sw.outputFalse(), usedInputs, dstRows, outRows, separateOut, act, readout, false);
      InputStage large = inputStage(tf, sw.outputTrue(), allInputs, dstRows, outRows, separateOut, act, readout, true);
      stage = new InputStage(
          small.product() == null ? null : tf.merge(List.of(small.product(), large.product())).output(),
          small.separateOut() == null ? null : tf.merge(List.of(small.separateOut(), large.separateOut())).output());
    }
    List<Operand<TFloat32>> pieces = new ArrayList<>();
    if (stage.product() != null) {
      int[] sizes = Arrays.stream(inputCols).filter(c -> c > 0).toArray();
      if (outInProduct) {
        sizes = Arrays.copyOf(sizes, sizes.length + 1);
        sizes[sizes.length - 1] = nOut;
      }
      pieces = sizes.length == 1 ? List.of(stage.product()) : ChainForward.splitV(tf, stage.product(), sizes, 1);
    }
    List<Operand<TFloat32>> outTerms = new ArrayList<>();
    if (outInProduct) {
      outTerms.add(pieces.get(pieces.size() - 1));
    }
    if (stage.separateOut() != null) {
      outTerms.add(stage.separateOut());
    }
    int piece = 0;
    // The activations of all earlier levels, concatenated as they are made: each level reads
    // them in one product with its stacked block (few ops per level: latency at batch 1).
    int[] earlier = new int[0]; // absolute source indices of the columns of earlierActs
    Operand<TFloat32> earlierActs = null;
    for (int l = 0; l < levels.size(); l++) {
      int[] lv = levels.get(l);
      int[] rows = lv.clone(); // comp index == row index
      List<Operand<TFloat32>> terms = new ArrayList<>();
      if (inputCols[l] > 0) {
        terms.add(pieces.get(piece++));
      }
      if (earlierActs != null) {
        float[][] blk = block(earlier, rows);
        if (!allZero(blk)) {
          terms.add(tf.linalg.matMul(earlierActs, tf.constant(blk)));
        }
      }
      int[] abs = Arrays.stream(lv).map(k -> nIn + k).toArray();
      Operand<TFloat32> pre = terms.isEmpty()
          ? tf.math.mul(tf.gather(x, tf.constant(new int[] {0}), tf.constant(1)), tf.constant(new float[1][lv.length]))
          : terms.size() == 1 ? terms.get(0) : tf.math.addN(terms);
      Operand<TFloat32> z = tf.math.add(tf.math.mul(pre, row(tf, w, abs)), row(tf, b, abs));
      Operand<TFloat32> a = act.apply(z);
      float[][] toOut = block(abs, outRows);
      if (!allZero(toOut)) {
        outTerms.add(tf.linalg.matMul(readAct ? a : readout.apply(z), tf.constant(toOut)));
      }
      earlier = java.util.stream.IntStream.concat(Arrays.stream(earlier), Arrays.stream(abs)).toArray();
      earlierActs = earlierActs == null ? a : tf.concat(List.of(earlierActs, a), tf.constant(1));
    }
    if (outTerms.isEmpty()) {
      return tf.math.mul(tf.gather(x, tf.constant(new int[] {0}), tf.constant(1)), tf.constant(new float[1][nOut]));
    }
    return outTerms.size() == 1 ? outTerms.get(0) : tf.math.addN(outTerms);
  }

  /**
   * The input stage over {@code inputs} (the used ones, gathered, or all of them): act(z_in)
   * times the stacked blocks of {@code dstRows}, as MatMul or, {@code sparseKernel}, as
   * SparseMatMul with the block marked sparse; and readout(z_in) times the outputs' block when
   * {@code separateOut} (the outputs read something other than act(z): the original's linear z).
   */
  private InputStage inputStage(Ops tf, Operand<TFloat32> x, int[] inputs, int[] dstRows, int[] outRows,
      boolean separateOut, UnaryOperator<Operand<TFloat32>> act, UnaryOperator<Operand<TFloat32>> readout,
      boolean sparseKernel) {
    Operand<TFloat32> xs = inputs.length == nIn ? x : tf.gather(x, tf.constant(inputs), tf.constant(1));
    Operand<TFloat32> zIn = tf.math.add(tf.math.mul(xs, row(tf, w, inputs)), row(tf, b, inputs));
    Operand<TFloat32> product = null;
    if (dstRows.length > 0) {
      Operand<TFloat32> aIn = act.apply(zIn);
      Operand<TFloat32> blk = tf.constant(block(inputs, dstRows));
      product = sparseKernel ? tf.sparse.sparseMatMul(aIn, blk, SparseMatMul.bIsSparse(true)) : tf.linalg.matMul(aIn, blk);
    }
    Operand<TFloat32> out = separateOut ? tf.linalg.matMul(readout.apply(zIn), tf.constant(block(inputs, outRows))) : null;
    return new InputStage(product, out);
  }

  /** Writes the pruned SavedModel (serving_default: input field -> logits/probabilities or outputs). */
  public void export(Path dir, String inputName) {
    Path staging = dir.resolveSibling("." + dir.getFileName() + ".staging");
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g).withSubScope("pruned");
      Placeholder<TFloat32> x = tf.withName(inputName).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, nIn)));
      UnaryOperator<Operand<TFloat32>> act = ManifoldModel.activation(tf, m);
      Operand<TFloat32> out = build(tf, x, act, ManifoldModel.readout(act, m));
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
        "pruned: %d computational neurons kept in %d levels, %d of %d inputs used, %d connections",
        keptNeurons(), depth(), usedInputs(), nIn, keptConnections()));
  }
}
