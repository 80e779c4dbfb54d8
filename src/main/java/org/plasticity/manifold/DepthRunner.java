package org.plasticity.manifold;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plasticity.core.StepRunner;
import org.plasticity.core.Tensors;
import org.plasticity.core.TrainingGraph;
import org.plasticity.data.Batch;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Runs a manifold training step with the shallowest pre-built iteration depth that covers the
 * current longest path of active computational connections.
 *
 * <p>Every step also computes, after its update, the {@link ActiveCloseness.Carry} of the new
 * parameters: the next step is fed it and reads its depth from it. The first step (or the first
 * after a resume) probes the carry once from the parameters. Everything depends only on the
 * parameters, so runs stay deterministic and resumable.
 */
final class DepthRunner implements StepRunner {
  /** One pre-built depth: its train op, its metrics, and the carry computed after its update. */
  record Bucket(int depth, Op apply, Map<String, Operand<TFloat32>> metrics, ActiveCloseness.Carry next) {}

  /**
   * Placeholders of the level order (evaluation LEVELS, see {@link LeveledForward}): position ->
   * neuron, neuron -> position, and the number of neurons on each of the bucket's depth + 1 levels.
   */
  record LevelFeeds(Operand<TInt32> order, Operand<TInt64> position, Operand<TInt32> sizes) {}

  /**
   * Placeholders of the flags of {@link PathCost} (time_paths_only), [n_comp, 1] each: whether an
   * input reaches each computational neuron, and whether it reaches an output.
   */
  record PathFeeds(Operand<TFloat32> reached, Operand<TFloat32> reachesOutput) {}

  private final int nComp;
  private final List<Bucket> buckets;
  private final List<? extends Operand<?>> feeds;
  private final ActiveCloseness.Carry probe;
  private final LevelFeeds levelFeeds;
  private final PathFeeds pathFeeds;
  private List<Tensor> carried;
  /** The flags of {@link PathCost} for the carried wiring, with PathFeeds. */
  private float[][] pathFlags;
  private int longest = -1;
  /** Each computational neuron's level (longest incoming active path); the depth is their maximum. */
  private int[] level;

  /**
   * @param feeds placeholders of the carry the train steps read
   * @param probe the carry computed from the current parameters
   * @param levelFeeds the level order's placeholders with LEVELS, else null
   * @param pathFeeds the path flags' placeholders with time_paths_only, else null (the carries
   *     then have their pathEnds)
   */
  DepthRunner(int nComp, List<Bucket> buckets, List<? extends Operand<?>> feeds, ActiveCloseness.Carry probe,
      LevelFeeds levelFeeds, PathFeeds pathFeeds) {
    this.nComp = nComp;
    this.buckets = buckets;
    this.feeds = feeds;
    this.probe = probe;
    this.levelFeeds = levelFeeds;
    this.pathFeeds = pathFeeds;
  }

  /** 0, 1, ..., 8, then 12, 16, 24, 32, ... (x1.5 / x1.33 alternately) and n_comp - 1. */
  static List<Integer> depths(int nComp) {
    List<Integer> d = new ArrayList<>();
    int max = Math.max(0, nComp - 1);
    for (int v = 0; v <= Math.min(8, max); v++) {
      d.add(v);
    }
    for (int v = 12; v < max; v = v % 3 == 0 ? v * 4 / 3 : v * 3 / 2) {
      d.add(v);
    }
    if (max > 8) {
      d.add(max);
    }
    return d;
  }

  /**
   * Fetches a carry's tensors on {@code r}: fed part first, then the active computational entries,
   * then (with path feeds) the path ends.
   */
  private void fetch(Session.Runner r, ActiveCloseness.Carry c) {
    c.fed().forEach(r::fetch);
    r.fetch(c.compActive());
    if (pathFeeds != null) {
      r.fetch(c.pathEnds());
    }
  }

  /** Tensors a carry's fetch adds after the fed part. */
  private int carryExtras() {
    return pathFeeds == null ? 1 : 2;
  }

  /** Keeps the first {@code feeds.size()} tensors of {@code res} as the next feed; reads the depth. */
  private void take(Result res) {
    if (carried != null) {
      carried.forEach(Tensor::close);
    }
    carried = new ArrayList<>();
    for (int i = 0; i < feeds.size(); i++) {
      carried.add(res.get(i));
    }
    long[] idx;
    try (TInt64 active = (TInt64) res.get(feeds.size())) {
      idx = new long[(int) active.shape().size()];
      active.asRawTensor().data().asLongs().read(idx);
    }
    level = LeveledForward.levels(idx, nComp);
    longest = 0;
    for (int l : level) {
      longest = Math.max(longest, l);
    }
    if (pathFeeds != null) {
      try (org.tensorflow.types.TBool ends = (org.tensorflow.types.TBool) res.get(feeds.size() + 1)) {
        boolean[] fromInput = new boolean[nComp];
        boolean[] toOutput = new boolean[nComp];
        for (int i = 0; i < nComp; i++) {
          fromInput[i] = ends.getBoolean(0, i);
          toOutput[i] = ends.getBoolean(1, i);
        }
        pathFlags = PathCost.flags(idx, fromInput, toOutput, nComp);
      }
    }
  }

  /** The shallowest pre-built depth covering the current longest path (probed when unknown). */
  private Bucket bucket(Session session) {
    if (carried == null) {
      Session.Runner r = session.runner();
      fetch(r, probe);
      take(r.run());
    }
    for (Bucket b : buckets) {
      if (b.depth() >= longest) {
        return b;
      }
    }
    return buckets.get(buckets.size() - 1);
  }

  /** Feeds the carry and, with LEVELS, the level order for {@code bucket}; tensors made here go to {@code opened}. */
  private void feedCarry(Session.Runner r, Bucket bucket, List<Tensor> opened) {
    for (int i = 0; i < feeds.size(); i++) {
      r.feed(feeds.get(i), carried.get(i));
    }
    if (levelFeeds != null) {
      int levels = bucket.depth() + 1;
      int[] order = LeveledForward.order(level, levels);
      long[] position = new long[nComp];
      for (int i = 0; i < nComp; i++) {
        position[order[i]] = i;
      }
      TInt32 o = TInt32.vectorOf(order);
      opened.add(o);
      TInt64 p = TInt64.vectorOf(position);
      opened.add(p);
      TInt32 z = TInt32.vectorOf(LeveledForward.sizes(level, levels));
      opened.add(z);
      r.feed(levelFeeds.order(), o).feed(levelFeeds.position(), p).feed(levelFeeds.sizes(), z);
    }
    if (pathFeeds != null) {
      TFloat32 reached = Tensors.matrix(pathFlags[0], nComp, 1);
      opened.add(reached);
      TFloat32 reachesOutput = Tensors.matrix(pathFlags[1], nComp, 1);
      opened.add(reachesOutput);
      r.feed(pathFeeds.reached(), reached).feed(pathFeeds.reachesOutput(), reachesOutput);
    }
  }

  @Override
  public Session.Runner prepare(Session session, TrainingGraph g, Batch batch, long step, List<Tensor> opened) {
    Bucket bucket = bucket(session);
    Session.Runner r = session.runner();
    Tensors.feed(r, g, batch, step, opened);
    feedCarry(r, bucket, opened);
    fetch(r, bucket.next());
    return r.addTarget(bucket.apply());
  }

  @Override
  public Map<String, Float> run(Session session, TrainingGraph g, Batch batch, long step, boolean fetchMetrics) {
    Bucket bucket = bucket(session);
    List<Tensor> opened = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      Tensors.feed(r, g, batch, step, opened);
      feedCarry(r, bucket, opened);
      r.addTarget(bucket.apply());
      fetch(r, bucket.next());
      List<String> names = fetchMetrics ? new ArrayList<>(bucket.metrics().keySet()) : List.of();
      for (String n : names) {
        r.fetch(bucket.metrics().get(n));
      }
      Map<String, Float> out = new LinkedHashMap<>();
      Result res = r.run();
      int k = feeds.size() + carryExtras();
      for (int i = 0; i < names.size(); i++) {
        try (Tensor t = res.get(k + i)) {
          out.put(names.get(i), ((TFloat32) t).getFloat());
        }
      }
      take(res);
      return out;
    } finally {
      opened.forEach(Tensor::close);
    }
  }
}
