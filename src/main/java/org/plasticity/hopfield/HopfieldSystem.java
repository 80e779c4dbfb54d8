package org.plasticity.hopfield;

import java.util.List;
import java.util.Map;
import org.plasticity.config.Experiment;
import org.plasticity.config.HopfieldConfig;
import org.plasticity.core.LearningSystem;
import org.plasticity.core.Optimizers;
import org.plasticity.core.Placement;
import org.plasticity.core.TrainingGraph;
import org.plasticity.core.UserError;
import org.plasticity.data.Seeds;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Hopfield memories as a learning system. Classical: the train step stores the batch of ±1
 * patterns into W by Hebb's or Storkey's rule (assign ops; data RANDOM_PATTERNS, one epoch:
 * steps × batch_size = patterns); evaluation measures the stored patterns (the test set is the
 * same patterns): fixed points and retrieval from flipped bits. Modern: the train step writes the
 * batch of images into the next rows of the memory; evaluation completes half-masked held-out
 * images from memory. Both export a {@code retrieve} signature (probe → retrieved, energy).
 */
public final class HopfieldSystem implements LearningSystem {
  @Override
  public TrainingGraph build(Experiment experiment, Map<String, Integer> widths, Placement placement) {
    HopfieldConfig h = experiment.getHopfield();
    return h.getKind() == HopfieldConfig.Kind.CLASSICAL ? classical(experiment, h, widths, placement)
        : modern(experiment, h, widths, placement);
  }

  private TrainingGraph classical(Experiment e, HopfieldConfig h, Map<String, Integer> widths, Placement placement) {
    int n = h.getUnits();
    Integer width = widths.get("patterns");
    if (width == null) {
      throw new UserError("hopfield: a classical network needs data.source RANDOM_PATTERNS (field 'patterns'), got " + widths.keySet());
    }
    if (width != n) {
      throw new UserError("hopfield.units: expected " + width + " (the data's width), got " + n);
    }
    TrainingGraph g = new TrainingGraph(placement);
    Placeholder<TFloat32> x = g.input("patterns", n);
    Ops tf = g.tf().withSubScope("hopfield");
    Variable<TFloat32> weights = tf.withName("weights").variable(Optimizers.zeros(tf, Shape.of(n, n)));
    Operand<TFloat32> w = tf.withName("weights_value").identity(weights); // a value, not a ref, for the while loops
    Operand<TFloat32> stored = h.getRule() == HopfieldConfig.Rule.HEBB
        ? tf.math.add(w, Classical.hebbIncrement(tf, x, n))
        : Classical.storkeyStore(tf, w, x, n);
    Operand<TFloat32> updated = tf.withName("store").assign(weights, stored);
    g.addTrainTarget(updated);
    g.metric("stored_energy_per_unit", tf.math.div(tf.math.mean(Classical.energy(tf, updated, x), tf.constant(0)),
        tf.constant((float) n)));

    long s = e.getSeed();
    Operand<TInt64> flipSeed = tf.constant(new long[] {Seeds.mix(s, 0xf11bL), Seeds.mix(s, 0xf11cL)});
    Operand<TInt64> orderSeed = tf.constant(new long[] {Seeds.mix(s, 0x0dd3L), Seeds.mix(s, 0x0dd4L)});
    Operand<TInt32> perms = Classical.permutations(tf, orderSeed, h.getMaxSweeps(), n);
    Operand<TFloat32> probe = Classical.flip(tf, x, h.getFlipFraction(), flipSeed);
    Classical.Retrieval r = retrieval(tf, h, w, probe, perms, n);
    Operand<TFloat32> overlap = tf.math.div(tf.sum(tf.math.mul(r.states(), x), tf.constant(1)), tf.constant((float) n));
    g.evalMetric("fixed_point_fraction", tf.math.mean(Classical.isFixedPoint(tf, w, x), tf.constant(0)));
    g.evalMetric("perfect_retrieval", tf.math.mean(
        tf.dtypes.cast(tf.math.greaterEqual(overlap, tf.constant(1f - 0.5f / n)), TFloat32.class), tf.constant(0)));
    g.evalMetric("mean_overlap", tf.math.mean(overlap, tf.constant(0)));
    g.evalMetric("retrieval_steps", tf.dtypes.cast(r.sweeps(), TFloat32.class));
    g.snapshot("weights", weights);

    Placeholder<TFloat32> query = tf.withName("probe").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, n)));
    Classical.Retrieval served = retrieval(tf, h, w, query, perms, n);
    g.exportSignature(Signature.builder().key("retrieve").input("probe", query)
        .output("retrieved", served.states()).output("energy", Classical.energy(tf, w, served.states())).build());
    return g;
  }

  private static Classical.Retrieval retrieval(Ops tf, HopfieldConfig h, Operand<TFloat32> w, Operand<TFloat32> s0,
      Operand<TInt32> perms, int n) {
    return h.getDynamics() == HopfieldConfig.Dynamics.ASYNCHRONOUS ? Classical.asynchronous(tf, w, s0, perms, n)
        : Classical.synchronous(tf, w, s0, h.getMaxSweeps());
  }

  private TrainingGraph modern(Experiment e, HopfieldConfig h, Map<String, Integer> widths, Placement placement) {
    String field = widths.containsKey("images") ? "images" : "patterns";
    Integer d = widths.get(field);
    if (d == null) {
      throw new UserError("hopfield: a modern network needs an 'images' or 'patterns' field, got " + widths.keySet());
    }
    int m = h.getPatterns();
    TrainingGraph g = new TrainingGraph(placement);
    Placeholder<TFloat32> x = g.input(field, d);
    Ops tf = g.tf().withSubScope("hopfield");
    Variable<TFloat32> memory = tf.withName("memory").variable(Optimizers.zeros(tf, Shape.of(m, d)));
    // Write the batch into rows step*B .. step*B+B-1 (mod M): storage is the whole "learning".
    Operand<TInt64> b = tf.dtypes.cast(tf.gather(tf.shape(x), tf.constant(0), tf.constant(0)), TInt64.class);
    Operand<TInt64> rows = tf.math.floorMod(tf.math.add(tf.range(tf.constant(0L), b, tf.constant(1L)),
        tf.math.mul(g.step(), b)), tf.constant((long) m));
    g.addTrainTarget(tf.withName("store").scatterUpdate(memory, rows, x));
    g.metric("stored", tf.dtypes.cast(tf.math.minimum(tf.math.mul(tf.math.add(g.step(), tf.constant(1L)), b),
        tf.constant((long) m)), TFloat32.class));

    Modern.Keys keys = Modern.keys(tf, memory, h.getCentreAndNormalise());
    Operand<TFloat32> mask = tf.constant(Shape.of(1, d), org.tensorflow.ndarray.buffer.DataBuffers.of(knownMask(d, h.getMaskFraction())));
    Operand<TFloat32> q = Modern.query(tf, keys, x, mask, h.getCentreAndNormalise());
    Modern.Retrieval r = Modern.retrieve(tf, memory, keys, q, h.getBeta(), Math.max(1, h.getUpdates()));
    Operand<TFloat32> hidden = tf.math.sub(tf.constant(1f), mask);
    Operand<TFloat32> err = tf.math.div(tf.sum(tf.math.mul(tf.math.square(tf.math.sub(r.pixels(), x)), hidden), tf.constant(1)),
        tf.sum(hidden, tf.constant(1)));
    g.evalMetric("masked_mse", tf.math.mean(err, tf.constant(0)));
    g.evalMetric("max_attention", tf.math.mean(tf.max(r.attention(), tf.constant(1)), tf.constant(0)));
    g.evalMetric("energy", tf.math.mean(r.energy(), tf.constant(0)));

    Placeholder<TFloat32> probe = tf.withName("probe").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, d)));
    Placeholder<TFloat32> known = tf.withName("known").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, d)));
    Modern.Retrieval served = Modern.retrieve(tf, memory, keys, Modern.query(tf, keys, probe, known, h.getCentreAndNormalise()),
        h.getBeta(), Math.max(1, h.getUpdates()));
    g.exportSignature(Signature.builder().key("retrieve").input("probe", probe).input("known", known)
        .output("retrieved", served.pixels()).output("energy", served.energy()).build());
    return g;
  }

  /** 1 for known pixels (the top rows), 0 for the masked bottom {@code fraction} of the pattern. */
  public static float[] knownMask(int d, float fraction) {
    float[] mask = new float[d];
    int known = Math.round(d * (1 - fraction));
    for (int i = 0; i < known; i++) {
      mask[i] = 1f;
    }
    return mask;
  }

  @Override
  public List<String> describe(org.tensorflow.Session session, TrainingGraph graph) {
    return List.of();
  }
}
