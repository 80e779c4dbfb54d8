package org.plasticity.dni;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plasticity.config.DniConfig;
import org.plasticity.config.Experiment;
import org.plasticity.config.OptimizerConfig;
import org.plasticity.core.Initializers;
import org.plasticity.core.LearningSystem;
import org.plasticity.core.Optimizers;
import org.plasticity.core.Placement;
import org.plasticity.core.TrainingGraph;
import org.plasticity.core.UserError;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Decoupled Neural Interfaces (Jaderberg et al. 2016): a fully-connected network in which every
 * hidden layer updates from a synthetic gradient that a generator predicts from the layer's output
 * (cDNI: and from the target), instead of waiting for the backpropagated one.
 *
 * <p>One graph holds all three modes. The input of layer i &gt; 0 is a placeholder defaulting to
 * layer i-1's output, so the same ops run either chained in one Session.run (sync) or fed from a
 * queue on the layer's own thread (async, {@link AsyncRunner}). Layer i's update is the gradient of
 * its output h_i with respect to its parameters with the upstream gradient injected
 * ({@code tf.gradients(h_i, params, dx)}): dx is the stop-gradient'd synthetic gradient (dni,
 * cdni) or the true gradient handed down layer by layer (bprop). The same call yields the gradient
 * with respect to the layer's input, the message sent back: it is the regression target (stop-
 * gradient'd) of the generator below. The output layer's message comes from the true loss.
 *
 * <p>Generators work in per-example units: they predict d(loss of one example)/dh, i.e. the batch
 * size times the gradient of the batch-mean loss, so their targets are O(1) whatever the batch.
 */
public final class DniModel implements LearningSystem {
  /** The two generator sets: unconditioned and conditioned on the target. */
  public static final List<String> SETS = List.of("dni", "cdni");

  /** One generator set's ops, per layer i &lt; depth-1. */
  public record GeneratorSet(
      List<Operand<TFloat32>> predictions,
      List<Operand<TFloat32>> targets,
      List<Operand<TFloat32>> messages,
      List<Op> layerSteps,
      List<Op> generatorSteps,
      List<Operand<TFloat32>> syntheticLosses,
      List<Operand<TFloat32>> cosines,
      List<List<Operand<TFloat32>>> layerGradients,
      List<List<Variable<TFloat32>>> generatorVars) {}

  /** Handles to a built graph for runners, tools and tests. */
  public record Parts(
      DniConfig config,
      Placeholder<TFloat32> x,
      Placeholder<TFloat32> y,
      List<Operand<TFloat32>> layerInputs,
      List<Operand<TFloat32>> layerOutputs,
      List<Operand<TFloat32>> generatorInputs,
      List<List<Variable<TFloat32>>> layerParams,
      Operand<TFloat32> loss,
      Operand<TFloat32> inferenceLogits,
      Op outputStep,
      Operand<TFloat32> outputMessage,
      List<Op> bpropSteps,
      List<List<Operand<TFloat32>>> bpropGradients,
      List<Operand<TFloat32>> trueGradients,
      Map<String, GeneratorSet> sets,
      List<Variable<TFloat32>> samplesSeen,
      List<Variable<TFloat32>> updateNorms,
      Network network) {

    public int depth() {
      return layerInputs.size();
    }

    /** The generator set of the configured mode (null for bprop). */
    public GeneratorSet active() {
      return switch (config.getMode()) {
        case DNI -> sets.get("dni");
        case CDNI -> sets.get("cdni");
        default -> null;
      };
    }
  }

  private Parts parts;

  public Parts parts() {
    return parts;
  }

  @Override
  public TrainingGraph build(Experiment experiment, Map<String, Integer> widths, Placement placement) {
    DniConfig c = experiment.getDni();
    List<String> fields = new ArrayList<>(widths.keySet());
    if (fields.size() != 2) {
      throw new UserError("dni: expected a dataset with an input and a target field, got " + fields);
    }
    if (c.getDepth() < 2) {
      throw new UserError("dni.depth: expected at least 2 layers (one hidden layer and the output), got " + c.getDepth());
    }
    if (c.getSchedule() == DniConfig.Schedule.ASYNC && c.getMode() == DniConfig.Mode.BPROP) {
      throw new UserError("dni.schedule: ASYNC needs mode DNI or CDNI (backpropagation is update-locked)");
    }
    int nIn = widths.get(fields.get(0));
    int nOut = widths.get(fields.get(1));
    int depth = c.getDepth();
    long totalSteps = experiment.getTrain().getSteps();
    OptimizerConfig layerOpt = experiment.getTrain().getOptimizer();
    OptimizerConfig genOpt = c.getGeneratorLearningRate() > 0
        ? layerOpt.toBuilder().setLearningRate(c.getGeneratorLearningRate()).build() : layerOpt;

    TrainingGraph g = new TrainingGraph(placement);
    Ops root = g.tf();
    Placeholder<TFloat32> x = g.input(fields.get(0), nIn);
    Placeholder<TFloat32> y = g.input(fields.get(1), nOut);
    // Sub-scoped Ops are created once, up front (withSubScope scans the whole graph).
    Ops tf = root.withSubScope("dni");
    List<Ops> layerScopes = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      layerScopes.add(tf.withSubScope("layer" + i));
    }
    Map<String, List<Ops>> genScopes = new LinkedHashMap<>();
    for (String s : SETS) {
      List<Ops> l = new ArrayList<>();
      for (int i = 0; i < depth - 1; i++) {
        l.add(tf.withSubScope(s + "_generator" + i));
      }
      genScopes.put(s, l);
    }
    Ops inference = tf.withSubScope("inference");
    Ops metrics = tf.withSubScope("metrics");
    Initializers init = new Initializers(experiment.getSeed());

    Network net = new Network(layerScopes, c, nIn, nOut, init);
    List<Variable<TFloat32>> samples = new ArrayList<>();
    List<Variable<TFloat32>> norms = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      samples.add(layerScopes.get(i).withName("samples_seen").variable(tf.constant(0f)));
      norms.add(layerScopes.get(i).withName("update_norm").variable(tf.constant(0f)));
    }

    // The decoupled forward chain: layer i > 0 reads a placeholder defaulting to layer i-1's output.
    List<Operand<TFloat32>> ins = new ArrayList<>();
    List<Operand<TFloat32>> outs = new ArrayList<>();
    List<Operand<TFloat32>> genIns = new ArrayList<>();
    List<Op> bnUpdates = new ArrayList<>();
    Operand<TFloat32> prev = x;
    for (int i = 0; i < depth; i++) {
      Ops l = layerScopes.get(i);
      Operand<TFloat32> in = i == 0 ? x
          : l.withName("input").placeholderWithDefault(prev, Shape.of(-1, net.widths[i]));
      Network.Forward f = net.layer(l, i, in, true);
      Operand<TFloat32> h = l.withName("output").identity(f.out());
      ins.add(in);
      outs.add(h);
      bnUpdates.add(net.hasBatchNorm(i) ? bnUpdate(l, net, i, f, c.getBnMomentum()) : null);
      if (i < depth - 1) {
        genIns.add(l.withName("generator_input").placeholderWithDefault(h, Shape.of(-1, net.widths[i + 1])));
      }
      prev = h;
    }
    Operand<TFloat32> logits = outs.get(depth - 1);
    Operand<TFloat32> loss = tf.withName("loss").identity(Network.loss(tf, c.getLoss(), logits, y));
    // Batch size as seen by each layer (from its own input, so a layer step needs no other feed).
    List<Operand<TFloat32>> batchOf = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      batchOf.add(batchSize(layerScopes.get(i), ins.get(i)));
    }

    // The output layer learns from the true loss in every mode; the gradient w.r.t. its input is
    // the true gradient of the last hidden layer.
    Ops lo = layerScopes.get(depth - 1);
    List<Operand<?>> outXs = new ArrayList<>(net.params.get(depth - 1));
    outXs.add(ins.get(depth - 1));
    Gradients outGrads = lo.withName("gradients").gradients(List.of(loss), outXs);
    List<Operand<TFloat32>> outParamGrads = paramGrads(outGrads, net.params.get(depth - 1).size());
    Operand<TFloat32> outInGrad = outGrads.dy(net.params.get(depth - 1).size());
    Operand<TFloat32> outMessage = lo.withName("message").stopGradient(lo.math.mul(outInGrad, batchOf.get(depth - 1)));
    Op outputStep = layerStep(lo, "output_step", depth - 1, net, outParamGrads, outInGrad, bnUpdates, samples, norms,
        batchOf.get(depth - 1), layerOpt, g, totalSteps);

    // Backpropagation, chained layer by layer: dx of layer i is the gradient w.r.t. layer i+1's input.
    List<Op> bpropSteps = new ArrayList<>();
    List<List<Operand<TFloat32>>> bpropGrads = new ArrayList<>();
    List<Operand<TFloat32>> trueRaw = new ArrayList<>();
    for (int i = 0; i < depth - 1; i++) {
      bpropSteps.add(null);
      bpropGrads.add(null);
      trueRaw.add(null);
    }
    Operand<TFloat32> upstream = outInGrad;
    for (int i = depth - 2; i >= 0; i--) {
      Ops l = layerScopes.get(i);
      trueRaw.set(i, upstream);
      LayerGrads lg = layerGradients(l, "bprop_gradients", net, i, outs.get(i), ins.get(i), upstream);
      bpropGrads.set(i, lg.params);
      bpropSteps.set(i, layerStep(l, "bprop_step", i, net, lg.params, lg.input, bnUpdates, samples, norms,
          batchOf.get(i), layerOpt, g, totalSteps));
      upstream = lg.input;
    }
    List<Operand<TFloat32>> trueGradients = new ArrayList<>();
    for (int i = 0; i < depth - 1; i++) {
      trueGradients.add(metrics.withName("true_gradient" + i).math.mul(trueRaw.get(i), batchOf.get(0)));
    }

    // The generator sets: synthetic gradients, generator regression, decoupled layer steps.
    Map<String, GeneratorSet> sets = new LinkedHashMap<>();
    for (int si = 0; si < SETS.size(); si++) {
      String s = SETS.get(si);
      boolean conditioned = s.equals("cdni");
      List<Generator> gens = new ArrayList<>();
      List<Operand<TFloat32>> preds = new ArrayList<>();
      for (int i = 0; i < depth - 1; i++) {
        Ops gs = genScopes.get(s).get(i);
        Operand<TFloat32> gin = genIns.get(i);
        int w = net.widths[i + 1];
        if (conditioned) {
          gin = gs.concat(List.of(gin, y), gs.constant(1));
          w += nOut;
        }
        Generator gen = new Generator(gs, c, init, 10_000L + 1_000L * si + 100L * i, gin, w, net.widths[i + 1]);
        gens.add(gen);
        preds.add(gen.prediction);
      }
      // Layer steps from the synthetic gradients, top down so each message is the target below.
      List<Operand<TFloat32>> targets = new ArrayList<>();
      List<Operand<TFloat32>> messages = new ArrayList<>();
      List<Op> layerSteps = new ArrayList<>();
      List<List<Operand<TFloat32>>> layerGrads = new ArrayList<>();
      for (int i = 0; i < depth - 1; i++) {
        targets.add(null);
        messages.add(null);
        layerSteps.add(null);
        layerGrads.add(null);
      }
      Operand<TFloat32> messageFromAbove = outMessage;
      for (int i = depth - 2; i >= 0; i--) {
        Ops l = layerScopes.get(i);
        Ops gs = genScopes.get(s).get(i);
        targets.set(i, gs.withName("target").placeholderWithDefault(messageFromAbove, Shape.of(-1, net.widths[i + 1])));
        Operand<TFloat32> dx = l.math.div(l.stopGradient(preds.get(i)), batchOf.get(i));
        LayerGrads lg = layerGradients(l, s + "_gradients", net, i, outs.get(i), ins.get(i), dx);
        layerGrads.set(i, lg.params);
        layerSteps.set(i, layerStep(l, s + "_step", i, net, lg.params, lg.input, bnUpdates, samples, norms,
            batchOf.get(i), layerOpt, g, totalSteps));
        if (lg.input != null) {
          Operand<TFloat32> msg = l.withName(s + "_message").stopGradient(l.math.mul(lg.input, batchOf.get(i)));
          messages.set(i, msg);
          messageFromAbove = msg;
        }
      }
      List<Op> genSteps = new ArrayList<>();
      List<Operand<TFloat32>> sgLosses = new ArrayList<>();
      List<Operand<TFloat32>> cosines = new ArrayList<>();
      List<List<Variable<TFloat32>>> genVars = new ArrayList<>();
      for (int i = 0; i < depth - 1; i++) {
        Ops gs = genScopes.get(s).get(i);
        Operand<TFloat32> sgLoss = gs.withName("loss").math.mean(
            gs.math.squaredDifference(preds.get(i), gs.stopGradient(targets.get(i))), gs.constant(new int[] {0, 1}));
        sgLosses.add(sgLoss);
        List<Variable<TFloat32>> vars = gens.get(i).vars;
        genVars.add(vars);
        Gradients gg = gs.withName("gradients").gradients(List.of(sgLoss), vars);
        List<Operand<TFloat32>> grads = gate(gs, paramGrads(gg, vars.size()), List.of());
        genSteps.add(Optimizers.apply(gs, genOpt, vars, grads, g.step(), totalSteps, "step"));
        cosines.add(cosine(metrics, preds.get(i), trueGradients.get(i)));
      }
      sets.put(s, new GeneratorSet(preds, targets, messages, layerSteps, genSteps, sgLosses, cosines, layerGrads, genVars));
    }

    Operand<TFloat32> infLogits = inference.withName("logits").identity(net.forwardAll(inference, x, false));
    parts = new Parts(c, x, y, ins, outs, genIns, net.params, loss, infLogits, outputStep, outMessage, bpropSteps,
        bpropGrads, trueGradients, sets, samples, norms, net);

    // Train targets of the configured mode; the sync runner runs them in one Session.run.
    g.addTrainTarget(outputStep);
    GeneratorSet active = parts.active();
    if (active == null) {
      bpropSteps.forEach(g::addTrainTarget);
    } else {
      active.layerSteps().forEach(g::addTrainTarget);
      active.generatorSteps().forEach(g::addTrainTarget);
    }
    g.stepRunner(c.getSchedule() == DniConfig.Schedule.ASYNC ? new AsyncRunner(parts) : new SyncRunner());

    // Metrics.
    g.metric("loss", loss);
    addAccuracy(g, metrics, c, logits, y, false);
    for (int i = 0; i < depth; i++) {
      if (active != null && i < depth - 1) {
        g.metric("layer" + i + "/sg_loss", active.syntheticLosses().get(i));
        g.metric("layer" + i + "/sg_cosine", active.cosines().get(i));
      }
      g.metric("layer" + i + "/update_norm", norms.get(i));
    }
    g.evalMetric("loss", inference.withName("eval_loss").identity(Network.loss(inference, c.getLoss(), infLogits, y)));
    addAccuracy(g, inference, c, infLogits, y, true);

    Signature.Builder serving = Signature.builder().key(Signature.DEFAULT_KEY).input(fields.get(0), x)
        .output("logits", infLogits);
    serving.output("probabilities", c.getLoss() == DniConfig.Loss.SOFTMAX_CROSS_ENTROPY
        ? inference.withName("probabilities").nn.softmax(infLogits)
        : inference.withName("probabilities").math.sigmoid(infLogits));
    g.exportSignature(serving.build());
    return g;
  }

  private static Operand<TFloat32> batchSize(Ops tf, Operand<TFloat32> rows) {
    return tf.withName("batch_size").dtypes.cast(
        tf.squeeze(tf.slice(tf.shape(rows), tf.constant(new int[] {0}), tf.constant(new int[] {1}))), TFloat32.class);
  }

  private record LayerGrads(List<Operand<TFloat32>> params, Operand<TFloat32> input) {}

  /** Gradients of layer i's parameters (and of its input, for i &gt; 0) with dx injected at its output. */
  private static LayerGrads layerGradients(Ops l, String name, Network net, int i, Operand<TFloat32> out,
      Operand<TFloat32> in, Operand<TFloat32> dx) {
    List<Variable<TFloat32>> p = net.params.get(i);
    List<Operand<?>> xs = new ArrayList<>(p);
    if (i > 0) {
      xs.add(in);
    }
    Gradients gr = l.withName(name).gradients(List.of(out), xs, Gradients.dx(List.of(dx)));
    return new LayerGrads(paramGrads(gr, p.size()), i > 0 ? gr.dy(p.size()) : null);
  }

  private static List<Operand<TFloat32>> paramGrads(Gradients gr, int n) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      out.add(gr.dy(k));
    }
    return out;
  }

  /**
   * Copies of {@code grads} that wait for all of them and for {@code extra}: an update must not
   * start before every gradient that reads the variables it overwrites has been computed (the
   * variables are updated in place).
   */
  static List<Operand<TFloat32>> gate(Ops tf, List<Operand<TFloat32>> grads, List<? extends Op> extra) {
    List<Op> deps = new ArrayList<>(grads);
    deps.addAll(extra);
    Ops after = tf.withControlDependencies(deps);
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Operand<TFloat32> gr : grads) {
      out.add(after.identity(gr));
    }
    return out;
  }

  /**
   * One layer's update: apply the gradients, refresh the batch-norm averages, record the update's
   * norm and count the samples.
   */
  private static Op layerStep(Ops l, String name, int i, Network net, List<Operand<TFloat32>> grads,
      Operand<TFloat32> inputGrad, List<Op> bnUpdates, List<Variable<TFloat32>> samples,
      List<Variable<TFloat32>> norms, Operand<TFloat32> batch, OptimizerConfig opt, TrainingGraph g, long totalSteps) {
    List<Variable<TFloat32>> p = net.params.get(i);
    List<Op> extra = new ArrayList<>();
    if (inputGrad != null) {
      extra.add(inputGrad);
    }
    List<Operand<TFloat32>> before = new ArrayList<>();
    for (Variable<TFloat32> v : p) {
      Operand<TFloat32> copy = l.deepCopy(v);
      before.add(copy);
      extra.add(copy);
    }
    Op apply = Optimizers.apply(l, opt, p, gate(l, grads, extra), g.step(), totalSteps, name + "_optimizer");
    Ops after = l.withControlDependencies(List.of(apply));
    List<Operand<TFloat32>> sq = new ArrayList<>();
    for (int k = 0; k < p.size(); k++) {
      sq.add(after.sum(after.math.square(after.math.sub(p.get(k), before.get(k))), after.constant(new int[] {0, 1})));
    }
    Op norm = after.assign(norms.get(i), after.math.sqrt(after.math.addN(sq)));
    List<Op> all = new ArrayList<>(List.of(norm, l.assignAdd(samples.get(i), batch)));
    if (bnUpdates.get(i) != null) {
      all.add(bnUpdates.get(i));
    }
    return l.withControlDependencies(all).withName(name).noOp();
  }

  private static Op bnUpdate(Ops l, Network net, int i, Network.Forward f, float momentum) {
    Operand<TFloat32> m = l.constant(momentum);
    Operand<TFloat32> r = l.constant(1f - momentum);
    Op a = l.assign(net.movingMean.get(i), l.math.add(l.math.mul(net.movingMean.get(i), m), l.math.mul(f.mean(), r)));
    Op b = l.assign(net.movingVariance.get(i),
        l.math.add(l.math.mul(net.movingVariance.get(i), m), l.math.mul(f.variance(), r)));
    return l.withControlDependencies(List.of(a, b)).withName("bn_update").noOp();
  }

  /** Cosine similarity of two batches of vectors, flattened (monitoring only). */
  private static Operand<TFloat32> cosine(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    org.tensorflow.Operand<org.tensorflow.types.TInt32> all = tf.constant(new int[] {0, 1});
    Operand<TFloat32> dot = tf.sum(tf.math.mul(a, b), all);
    Operand<TFloat32> na = tf.math.sqrt(tf.sum(tf.math.square(a), all));
    Operand<TFloat32> nb = tf.math.sqrt(tf.sum(tf.math.square(b), all));
    return tf.math.div(dot, tf.math.add(tf.math.mul(na, nb), tf.constant(1e-12f)));
  }

  private static void addAccuracy(TrainingGraph g, Ops tf, DniConfig c, Operand<TFloat32> logits,
      Operand<TFloat32> y, boolean eval) {
    if (c.getLoss() == DniConfig.Loss.SOFTMAX_CROSS_ENTROPY) {
      Operand<TFloat32> acc = tf.math.mean(tf.dtypes.cast(tf.math.equal(tf.math.argMax(logits, tf.constant(1)),
          tf.math.argMax(y, tf.constant(1))), TFloat32.class), tf.constant(0));
      if (eval) {
        g.evalMetric("accuracy", acc);
      } else {
        g.metric("accuracy", acc);
      }
      return;
    }
    // Sigmoid outputs: a bit is right when the logit's sign matches the target bit.
    Operand<TFloat32> bitRight = tf.dtypes.cast(tf.math.equal(tf.math.greater(logits, tf.constant(0f)),
        tf.math.greater(y, tf.constant(0.5f))), TFloat32.class);
    Operand<TFloat32> bitAcc = tf.math.mean(bitRight, tf.constant(new int[] {0, 1}));
    Operand<TFloat32> allRight = tf.math.mean(tf.min(bitRight, tf.constant(1)), tf.constant(0));
    if (eval) {
      g.evalMetric("bit_accuracy", bitAcc);
      g.evalMetric("accuracy", allRight);
    } else {
      g.metric("bit_accuracy", bitAcc);
      g.metric("accuracy", allRight);
    }
  }
}
