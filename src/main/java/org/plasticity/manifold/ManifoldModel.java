package org.plasticity.manifold;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.plasticity.config.Experiment;
import org.plasticity.config.ManifoldConfig;
import org.plasticity.core.Initializers;
import org.plasticity.core.LearningSystem;
import org.plasticity.core.Optimizers;
import org.plasticity.core.Placement;
import org.plasticity.core.Tensors;
import org.plasticity.core.TrainingGraph;
import org.plasticity.core.UserError;
import org.plasticity.data.Deskew;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The Dynamic Neural Manifold: a network that learns its own sparse DAG wiring through
 * trainable per-neuron closeness functions and a trainable cutoff (see {@link Closeness}),
 * trained on objective + flow-conservation + sparsity losses.
 */
public final class ManifoldModel implements LearningSystem {
  /** Name of the closeness (effective adjacency) tensor in graphs and exports. */
  public static final String CLOSENESS = "manifold/closeness";

  /** Handles to the parts of a built manifold graph that tools (inspect, export) need. */
  public record Parts(Operand<TFloat32> closeness, Operand<TFloat32> adjacency, Operand<TFloat32> outputs,
      Operand<TFloat32> logits,
      List<Variable<TFloat32>> variables) {}

  private Parts parts;
  private ManifoldConfig config;

  public Parts parts() {
    return parts;
  }

  @Override
  public TrainingGraph build(Experiment experiment, Map<String, Integer> widths, Placement placement) {
    ManifoldConfig m = experiment.getManifold();
    this.config = m;
    List<String> fields = new ArrayList<>(widths.keySet());
    if (fields.size() != 2) {
      throw new UserError("manifold: expected a dataset with an input and a target field, got " + fields);
    }
    int nIn = m.getNInput();
    int nComp = m.getNComp();
    int nOut = m.getNOutput();
    if (widths.get(fields.get(0)) != nIn) {
      throw new UserError("manifold.n_input: expected " + widths.get(fields.get(0)) + " (the data's input width), got " + nIn);
    }
    if (widths.get(fields.get(1)) != nOut) {
      throw new UserError("manifold.n_output: expected " + widths.get(fields.get(1)) + " (the data's target width), got " + nOut);
    }
    int nDst = nComp + nOut;
    int nSrc = nIn + nComp;

    TrainingGraph g = new TrainingGraph(placement);
    Ops root = g.tf();
    Placeholder<TFloat32> raw = g.input(fields.get(0), nIn);
    Placeholder<TFloat32> y = g.input(fields.get(1), nOut);
    Ops tf = root.withSubScope("manifold");
    // Switch: every image deskewed in the graph before the network reads it (the exports too).
    Operand<TFloat32> x = inputs(tf, m, raw);
    Initializers init = new Initializers(experiment.getSeed());

    // Trainable parameters: seven closeness parameters per non-input neuron, a weight and a
    // bias per source neuron, and the cutoff.
    Variable<TFloat32> alpha = init.normalVariable(tf, "alpha", 1, m.getAlphaInitMean(), m.getAlphaInitStddev(), nDst, 1);
    Variable<TFloat32> beta = init.normalVariable(tf, "beta", 2, m.getBetaInitMean(), m.getBetaInitStddev(), nDst, 1);
    Variable<TFloat32> gamma = init.normalVariable(tf, "gamma", 3, m.getGammaInitMean(), m.getGammaInitStddev(), nDst, 1);
    Variable<TFloat32> theta = init.normalVariable(tf, "theta", 4, m.getThetaInitMean(), m.getThetaInitStddev(), nDst, 1);
    Variable<TFloat32> phi = init.normalVariable(tf, "phi", 5, m.getPhiInitMean(), m.getPhiInitStddev(), nDst, 1);
    float k = m.getPositionScale();
    if (!(k > 0) || Float.isInfinite(k)) {
      throw new UserError("manifold.position_scale: expected a positive number, got " + k);
    }
    Variable<TFloat32> sigma = init.normalVariable(tf, "sigma", 6, m.getSigmaInitMean() / k, m.getSigmaInitStddev() / k, nDst, 1);
    Variable<TFloat32> mu = init.normalVariable(tf, "mu", 7, m.getMuInitMean() / k, m.getMuInitStddev() / k, nDst, 1);
    // Switch: 2-D receptive fields over the input pixels, four more parameters per neuron.
    List<Variable<TFloat32>> planeVars = List.of();
    Closeness.Plane plane = null;
    if (m.getInputPlane()) {
      float[][] yx = Closeness.pixelCoordinates(m);
      float centreRow = yx[0][nIn - 1] / 2f;
      float centreCol = yx[1][nIn - 1] / 2f;
      planeVars = List.of(
          init.normalVariable(tf, "plane_alpha", 11, m.getAlphaInitMean(), m.getAlphaInitStddev(), nDst, 1),
          init.normalVariable(tf, "plane_mu_row", 12, centreRow, m.getInputPlaneMuInitStddev(), nDst, 1),
          init.normalVariable(tf, "plane_mu_col", 13, centreCol, m.getInputPlaneMuInitStddev(), nDst, 1),
          init.normalVariable(tf, "plane_sigma", 14, m.getInputPlaneSigmaInitMean(), m.getInputPlaneSigmaInitStddev(),
              nDst, 1));
      plane = new Closeness.Plane(planeVars.get(0), planeVars.get(1), planeVars.get(2), planeVars.get(3));
    }
    Closeness.Params q = new Closeness.Params(alpha, beta, gamma, theta, phi, sigma, mu, plane);
    Variable<TFloat32> w = init.normalVariable(tf, "weights", 8, m.getWeightInitMean(), m.getWeightInitStddev(), 1, nSrc);
    Variable<TFloat32> b = init.normalVariable(tf, "biases", 9, m.getBiasInitMean(), m.getBiasInitStddev(), 1, nSrc);
    Variable<TFloat32> cutoffRaw = tf.withName("cutoff_raw").variable(tf.constant(m.getCutoffInit()));

    Operand<TFloat32> positions = tf.withName("positions").constant(Closeness.positions(m));
    Operand<TFloat32> mask = tf.withName("dag_mask").constant(Closeness.mask(m));
    Operand<TFloat32> cutoff = tf.withName("cutoff").math.sigmoid(cutoffRaw);
    Operand<TFloat32> d = Closeness.raw(tf, m, q, positions);
    Operand<TFloat32> closeness = tf.withName("closeness").identity(Closeness.applyCutoff(tf, d, cutoff, mask));

    // Switch: per-connection weights gated by closeness (the closeness decides what exists).
    Variable<TFloat32> connWeights = null;
    Operand<TFloat32> adjacency = closeness;
    if (m.getConnectionWeights()) {
      float sd = m.getConnectionWeightInitStddev() > 0 ? m.getConnectionWeightInitStddev() : (float) (1 / Math.sqrt(nIn));
      connWeights = init.normalVariable(tf, "connection_weights", 10, 0f, sd, nDst, nSrc);
      adjacency = tf.withName("adjacency").math.mul(closeness, connWeights);
    }
    UnaryOperator<Operand<TFloat32>> act = activation(tf, m);
    Operand<TFloat32> out = ChainForward.outputs(tf, nIn, nComp, nOut, x, adjacency, w, b, act, readout(act, m));
    Operand<TFloat32> logits = tf.withName("logits").identity(m.getSquareOutputs() ? tf.math.square(out) : out);

    // Losses: objective, flow conservation between input->comp and comp->output, sparsity.
    Objective chainObjective = objective(tf, m, logits, y);
    Operand<TFloat32> perExample = chainObjective.perExample();
    Operand<TFloat32> correct = chainObjective.correct();
    Operand<TFloat32> objective = chainObjective.mean();
    Operand<TFloat32> flow = tf.withName("flow").identity(Closeness.flowLoss(tf, closeness, nIn, nComp, nOut));
    Operand<TFloat32> activeMask = tf.dtypes.cast(tf.math.notEqual(closeness, tf.constant(0f)), TFloat32.class);
    Operand<TFloat32> active = tf.withName("active_connections").sum(activeMask, tf.constant(new int[] {0, 1}));
    Operand<TFloat32> softCount = null;
    Operand<TFloat32> liveSoft = null;
    PathCost.Counts computed = null;
    if (m.getSparsityTemperature() > 0) {
      // Smooth step around the cutoff: the differentiable surrogate of the active count.
      Operand<TFloat32> softActive = tf.math.mul(mask, tf.math.sigmoid(tf.math.div(
          tf.math.sub(tf.math.abs(d), cutoff), tf.constant(m.getSparsityTemperature()))));
      softCount = tf.sum(softActive, tf.constant(new int[] {0, 1}));
      // Time: a computational neuron costs when any of its inputs is active (soft max over its row).
      Operand<TFloat32> compRowsSoft = ChainForward.splitV(tf, softActive, new int[] {nComp, nOut}, 0).get(0);
      liveSoft = tf.sum(tf.max(compRowsSoft, tf.constant(1)), tf.constant(0));
      if (m.getTimePathsOnly()) {
        // what the pruned export computes, the flags swept over the active wiring in the graph
        List<Operand<TFloat32>> hard = ActiveCloseness.splitBlocks(tf, m, activeMask);
        List<Operand<TFloat32>> flags = PathCost.flags(tf, hard.get(0), hard.get(1), hard.get(3), nComp);
        computed = PathCost.counts(tf, ActiveCloseness.splitBlocks(tf, m, softActive), flags.get(0), flags.get(1));
      }
    } else if (m.getSoftSparsityCoef() > 0 || m.getTimeCoef() > 0) {
      throw new UserError("manifold.sparsity_temperature: expected > 0 when soft_sparsity_coef or time_coef is set");
    } else if (m.getTimePathsOnly()) {
      throw new UserError("manifold.time_paths_only: needs sparsity_temperature > 0 (it weights the soft counts)");
    }
    if (m.getActiveFractionTarget() != 0) {
      if (!(m.getActiveFractionTarget() > 0 && m.getActiveFractionTarget() < 1)) {
        throw new UserError("manifold.active_fraction_target: expected a fraction in (0, 1), got " + m.getActiveFractionTarget());
      }
      if (m.getSparsityTemperature() <= 0) {
        throw new UserError("manifold.active_fraction_target: needs sparsity_temperature > 0 (the wall is on the soft fraction)");
      }
      if (!(m.getBudgetCoef() > 0) || Float.isInfinite(m.getBudgetCoef())) {
        throw new UserError("manifold.budget_coef: expected a positive number, got " + m.getBudgetCoef());
      }
    }
    Operand<TFloat32> ramp = sparsityRamp(tf, m, g.step());
    Regularisers reg = regularisers(tf, m, flow, active, softCount, liveSoft, computed, cutoff, ramp);
    List<Operand<TFloat32>> terms = new ArrayList<>();
    terms.add(tf.math.mul(tf.constant(m.getObjectiveCoef()), objective));
    terms.addAll(reg.terms());
    Operand<TFloat32> loss = tf.withName("loss").math.addN(terms);

    List<Variable<TFloat32>> vars = new ArrayList<>(List.of(alpha, beta, gamma, theta, phi, sigma, mu, w, b, cutoffRaw));
    if (connWeights != null) {
      vars.add(connWeights);
    }
    vars.addAll(planeVars);
    Optimizers.Optimizer optimizer = new Optimizers.Optimizer(root, experiment.getTrain().getOptimizer(), vars,
        g.step(), experiment.getTrain().getSteps(), "optimizer");
    if (m.getEvaluation() == ManifoldConfig.Evaluation.CHAIN) {
      g.addTrainTarget(optimizer.minimize(loss));
    }
    String objName = m.getObjective() == ManifoldConfig.Objective.SOFTMAX_CROSS_ENTROPY ? "cross_entropy" : "mse";
    Map<String, Operand<TFloat32>> common = reg.metrics();
    g.metric("loss", loss);
    g.metric(objName, objective);
    common.forEach(g::metric);
    if (correct != null) {
      g.metric("accuracy", tf.math.mean(correct, tf.constant(0)));
      g.evalMetric("accuracy", correct);
    }
    if (m.getEvaluation() != ManifoldConfig.Evaluation.CHAIN) {
      // One train step per evaluation depth, sharing the optimizer state; the step runner picks
      // the shallowest depth that covers the current longest computational path. The closeness
      // is differentiated only through its entries above the cutoff (see ActiveCloseness).
      boolean leveled = m.getEvaluation() == ManifoldConfig.Evaluation.LEVELS;
      Ops it = root.withSubScope("iterated");
      Ops sp = it.withSubScope("active");
      ActiveCloseness blocks = new ActiveCloseness(m);
      List<Placeholder<?>> rawFeeds = blocks.placeholders(sp);
      // LEVELS: the level order, fed with every step (DepthRunner.LevelFeeds)
      DepthRunner.LevelFeeds levelFeeds = leveled ? new DepthRunner.LevelFeeds(
          sp.withName("level_order").placeholder(TInt32.class, Placeholder.shape(Shape.of(nComp))),
          sp.withName("level_position").placeholder(TInt64.class, Placeholder.shape(Shape.of(nComp))),
          sp.withName("level_sizes").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)))) : null;
      // time_paths_only: which neurons the export computes, fed with every step (DepthRunner.PathFeeds)
      DepthRunner.PathFeeds pathFeeds = m.getTimePathsOnly() ? new DepthRunner.PathFeeds(
          sp.withName("path_reached").placeholder(TFloat32.class, Placeholder.shape(Shape.of(nComp, 1))),
          sp.withName("path_reaches_output").placeholder(TFloat32.class, Placeholder.shape(Shape.of(nComp, 1)))) : null;
      ActiveCloseness.Result ac = blocks.build(sp, q, cutoff, rawFeeds, connWeights,
          leveled ? levelFeeds.position() : null, pathFeeds == null ? null : List.of(pathFeeds.reached(), pathFeeds.reachesOutput()));
      Regularisers regIt = regularisers(sp, m, ac.flow(), ac.activeCount(), ac.softCount(), ac.liveSoft(), ac.computed(),
          cutoff, ramp);
      List<DepthRunner.Bucket> buckets = new ArrayList<>();
      for (int depth : DepthRunner.depths(nComp)) {
        Ops at = it.withSubScope("depth" + depth);
        UnaryOperator<Operand<TFloat32>> actD = activation(at, m);
        Operand<TFloat32> outD = leveled
            ? LeveledForward.outputs(at, nIn, nComp, x, ac.adjacency(), w, b, actD, readout(actD, m),
                levelFeeds.order(), levelFeeds.sizes(), depth + 1)
            : IteratedForward.outputs(at, nIn, nComp, x, ac.adjacency(), w, b, actD, readout(actD, m), depth);
        Operand<TFloat32> logitsD = m.getSquareOutputs() ? at.math.square(outD) : outD;
        Objective objD = objective(at, m, logitsD, y);
        List<Operand<TFloat32>> termsD = new ArrayList<>();
        termsD.add(at.math.mul(at.constant(m.getObjectiveCoef()), objD.mean()));
        termsD.addAll(regIt.terms());
        Operand<TFloat32> lossD = at.withName("loss").math.addN(termsD);
        org.tensorflow.op.Op apply = optimizer.minimize(lossD);
        Map<String, Operand<TFloat32>> metricsD = new java.util.LinkedHashMap<>();
        metricsD.put("loss", lossD);
        metricsD.put(objName, objD.mean());
        metricsD.putAll(regIt.metrics());
        if (objD.correct() != null) {
          metricsD.put("accuracy", at.math.mean(objD.correct(), at.constant(0)));
        }
        metricsD.put("eval_depth", at.constant((float) depth));
        Ops after = at.withControlDependencies(List.of(apply));
        buckets.add(new DepthRunner.Bucket(depth, apply, metricsD,
            blocks.carry(after, m, reads(after, q), after.math.sigmoid(after.identity(cutoffRaw)))));
      }
      Ops probe = it.withSubScope("probe");
      g.stepRunner(new DepthRunner(nComp, buckets, rawFeeds,
          blocks.carry(probe, m, reads(probe, q), probe.math.sigmoid(probe.identity(cutoffRaw))), levelFeeds, pathFeeds));
    }
    g.evalMetric(objName, perExample);
    g.stateMetric("active_fraction", common.get("sparsity"));
    g.stateMetric("active_connections", active);
    g.stateMetric("cutoff", cutoff);
    g.snapshot("closeness", closeness);

    // The export serves a frozen copy of the closeness matrix, written right before export, so
    // inference does not recompute the closeness functions (and a loader's graph optimiser
    // cannot perturb them): a forward pass of its own over the frozen matrix.
    Variable<TFloat32> frozen = tf.withName("closeness_frozen").variable(
        Optimizers.zeros(tf, org.tensorflow.ndarray.Shape.of(nDst, nSrc)));
    g.addExportPreparation(tf.withName("freeze_closeness").assign(frozen, closeness));
    Operand<TFloat32> frozenAdjacency = frozen;
    if (connWeights != null) {
      Variable<TFloat32> frozenAdj = tf.withName("adjacency_frozen").variable(
          Optimizers.zeros(tf, org.tensorflow.ndarray.Shape.of(nDst, nSrc)));
      g.addExportPreparation(tf.withName("freeze_adjacency").assign(frozenAdj, adjacency));
      frozenAdjacency = frozenAdj;
    }
    Ops serve = root.withSubScope("serving");
    UnaryOperator<Operand<TFloat32>> actS = activation(serve, m);
    Operand<TFloat32> servedOut = ChainForward.outputs(serve, nIn, nComp, nOut, x, frozenAdjacency, w, b, actS,
        readout(actS, m));
    Operand<TFloat32> served = serve.withName("logits").identity(m.getSquareOutputs() ? serve.math.square(servedOut) : servedOut);
    Signature.Builder serving = Signature.builder().key(Signature.DEFAULT_KEY).input(fields.get(0), raw);
    if (m.getObjective() == ManifoldConfig.Objective.SOFTMAX_CROSS_ENTROPY) {
      serving.output("logits", served).output("probabilities", serve.withName("probabilities").nn.softmax(served));
    } else {
      serving.output("outputs", served);
    }
    g.exportSignature(serving.build());
    g.exportSignature(Signature.builder().key("closeness").output("closeness",
        serve.withName("closeness").identity(frozen)).build());
    parts = new Parts(closeness, adjacency, out, logits, vars);
    return g;
  }

  /**
   * What the network reads of a batch of raw inputs: the inputs, or with deskew_inputs the deskewed
   * images (also what bench times as the exports' deskewing).
   */
  public static Operand<TFloat32> inputs(Ops tf, ManifoldConfig m, Operand<TFloat32> raw) {
    if (!m.getDeskewInputs()) {
      return raw;
    }
    int width = Closeness.imageWidth(m, "deskew_inputs");
    return Deskew.apply(tf.withSubScope("deskew"), raw, m.getNInput() / width, width);
  }

  /**
   * min(1, (t + 1) / sparsity_ramp_steps) at zero-based step t, or null without a ramp: the
   * factor on the soft-sparsity, time and budget coefficients.
   */
  static Operand<TFloat32> sparsityRamp(Ops tf, ManifoldConfig m, Operand<TInt64> step) {
    long n = m.getSparsityRampSteps();
    if (n == 0) {
      return null;
    }
    if (n < 0) {
      throw new UserError("manifold.sparsity_ramp_steps: expected a step count >= 0, got " + n);
    }
    if (m.getSparsityTemperature() <= 0) {
      throw new UserError("manifold.sparsity_ramp_steps: needs sparsity_temperature > 0 (it ramps the soft terms)");
    }
    Operand<TFloat32> t = tf.math.add(tf.dtypes.cast(step, TFloat32.class), tf.constant(1f));
    return tf.withName("sparsity_ramp").math.minimum(tf.constant(1f), tf.math.div(t, tf.constant((float) n)));
  }

  /** coef * x, times the ramp when there is one. */
  private static Operand<TFloat32> ramped(Ops tf, float coef, Operand<TFloat32> x, Operand<TFloat32> ramp) {
    Operand<TFloat32> c = ramp == null ? tf.constant(coef) : tf.math.mul(tf.constant(coef), ramp);
    return tf.math.mul(c, x);
  }

  /** The loss terms after the objective, and the metrics they come with. */
  record Regularisers(List<Operand<TFloat32>> terms, Map<String, Operand<TFloat32>> metrics) {}

  /**
   * Flow, count sparsity (no gradient), and -- when a soft count is given -- the soft sparsity and
   * time terms, in this order (the soft ones times the ramp, when given); shared by the chain's
   * loss and the fast path's. The time term counts {@code computed} when given (time_paths_only),
   * else the soft count and the live neurons.
   */
  static Regularisers regularisers(Ops tf, ManifoldConfig m, Operand<TFloat32> flow, Operand<TFloat32> activeCount,
      Operand<TFloat32> softCount, Operand<TFloat32> liveSoft, PathCost.Counts computed, Operand<TFloat32> cutoff,
      Operand<TFloat32> ramp) {
    Operand<TFloat32> maxKnex = tf.constant((float) Closeness.maxConnections(m));
    Operand<TFloat32> pct = tf.withName("sparsity").math.div(activeCount, maxKnex);
    List<Operand<TFloat32>> terms = new ArrayList<>(List.of(
        tf.math.mul(tf.constant(m.getFlowCoef()), flow),
        tf.math.mul(tf.constant(m.getSparsityCoef()), tf.stopGradient(tf.math.square(pct)))));
    Map<String, Operand<TFloat32>> metrics = new java.util.LinkedHashMap<>();
    metrics.put("flow", flow);
    metrics.put("sparsity", pct);
    metrics.put("cutoff", cutoff);
    if (softCount != null) {
      Operand<TFloat32> softFraction = tf.withName("soft_sparsity").math.div(softCount, maxKnex);
      terms.add(ramped(tf, m.getSoftSparsityCoef(), softFraction, ramp));
      if (m.getActiveFractionTarget() > 0) {
        // the budget wall: no pressure under the target, budget_coef per unit of fraction over it
        terms.add(ramped(tf, m.getBudgetCoef(),
            tf.nn.relu(tf.math.sub(softFraction, tf.constant(m.getActiveFractionTarget()))), ramp));
      }
      // every active connection and live neuron, or (time_paths_only) what the export computes
      Operand<TFloat32> timeUs = tf.withName("time_us").math.add(
          tf.math.mul(tf.constant(m.getTimePerConnectionUs()), computed == null ? softCount : computed.connections()),
          tf.math.mul(tf.constant(m.getTimePerNeuronUs()), computed == null ? liveSoft : computed.neurons()));
      if (m.getTimeCoef() > 0) {
        terms.add(ramped(tf, m.getTimeCoef(), timeUs, ramp));
      }
      metrics.put("soft_sparsity", softFraction);
      metrics.put("time_us", timeUs);
      if (ramp != null) {
        metrics.put("sparsity_ramp", ramp);
      }
    }
    return new Regularisers(terms, metrics);
  }

  /** The objective of a set of logits: per-example loss, its mean, and per-example correctness. */
  record Objective(Operand<TFloat32> perExample, Operand<TFloat32> mean, Operand<TFloat32> correct) {}

  static Objective objective(Ops tf, ManifoldConfig m, Operand<TFloat32> logits, Operand<TFloat32> y) {
    if (m.getObjective() == ManifoldConfig.Objective.SOFTMAX_CROSS_ENTROPY) {
      Operand<TFloat32> per = tf.nn.softmaxCrossEntropyWithLogits(logits, y).loss();
      Operand<TFloat32> correct = tf.dtypes.cast(tf.math.equal(tf.math.argMax(logits, tf.constant(1)),
          tf.math.argMax(y, tf.constant(1))), TFloat32.class);
      return new Objective(per, tf.math.mean(per, tf.constant(0)), correct);
    }
    Operand<TFloat32> per = tf.math.mean(tf.math.square(tf.math.sub(y, logits)), tf.constant(1));
    return new Objective(per, tf.math.mean(per, tf.constant(0)), null);
  }

  /** The closeness parameters read through {@code tf} (after an update when it carries one as a control dependency). */
  private static Closeness.Params reads(Ops tf, Closeness.Params q) {
    Closeness.Plane p = q.plane() == null ? null : new Closeness.Plane(tf.identity(q.plane().alpha()),
        tf.identity(q.plane().muRow()), tf.identity(q.plane().muCol()), tf.identity(q.plane().sigma()));
    return new Closeness.Params(tf.identity(q.alpha()), tf.identity(q.beta()), tf.identity(q.gamma()),
        tf.identity(q.theta()), tf.identity(q.phi()), tf.identity(q.sigma()), tf.identity(q.mu()), p);
  }

  /**
   * What output neurons read of each source: its linear z (the original) or, with
   * {@code outputs_read_activation}, the same act(z) that computational neurons read.
   */
  static UnaryOperator<Operand<TFloat32>> readout(UnaryOperator<Operand<TFloat32>> act, ManifoldConfig m) {
    return m.getOutputsReadActivation() ? act : v -> v;
  }

  static UnaryOperator<Operand<TFloat32>> activation(Ops tf, ManifoldConfig m) {
    return switch (m.getActivation()) {
      case LEAKY_RELU -> v -> tf.nn.leakyRelu(v, LeakyRelu.alpha(m.getLeakySlope()));
      case RELU -> v -> tf.nn.relu(v);
      case SIGMOID -> v -> tf.math.sigmoid(v);
      case TANH -> v -> tf.math.tanh(v);
    };
  }

  @Override
  public List<String> describe(Session session, TrainingGraph graph) {
    List<String> lines = new ArrayList<>(new Topology(config, Tensors.fetch(session, parts.closeness())).describe());
    lines.addAll(pruned(session).describe());
    return lines;
  }

  /** The trained wiring frozen and pruned (inactive connections and dead-end neurons dropped). */
  public PrunedModel pruned(Session session) {
    List<Variable<TFloat32>> v = parts.variables();
    return new PrunedModel(config, Tensors.fetch(session, parts.adjacency()), Tensors.fetch(session, v.get(7)),
        Tensors.fetch(session, v.get(8)));
  }

  @Override
  public List<String> exportPruned(Session session, TrainingGraph graph, java.nio.file.Path dir) {
    PrunedModel p = pruned(session);
    p.export(dir, graph.inputs().keySet().iterator().next());
    return p.describe();
  }
}
