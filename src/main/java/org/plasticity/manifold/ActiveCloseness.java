package org.plasticity.manifold;

import java.util.ArrayList;
import java.util.List;
import org.plasticity.config.ManifoldConfig;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The closeness matrix of the fast path, differentiated only where it can be nonzero.
 *
 * <p>An entry below the cutoff is exactly zero after {@link Closeness#applyCutoff}, so it
 * contributes neither to the outputs nor to any gradient (the ReLU of the cutoff is flat there).
 * A step therefore needs the full closeness only forward, to find the E entries above the
 * cutoff; only those are evaluated again with gradients (per-neuron factors gathered by row,
 * positions gathered by entry: vectors of length E) and scattered into the blocks the network
 * reads. The value is the same function; the backward pass touches E entries instead of
 * n_dst * n_src (E is about 3 % of them in a trained MNIST model).
 *
 * <p>The search is part of the previous step: right after its update, in the same Session.run,
 * the full closeness of the new parameters is evaluated forward and the indices of its entries
 * above the cutoff are handed by {@link DepthRunner} to the next step as a feed (a {@link
 * Carry}); each parameter state's full closeness is evaluated once. The matrix is kept as four
 * blocks -- input to computational, computational to computational, input to output,
 * computational to output -- so no full-size concatenation or split appears in a step or its
 * gradient. The blocks' entries are evaluated together, one vector per closeness function, and
 * split back by block ({@link #build}).
 *
 * <p>With a soft sparsity temperature T the surrogate sigmoid((|d| - c) / T) has a gradient
 * everywhere; its value is taken from the full closeness (carried too) and its gradient from the
 * band |d| > c - {@link #BAND} T, outside of which sigmoid' is below e^-BAND / T (about 1e-11 at
 * T = 0.01; a band of 16 T still left errors of 5e-5 relative in a test): the regulariser's
 * value is exact and its gradient exact to that bound. With a small cutoff the band can cover
 * every entry; the soft configurations then gain little from this path. The band is carried with
 * the positions of its entries above the cutoff: only those reach the adjacency (scatter and
 * per-connection weights), since the band's other entries are exactly zero there, and the band's
 * sum is taken as vectors. In the best MNIST configuration's trained state the band's scatters
 * had been the costliest ops of a step (docs/RESULTS.md, session 9). The gradients are the same
 * numbers, so runs are unchanged bit for bit.
 */
final class ActiveCloseness {
  /** Width of the soft-sparsity gradient band, in temperatures. */
  static final float BAND = 30f;
  private static final int COMP_COMP = 1;

  /** One block: destination rows [row0, row0 + rows) and source columns [col0, col0 + cols). */
  record Block(String name, int row0, int rows, int col0, int cols, boolean strictlyLower) {
    Shape shape() {
      return Shape.of(rows, cols);
    }
  }

  /**
   * What a step hands to the next: per block the [E, 2] indices of the entries to differentiate
   * and, with soft sparsity, the positions among them of the entries above the cutoff [E_active]
   * and the full raw closeness; plus the [E, 2] indices of the active
   * computational-to-computational connections, from which the next depth is read; with
   * time_paths_only (which needs soft sparsity) also {@code pathEnds} [2, n_comp], else null:
   * which computational neurons have an active
   * connection from an input (row 0) and to an output (row 1), from which with
   * time_paths_only the step runner reads what the pruned export computes ({@link PathCost}).
   */
  record Carry(List<Operand<?>> fed, Operand<TInt64> compActive, Operand<TBool> pathEnds) {}

  /** The adjacency blocks the forward pass reads, and the regularisers built from them. */
  record Result(List<Operand<TFloat32>> adjacency, Operand<TFloat32> flow, Operand<TFloat32> activeCount,
      Operand<TFloat32> softCount, Operand<TFloat32> liveSoft, PathCost.Counts computed) {}

  private final ManifoldConfig m;
  private final List<Block> blocks;
  private final float[][][] positions;
  private final boolean soft;
  /** Pixel rows and columns [2][n_in] with input_plane, else null. */
  private final float[][] pixels;

  ActiveCloseness(ManifoldConfig m) {
    this.m = m;
    this.soft = m.getSparsityTemperature() > 0;
    this.pixels = m.getInputPlane() ? Closeness.pixelCoordinates(m) : null;
    int nIn = m.getNInput();
    int nComp = m.getNComp();
    int nOut = m.getNOutput();
    blocks = List.of(new Block("in_comp", 0, nComp, 0, nIn, false),
        new Block("comp_comp", 0, nComp, nIn, nComp, true),
        new Block("in_out", nComp, nOut, 0, nIn, false),
        new Block("comp_out", nComp, nOut, nIn, nComp, false));
    float[][] all = Closeness.positions(m);
    positions = new float[blocks.size()][][];
    for (int k = 0; k < blocks.size(); k++) {
      Block b = blocks.get(k);
      positions[k] = new float[b.rows()][b.cols()];
      for (int r = 0; r < b.rows(); r++) {
        System.arraycopy(all[b.row0() + r], b.col0(), positions[k][r], 0, b.cols());
      }
    }
  }

  /** Placeholders for a {@link Carry}'s fed part (indices of each block, then raw blocks if soft). */
  List<Placeholder<?>> placeholders(Ops tf) {
    List<Placeholder<?>> p = new ArrayList<>();
    for (Block b : blocks) {
      p.add(tf.withName("entries_" + b.name()).placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, 2))));
    }
    if (soft) {
      for (Block b : blocks) {
        p.add(tf.withName("active_" + b.name()).placeholder(TInt64.class, Placeholder.shape(Shape.of(-1))));
      }
      for (Block b : blocks) {
        p.add(tf.withName("raw_" + b.name()).placeholder(TFloat32.class, Placeholder.shape(b.shape())));
      }
    }
    return p;
  }

  /** The carry for parameters {@code q} and cutoff {@code cutoff} as read through {@code tf}: forward only. */
  Carry carry(Ops tf, ManifoldConfig m, Closeness.Params q, Operand<TFloat32> cutoff) {
    return soft ? denseCarry(tf, m, q, cutoff) : windowedCarry(tf, m, q, cutoff);
  }

  /** Soft sparsity needs every raw entry: evaluated in full. */
  private Carry denseCarry(Ops tf, ManifoldConfig m, Closeness.Params q, Operand<TFloat32> cutoff) {
    List<Closeness.Factors> halves = halves(tf, Closeness.factors(tf, m, q).all(), Closeness.Factors::of);
    List<Closeness.PlaneFactors> planeHalves = pixels == null ? null
        : halves(tf, Closeness.planeFactors(tf, q.plane()).all(), Closeness.PlaneFactors::of);
    Operand<TFloat32> threshold = threshold(tf, cutoff);
    List<Operand<?>> fed = new ArrayList<>();
    List<Operand<?>> actives = new ArrayList<>();
    List<Operand<?>> raws = new ArrayList<>();
    Operand<TInt64> compActive = null;
    for (int k = 0; k < blocks.size(); k++) {
      Block b = blocks.get(k);
      int h = b.row0() == 0 ? 0 : 1;
      Operand<TFloat32> d = tf.stopGradient(planar(b)
          ? Closeness.planeRaw(tf, planeHalves.get(h), tf.constant(new float[][] {pixels[0]}),
              tf.constant(new float[][] {pixels[1]}))
          : Closeness.raw(tf, halves.get(h), tf.constant(positions[k])));
      Operand<TFloat32> abs = tf.math.abs(d);
      Operand<TInt64> band = tf.where(keep(tf, b, abs, threshold)).index();
      // the band's entries above the cutoff, by their position in the band (row-major both)
      Operand<TInt64> active = trueAt(tf, tf.math.greater(tf.gatherNd(abs, band), cutoff));
      fed.add(band);
      actives.add(active);
      raws.add(d);
      if (k == COMP_COMP) {
        compActive = tf.gather(band, active, tf.constant(0));
      }
    }
    fed.addAll(actives);
    fed.addAll(raws);
    if (!m.getTimePathsOnly()) {
      return new Carry(fed, compActive, null);
    }
    Operand<TBool> fromInput = tf.reduceAny(tf.math.greater(tf.math.abs((Operand<TFloat32>) raws.get(0)), cutoff),
        tf.constant(1));
    Operand<TBool> toOutput = tf.reduceAny(tf.math.greater(tf.math.abs((Operand<TFloat32>) raws.get(3)), cutoff),
        tf.constant(0));
    return new Carry(fed, compActive, tf.stack(List.of(fromInput, toOutput)));
  }

  /**
   * Without soft sparsity only the active entries are wanted, and the Gaussian factor bounds
   * where they can be: |d| <= |alpha| M exp(-(p - mu)^2 / (2 sigma^2)) with M the largest
   * |s - gamma| over the range [0.001^beta, 1.001^beta] of the sine power s, so an entry can be
   * above the cutoff only inside the window (p - mu)^2 < 2 sigma^2 ln(|alpha| M / c). The window
   * test costs three cheap full-size passes; the closeness itself is evaluated on the window's
   * entries only, and the active ones are taken from those.
   */
  private Carry windowedCarry(Ops tf, ManifoldConfig m, Closeness.Params q, Operand<TFloat32> cutoff) {
    Closeness.Factors f = Closeness.factors(tf, m, q);
    Operand<TFloat32> sLo = tf.math.exp(tf.math.mul(f.beta(), tf.constant((float) Math.log(0.001))));
    Operand<TFloat32> sHi = tf.math.exp(tf.math.mul(f.beta(), tf.constant((float) Math.log(1.001))));
    Operand<TFloat32> bound = tf.math.maximum(tf.math.abs(tf.math.sub(sLo, f.gamma())), tf.math.abs(tf.math.sub(sHi, f.gamma())));
    // A margin of 1e-3 relative on the bound keeps float rounding on the safe side.
    Operand<TFloat32> reach = tf.math.mul(tf.math.mul(tf.math.abs(f.alpha()), bound), tf.constant(1.001f));
    Operand<TFloat32> radius2 = tf.math.div(tf.math.log(tf.math.div(cutoff, reach)), f.negHalfPrecision()); // [n_dst, 1]
    List<Operand<TFloat32>> radiusHalves = ChainForward.splitV(tf, radius2, new int[] {m.getNComp(), m.getNOutput()}, 0);
    List<Closeness.Factors> halves = halves(tf, f.all(), Closeness.Factors::of);
    Operand<TFloat32> stacked = tf.concat(f.all(), tf.constant(1));
    List<Operand<TFloat32>> rowHalves = ChainForward.splitV(tf, stacked, new int[] {m.getNComp(), m.getNOutput()}, 0);
    List<Operand<TFloat32>> planeRows = null;
    List<Closeness.PlaneFactors> planeHalves = null;
    List<Operand<TFloat32>> planeRadius = null;
    if (pixels != null) {
      // The receptive field is above the cutoff only within (y - my)^2 + (x - mx)^2 < 2 s^2 ln(|a| / c).
      Closeness.PlaneFactors pf = Closeness.planeFactors(tf, q.plane());
      planeHalves = halves(tf, pf.all(), Closeness.PlaneFactors::of);
      planeRows = ChainForward.splitV(tf, tf.concat(pf.all(), tf.constant(1)), new int[] {m.getNComp(), m.getNOutput()}, 0);
      Operand<TFloat32> planeReach = tf.math.mul(tf.math.abs(pf.alpha()), tf.constant(1.001f));
      planeRadius = ChainForward.splitV(tf, tf.math.div(tf.math.log(tf.math.div(cutoff, planeReach)),
          pf.negHalfPrecision()), new int[] {m.getNComp(), m.getNOutput()}, 0);
    }
    List<Operand<?>> fed = new ArrayList<>();
    for (int k = 0; k < blocks.size(); k++) {
      Block b = blocks.get(k);
      int h = b.row0() == 0 ? 0 : 1;
      Operand<TInt64> window;
      Operand<TFloat32> d;
      if (planar(b)) {
        Closeness.PlaneFactors pf = planeHalves.get(h);
        Operand<TFloat32> dist2 = tf.math.add(
            tf.math.square(tf.math.sub(tf.constant(new float[][] {pixels[0]}), pf.muRow())),
            tf.math.square(tf.math.sub(tf.constant(new float[][] {pixels[1]}), pf.muCol())));
        window = tf.where(keep(tf, b, planeRadius.get(h), dist2)).index();
        d = gatheredPlane(tf, planeRows.get(h), window);
      } else {
        Operand<TFloat32> pos = tf.constant(positions[k]);
        Operand<TFloat32> dev = tf.math.sub(pos, halves.get(h).mu());
        // r^2 > dev^2, the radius broadcast over the row (no full-size negation)
        window = tf.where(keep(tf, b, radiusHalves.get(h), tf.math.square(dev))).index();
        d = gathered(tf, rowHalves.get(h), window, pos);
      }
      Operand<TInt64> above = trueAt(tf, tf.math.greater(tf.math.abs(d), cutoff));
      fed.add(tf.gather(window, above, tf.constant(0)));
    }
    return new Carry(fed, tf.identity((Operand<TInt64>) fed.get(COMP_COMP)), null);
  }

  /** The positions of a boolean vector's true entries, in order, as a vector. */
  private static Operand<TInt64> trueAt(Ops tf, Operand<TBool> v) {
    return tf.reshape(tf.where(v).index(), tf.constant(new int[] {-1}));
  }

  /** With input_plane, the blocks over the input pixels hold the 2-D receptive fields. */
  private boolean planar(Block b) {
    return pixels != null && b.col0() == 0;
  }

  /** The receptive fields at entries {@code idx} [E, 2] of an input block, from its rows' stacked factors [rows, 4]. */
  private Operand<TFloat32> gatheredPlane(Ops tf, Operand<TFloat32> stackedRows, Operand<TInt64> idx) {
    Operand<TInt64> rows = tf.gather(idx, tf.constant(0), tf.constant(1));
    Operand<TInt64> cols = tf.gather(idx, tf.constant(1), tf.constant(1));
    Operand<TFloat32> picked = tf.gather(stackedRows, rows, tf.constant(0)); // [E, 4]
    List<Operand<TFloat32>> f = new ArrayList<>();
    tf.unstack(picked, 4L, org.tensorflow.op.core.Unstack.axis(1L)).output().forEach(f::add);
    return Closeness.planeRaw(tf, Closeness.PlaneFactors.of(f), tf.gather(tf.constant(pixels[0]), cols, tf.constant(0)),
        tf.gather(tf.constant(pixels[1]), cols, tf.constant(0)));
  }

  /** The raw closeness at entries {@code idx} [E, 2] of a block, from its rows' stacked factors [rows, 7]. */
  private static Operand<TFloat32> gathered(Ops tf, Operand<TFloat32> stackedRows, Operand<TInt64> idx,
      Operand<TFloat32> positions) {
    Operand<TInt64> rows = tf.gather(idx, tf.constant(0), tf.constant(1));
    Operand<TFloat32> picked = tf.gather(stackedRows, rows, tf.constant(0)); // [E, 7]
    List<Operand<TFloat32>> cols = new ArrayList<>();
    tf.unstack(picked, 7L, org.tensorflow.op.core.Unstack.axis(1L)).output().forEach(cols::add);
    return Closeness.raw(tf, Closeness.Factors.of(cols), tf.gatherNd(positions, idx));
  }

  /**
   * The step's adjacency blocks with gradients through the carried entries only.
   *
   * @param fed the carried tensors for the current parameters (see {@link #placeholders})
   * @param connectionWeights the [n_dst, n_src] per-connection weights, or null
   * @param compPosition null, or [n_comp] each computational neuron's position in level order
   *     ({@link LeveledForward}): the computational-to-computational block is then built with its
   *     rows and columns in that order
   * @param pathFlags null, or (with soft sparsity) the fed flags {reached, reachesOutput} [n_comp,
   *     1] of {@link PathCost}: the result then has the soft counts of what the export computes
   */
  @SuppressWarnings("unchecked")
  Result build(Ops tf, Closeness.Params q, Operand<TFloat32> cutoff, List<? extends Operand<?>> fed,
      Variable<TFloat32> connectionWeights, Operand<TInt64> compPosition, List<Operand<TFloat32>> pathFlags) {
    // Factors of every non-input neuron as one [n_dst, 7] matrix (and [n_dst, 4] for the 2-D
    // fields): one gather per closeness function, whose gradient is one segment sum.
    Operand<TFloat32> stacked = tf.concat(Closeness.factors(tf, m, q).all(), tf.constant(1));
    Operand<TFloat32> planeStacked = pixels == null ? null
        : tf.concat(Closeness.planeFactors(tf, q.plane()).all(), tf.constant(1));
    Operand<TFloat32> allPositions = tf.constant(Closeness.positions(m));
    List<Operand<TFloat32>> weightBlocks = connectionWeights == null ? null : splitBlocks(tf, m, connectionWeights);
    Operand<TFloat32> invT = soft ? tf.constant(1f / m.getSparsityTemperature()) : null;
    Operand<TFloat32> denom = tf.math.sub(tf.constant(1f), cutoff);
    List<Operand<TFloat32>> values = new ArrayList<>(java.util.Collections.nCopies(blocks.size(), null));
    List<Operand<TFloat32>> band = new ArrayList<>(java.util.Collections.nCopies(blocks.size(), null));
    List<Operand<TFloat32>> counts = new ArrayList<>();
    // The entries of all blocks that share a closeness function are evaluated as one vector (in
    // global [row, column] coordinates) and split back by block: every elementwise op and its
    // gradient (about nine nodes per binary op) then appears once per function instead of once
    // per block, and a step runs a few hundred ops fewer.
    for (List<Integer> group : groups()) {
      List<Operand<TInt64>> global = new ArrayList<>();
      List<Operand<TInt64>> sizes = new ArrayList<>();
      for (int k : group) {
        Block b = blocks.get(k);
        Operand<TInt64> idx = (Operand<TInt64>) fed.get(k);
        global.add(tf.math.add(idx, tf.constant(new long[][] {{b.row0(), b.col0()}})));
        sizes.add(tf.gather(tf.shape(idx, TInt64.class), tf.constant(new int[] {0}), tf.constant(0)));
      }
      Operand<TInt64> idx = global.size() == 1 ? global.get(0) : tf.concat(global, tf.constant(0));
      Operand<TFloat32> d = planar(blocks.get(group.get(0))) ? gatheredPlane(tf, planeStacked, idx)
          : gathered(tf, stacked, idx, allPositions);
      Operand<TFloat32> absD = tf.math.abs(d);
      Operand<TFloat32> v = tf.math.div(tf.math.mul(tf.math.sign(d), tf.nn.relu(tf.math.sub(absD, cutoff))), denom);
      counts.add(tf.sum(tf.dtypes.cast(tf.math.notEqual(v, tf.constant(0f)), TFloat32.class), tf.constant(0)));
      List<Operand<TFloat32>> vs = splitByBlock(tf, v, sizes);
      List<Operand<TFloat32>> bs = soft ? splitByBlock(tf, tf.math.sigmoid(tf.math.mul(tf.math.sub(absD, cutoff), invT)), sizes)
          : null;
      for (int i = 0; i < group.size(); i++) {
        values.set(group.get(i), vs.get(i));
        if (soft) {
          band.set(group.get(i), bs.get(i));
        }
      }
    }
    List<Operand<TFloat32>> adjacency = new ArrayList<>();
    List<Operand<TFloat32>> softDense = new ArrayList<>();
    List<Operand<TFloat32>> softBand = new ArrayList<>();
    for (int k = 0; k < blocks.size(); k++) {
      Block b = blocks.get(k);
      Operand<TInt64> idx = (Operand<TInt64>) fed.get(k);
      // With soft sparsity the carried entries are the band's: only those above the cutoff are
      // nonzero in the adjacency, so only they are scattered (and their weights gathered).
      Operand<TInt64> adjIdx = idx;
      Operand<TFloat32> adjValues = values.get(k);
      if (soft) {
        Operand<TInt64> active = (Operand<TInt64>) fed.get(blocks.size() + k);
        adjIdx = tf.gather(idx, active, tf.constant(0));
        adjValues = tf.gather(adjValues, active, tf.constant(0));
      }
      Operand<TFloat32> weighted = weightBlocks == null ? adjValues
          : tf.math.mul(adjValues, tf.gatherNd(weightBlocks.get(k), adjIdx));
      Operand<TInt64> shape = tf.constant(new long[] {b.rows(), b.cols()});
      // both indices of a computational-to-computational entry are computational neurons
      Operand<TInt64> at = compPosition != null && k == COMP_COMP ? tf.gather(compPosition, adjIdx, tf.constant(0)) : adjIdx;
      adjacency.add(tf.scatterNd(at, weighted, shape));
      if (soft) {
        Operand<TFloat32> raw = (Operand<TFloat32>) fed.get(2 * blocks.size() + k);
        Operand<TFloat32> dense = tf.math.sigmoid(tf.math.mul(tf.math.sub(tf.math.abs(raw), cutoff), invT));
        if (b.strictlyLower()) {
          dense = tf.math.mul(dense, tf.constant(strictlyLowerFloat(b.rows(), b.cols())));
        }
        softDense.add(dense);
        softBand.add(tf.scatterNd(idx, band.get(k), shape));
      }
    }
    Operand<TFloat32> inflow = tf.sum(tf.math.abs(values.get(0)), tf.constant(0));
    Operand<TFloat32> outflow = tf.sum(tf.math.abs(values.get(3)), tf.constant(0));
    Operand<TFloat32> flow = tf.math.square(tf.math.sub(inflow, outflow));
    Operand<TFloat32> active = counts.size() == 1 ? counts.get(0) : tf.math.addN(counts);
    Operand<TFloat32> softCount = null;
    Operand<TFloat32> liveSoft = null;
    PathCost.Counts computed = null;
    if (soft) {
      // the band's sum as vectors: the dense band blocks are scattered only for the live count
      List<Operand<TFloat32>> bandSums = new ArrayList<>();
      for (Operand<TFloat32> v : band) {
        bandSums.add(tf.sum(v, tf.constant(0)));
      }
      softCount = exactValue(tf, sumAll(tf, softDense), tf.math.addN(bandSums));
      liveSoft = exactValue(tf, live(tf, softDense), live(tf, softBand));
      if (pathFlags != null) {
        PathCost.Counts full = PathCost.counts(tf, softDense, pathFlags.get(0), pathFlags.get(1));
        PathCost.Counts inBand = PathCost.counts(tf, softBand, pathFlags.get(0), pathFlags.get(1));
        computed = new PathCost.Counts(exactValue(tf, full.connections(), inBand.connections()),
            exactValue(tf, full.neurons(), inBand.neurons()));
      }
    }
    return new Result(adjacency, flow, active, softCount, liveSoft, computed);
  }

  /**
   * The blocks grouped by closeness function: all four, or with input_plane the two input blocks
   * (2-D fields) and the two others (1-D).
   */
  private List<List<Integer>> groups() {
    if (pixels == null) {
      return List.of(List.of(0, 1, 2, 3));
    }
    List<Integer> planarBlocks = new ArrayList<>();
    List<Integer> others = new ArrayList<>();
    for (int k = 0; k < blocks.size(); k++) {
      (planar(blocks.get(k)) ? planarBlocks : others).add(k);
    }
    return List.of(planarBlocks, others);
  }

  /** A group's vector split back into its blocks' parts, of the fed sizes [1] each. */
  private static List<Operand<TFloat32>> splitByBlock(Ops tf, Operand<TFloat32> v, List<Operand<TInt64>> sizes) {
    if (sizes.size() == 1) {
      return List.of(v);
    }
    List<Operand<TFloat32>> parts = new ArrayList<>();
    tf.splitV(v, tf.concat(sizes, tf.constant(0)), tf.constant(0), (long) sizes.size()).output().forEach(parts::add);
    return parts;
  }

  private Operand<TFloat32> threshold(Ops tf, Operand<TFloat32> cutoff) {
    return soft ? tf.math.sub(cutoff, tf.constant(BAND * m.getSparsityTemperature())) : cutoff;
  }

  /** value > threshold (broadcast), and below the diagonal in a strictly lower block. */
  private static Operand<TBool> keep(Ops tf, Block b, Operand<TFloat32> value, Operand<TFloat32> threshold) {
    Operand<TBool> keep = tf.math.greater(value, threshold);
    return b.strictlyLower() ? tf.math.logicalAnd(keep, tf.constant(strictlyLower(b.rows(), b.cols()))) : keep;
  }

  private static Operand<TFloat32> sumAll(Ops tf, List<Operand<TFloat32>> parts) {
    List<Operand<TFloat32>> sums = new ArrayList<>();
    for (Operand<TFloat32> p : parts) {
      sums.add(tf.sum(p, tf.constant(new int[] {0, 1})));
    }
    return tf.math.addN(sums);
  }

  /** Live computational neurons: the largest soft activity in each computational row, summed. */
  private static Operand<TFloat32> live(Ops tf, List<Operand<TFloat32>> soft) {
    Operand<TFloat32> rowMax = tf.math.maximum(tf.max(soft.get(0), tf.constant(1)), tf.max(soft.get(1), tf.constant(1)));
    return tf.sum(rowMax, tf.constant(0));
  }

  /** value(full) with the gradient of {@code band}: full + (band - stopGradient(band)). */
  private static Operand<TFloat32> exactValue(Ops tf, Operand<TFloat32> full, Operand<TFloat32> band) {
    return tf.math.add(tf.stopGradient(full), tf.math.sub(band, tf.stopGradient(band)));
  }

  /** Per-neuron factors split into computational rows [0] and output rows [1]. */
  private <F> List<F> halves(Ops tf, List<Operand<TFloat32>> factors,
      java.util.function.Function<List<Operand<TFloat32>>, F> of) {
    int[] sizes = {m.getNComp(), m.getNOutput()};
    List<List<Operand<TFloat32>>> s = new ArrayList<>();
    for (Operand<TFloat32> v : factors) {
      s.add(ChainForward.splitV(tf, v, sizes, 0));
    }
    List<F> out = new ArrayList<>();
    for (int h = 0; h < 2; h++) {
      List<Operand<TFloat32>> part = new ArrayList<>();
      for (List<Operand<TFloat32>> v : s) {
        part.add(v.get(h));
      }
      out.add(of.apply(part));
    }
    return out;
  }

  /**
   * An [n_dst, n_src] matrix as the four blocks: input to computational, computational to
   * computational, input to output, computational to output.
   */
  static List<Operand<TFloat32>> splitBlocks(Ops tf, ManifoldConfig m, Operand<TFloat32> full) {
    List<Operand<TFloat32>> rows = ChainForward.splitV(tf, full, new int[] {m.getNComp(), m.getNOutput()}, 0);
    int[] cols = {m.getNInput(), m.getNComp()};
    List<Operand<TFloat32>> comp = ChainForward.splitV(tf, rows.get(0), cols, 1);
    List<Operand<TFloat32>> out = ChainForward.splitV(tf, rows.get(1), cols, 1);
    return List.of(comp.get(0), comp.get(1), out.get(0), out.get(1));
  }

  private static boolean[][] strictlyLower(int rows, int cols) {
    boolean[][] k = new boolean[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < Math.min(r, cols); c++) {
        k[r][c] = true;
      }
    }
    return k;
  }

  private static float[][] strictlyLowerFloat(int rows, int cols) {
    boolean[][] k = strictlyLower(rows, cols);
    float[][] f = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        f[r][c] = k[r][c] ? 1f : 0f;
      }
    }
    return f;
  }
}
