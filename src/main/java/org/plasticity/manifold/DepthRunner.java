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

/**
 * Runs a manifold training step with the shallowest pre-built iteration depth that covers the
 * current longest path of active computational connections. Every step also returns the
 * computational block of the closeness matrix as it is after the update, from which the next
 * step's depth is read; the first step (or the first after a resume) probes it once. The
 * choice depends only on the parameters, so runs stay deterministic and resumable.
 */
final class DepthRunner implements StepRunner {
  /** One pre-built depth: its train op, its metrics, and the post-update computational block. */
  record Bucket(int depth, Op apply, Map<String, Operand<TFloat32>> metrics, Operand<TFloat32> nextBlock) {}

  private final int nComp;
  private final List<Bucket> buckets;
  private final Operand<TFloat32> probe;
  private int longest = -1;

  DepthRunner(int nComp, List<Bucket> buckets, Operand<TFloat32> probe) {
    this.nComp = nComp;
    this.buckets = buckets;
    this.probe = probe;
  }

  /** 0, 1, 2, 4, 8, ... and n_comp - 1 (the deepest possible path). */
  static List<Integer> depths(int nComp) {
    List<Integer> d = new ArrayList<>();
    int max = Math.max(0, nComp - 1);
    d.add(0);
    for (int v = 1; v < max; v *= 2) {
      d.add(v);
    }
    if (max > 0) {
      d.add(max);
    }
    return d;
  }

  @Override
  public Map<String, Float> run(Session session, TrainingGraph g, Batch batch, long step, boolean fetchMetrics) {
    if (longest < 0) {
      longest = IteratedForward.longestCompPath(Tensors.fetch(session, probe), nComp);
    }
    Bucket bucket = buckets.get(buckets.size() - 1);
    for (Bucket b : buckets) {
      if (b.depth() >= longest) {
        bucket = b;
        break;
      }
    }
    List<Tensor> opened = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      Tensors.feed(r, g, batch, step, opened);
      r.addTarget(bucket.apply()).fetch(bucket.nextBlock());
      List<String> names = fetchMetrics ? new ArrayList<>(bucket.metrics().keySet()) : List.of();
      for (String n : names) {
        r.fetch(bucket.metrics().get(n));
      }
      Map<String, Float> out = new LinkedHashMap<>();
      try (Result res = r.run()) {
        longest = IteratedForward.longestCompPath(Tensors.toArray((TFloat32) res.get(0)), nComp);
        for (int i = 0; i < names.size(); i++) {
          out.put(names.get(i), ((TFloat32) res.get(i + 1)).getFloat());
        }
      }
      return out;
    } finally {
      opened.forEach(Tensor::close);
    }
  }
}
