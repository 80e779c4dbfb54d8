package org.plasticity.thermo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.plasticity.config.Experiment;
import org.plasticity.config.LangevinConfig;
import org.plasticity.core.Initializers;
import org.plasticity.core.LearningSystem;
import org.plasticity.core.Placement;
import org.plasticity.core.TrainingGraph;
import org.plasticity.data.Seeds;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Stochastic thermodynamics of perceptron learning (Goldt & Seifert, PRL 118, 010601 and
 * New J. Phys. 19, 113001, 2017): a student perceptron w ∈ ℝⁿ learns a fixed random teacher T
 * by overdamped Langevin dynamics (mobility μ = 1, diffusion D = k_B T),
 *
 * <pre>
 *   dw = F dt + √(2 D dt) η,     F = −k w + ν ⟨σ_T ξ 𝓕(A, σ_T)⟩_batch,
 *   A = w·ξ/√n,  σ_T = sign(T·ξ),  ξ ∈ {−1,+1}ⁿ uniform,
 * </pre>
 *
 * integrated by Euler–Maruyama; one EM step is the train step (assign ops). Every input is drawn
 * inside the graph by stateless random ops seeded from the fed step, so a run is a pure function
 * of (seed, step) and resumes exactly. Several independent students ("chains") of the same teacher
 * are the rows of one [chains, n] weight matrix, each with its own inputs and noise.
 *
 * <p>For tests the step's inputs and noise can be overridden by feeding the placeholders
 * {@link #XI} ([chains, batch, n]) and {@link #NOISE} ([chains, n]); by default they are generated.
 */
public final class LangevinPerceptron implements LearningSystem {
  /** Feedable override of the step's inputs ξ, shape [chains, batch, n]. */
  public static final String XI = "thermo/xi";
  /** Feedable override of the step's standard-normal noise η, shape [chains, n]. */
  public static final String NOISE = "thermo/noise";
  /** The student weights variable, shape [chains, n]. */
  public static final String WEIGHTS = "thermo/w";
  /** The teacher variable, shape [n]. */
  public static final String TEACHER = "thermo/teacher";

  @Override
  public TrainingGraph build(Experiment e, Map<String, Integer> fieldWidths, Placement placement) {
    LangevinConfig c = e.getLangevin();
    TrainingGraph g = new TrainingGraph(placement);
    Ops tf = g.tf().withSubScope("thermo");
    int n = c.getN();
    int chains = c.getChains();
    int batch = e.getTrain().getBatchSize();
    float nu = (float) nu(c);
    float k = c.getK();
    float dt = c.getDt();
    float diffusion = c.getDiffusion();
    float sqrtN = (float) Math.sqrt(n);
    long seed = e.getSeed();
    Initializers init = new Initializers(seed);

    // The teacher T ~ N(0, I) and the students w(0) ~ N(0, init_stddev² I), independent per chain.
    Variable<TFloat32> teacher = tf.withName("teacher").variable(init.normal(tf, 1, 0f, 1f, n));
    Variable<TFloat32> w = init.normalVariable(tf, "w", 2, 0f, c.getInitStddev(), chains, n);
    Variable<TFloat32> heatTotal = tf.withName("heat_total").variable(tf.constant(0f));

    // This step's inputs ξ ∈ {−1,+1}ⁿ (fresh per step and chain) and noise η ~ N(0, I).
    Operand<TFloat32> xiDrawn = plusMinusOne(tf, stepSeed(tf, g.step(), seed, 1), chains, batch, n);
    Operand<TFloat32> xi = tf.withName("xi").placeholderWithDefault(xiDrawn, Shape.of(chains, -1, n));
    Operand<TFloat32> etaDrawn = tf.random.statelessRandomNormal(tf.constant(new int[] {chains, n}),
        stepSeed(tf, g.step(), seed, 2));
    Operand<TFloat32> eta = tf.withName("noise").placeholderWithDefault(etaDrawn, Shape.of(chains, n));

    // Teacher's labels σ_T = sign(T·ξ) and student activations A = w·ξ/√n, both [chains, batch].
    Operand<TFloat32> sigma = tf.withName("sigma_T").math.sign(tf.linalg.einsum(List.of(xi, reshapeVector(tf, teacher)), "cbn,xn->cb"));
    Operand<TFloat32> a = tf.withName("A").math.div(tf.linalg.einsum(List.of(xi, w), "cbn,cn->cb"), tf.constant(sqrtN));

    // Learning force per unit ν: m = ⟨σ_T ξ 𝓕(A, σ_T)⟩_batch, then F = −k w + ν m.
    Operand<TFloat32> rule = LearningRules.factor(tf, c.getRule(), c.getAlpha(), a, sigma);
    Operand<TFloat32> m = tf.withName("m").math.div(
        tf.linalg.einsum(List.of(xi, tf.math.mul(sigma, rule)), "cbn,cb->cn"), tf.constant((float) batch));
    Operand<TFloat32> force = tf.withName("F").math.add(tf.math.mul(tf.constant(-k), w), tf.math.mul(tf.constant(nu), m));

    // Euler–Maruyama: dw = F dt + √(2 D dt) η.
    Operand<TFloat32> dw = tf.withName("dw").math.add(tf.math.mul(force, tf.constant(dt)),
        tf.math.mul(eta, tf.constant((float) Math.sqrt(2.0 * diffusion * dt))));
    Operand<TFloat32> wNext = tf.withName("w_next").math.add(w, dw);

    // Heat dissipated into the bath in this step, Stratonovich (midpoint) rule (Sekimoto):
    //   dq = F(w_mid)·dw,   w_mid = (w + w')/2,   with the step's inputs held fixed,
    //   F(w_mid) = −k w_mid + (ν/B) Σ_b σ_b ξ_b 𝓕(A_mid,b, σ_b),   A_mid = ξ·w_mid/√n = (A + A')/2,
    // so, using ξ_b·dw = √n (A'_b − A_b):
    //   dq = −k w_mid·dw + (ν/B) Σ_b σ_b 𝓕(A_mid,b, σ_b) √n (A'_b − A_b)     (per chain).
    Operand<TFloat32> aNext = tf.math.div(tf.linalg.einsum(List.of(xi, wNext), "cbn,cn->cb"), tf.constant(sqrtN));
    Operand<TFloat32> aMid = tf.math.mul(tf.math.add(a, aNext), tf.constant(0.5f));
    Operand<TFloat32> ruleMid = LearningRules.factor(tf, c.getRule(), c.getAlpha(), aMid, sigma);
    Operand<TFloat32> wMid = tf.math.mul(tf.math.add(w, wNext), tf.constant(0.5f));
    Operand<TFloat32> decayPart = tf.math.mul(tf.constant(-k), tf.sum(tf.math.mul(wMid, dw), tf.constant(1)));
    Operand<TFloat32> learnPart = tf.math.mul(tf.constant(nu * sqrtN / batch),
        tf.sum(tf.math.mul(tf.math.mul(sigma, ruleMid), tf.math.sub(aNext, a)), tf.constant(1)));
    Operand<TFloat32> dq = tf.withName("dq").math.add(decayPart, learnPart); // [chains]
    Operand<TFloat32> dqMean = tf.math.mean(dq, tf.constant(0));
    Operand<TFloat32> heatNext = tf.withName("heat_total_next").math.add(heatTotal, dqMean);

    // Order parameters of the new state (per chain), then chain means.
    Operand<TFloat32> r = overlap(tf, wNext, teacher);
    Operand<TFloat32> eps = tf.math.div(tf.math.acos(r), tf.constant((float) Math.PI));
    Operand<TFloat32> epsMean = tf.withName("eps").math.mean(eps, tf.constant(0));
    Operand<TFloat32> wNorm = tf.math.sqrt(tf.sum(tf.math.square(wNext), tf.constant(1)));

    List<Op> measured = new ArrayList<>();
    metric(g, measured, "R", tf.math.mean(r, tf.constant(0)));
    if (chains > 1) {
      metric(g, measured, "R_se", standardError(tf, r, chains));
    }
    metric(g, measured, "eps", epsMean);
    if (chains > 1) {
      metric(g, measured, "eps_se", standardError(tf, eps, chains));
    }
    metric(g, measured, "w_norm", tf.math.mean(wNorm, tf.constant(0)));
    metric(g, measured, "time", tf.math.mul(tf.dtypes.cast(tf.math.add(g.step(), tf.constant(1L)), TFloat32.class), tf.constant(dt)));
    metric(g, measured, "heat", dqMean);
    metric(g, measured, "heat_rate", tf.math.div(dqMean, tf.constant(dt)));
    metric(g, measured, "heat_cumulative", heatNext);
    if (batch > 1) {
      // The part of the heat rate carried by the fluctuation of the learning force over inputs:
      // a force ν m_t redrawn every step dissipates ν² Σ_i Var(m_i) per unit time on average
      // (its own displacement ν m_t dt times ν m_t), with Var(m_i) = Var_b(σ ξ_i 𝓕)/B estimated
      // from the batch: Σ_i Var_b = B/(B−1) (n ⟨𝓕²⟩_b − |m|²).
      Operand<TFloat32> f2 = tf.math.mean(tf.math.square(rule), tf.constant(1));
      Operand<TFloat32> m2 = tf.sum(tf.math.square(m), tf.constant(1));
      Operand<TFloat32> varSum = tf.math.mul(tf.constant(1f / (batch - 1)),
          tf.math.sub(tf.math.mul(tf.constant((float) n), f2), m2));
      metric(g, measured, "heat_rate_input_variance",
          tf.math.mean(tf.math.mul(tf.constant(nu * nu), varSum), tf.constant(0)));
    }
    if (diffusion > 0) {
      // Medium entropy production rate: heat rate over the bath temperature k_B T = D.
      metric(g, measured, "entropy_production_rate", tf.math.div(dqMean, tf.constant(dt * diffusion)));
    }
    if (chains > 1 && c.getInitStddev() > 0 && diffusion > 0) {
      // ΔS_w: Gaussian estimate of the change of the weights' Shannon entropy, from the ensemble.
      Operand<TFloat32> dS = weightEntropyChangeGaussian(tf, wNext, chains, c.getInitStddev());
      metric(g, measured, "weight_entropy_change_gaussian", dS);
      // Goldt & Seifert's learning efficiency η = I / ΔS_tot, here
      //   I(t) = M(t) [ln 2 − h(ε(t))]  (nats): the mutual information between the true label σ_T
      //     and the predicted label sign(A) of one input, ln 2 − h(ε) for unbiased labels with error
      //     ε and h the binary entropy, summed over the M(t) = B·steps labels presented so far
      //     (each example is seen once; the student's error on it is taken to be its
      //     generalisation error ε(t), which neglects memorisation);
      //   ΔS_tot(t) = ΔS_w(t) + Q(t)/(k_B T): the weights' entropy change plus the heat dissipated
      //     into the bath, the total entropy production of their inequality
      //     Σ_μ I(σ_T^μ; σ^μ) ≤ ΔS(w) + ΔQ/(k_B T).
      // With fresh inputs both I and ΔS_tot grow linearly in time; this sum over M ≫ n labels of
      // one teacher counts dependent information, so η ≤ 1 is not guaranteed here (it fails at
      // n = 100 in the seed's setting; see docs/RESULTS.md).
      Operand<TFloat32> examples = tf.math.mul(tf.dtypes.cast(tf.math.add(g.step(), tf.constant(1L)), TFloat32.class),
          tf.constant((float) batch));
      Operand<TFloat32> info = tf.math.mul(examples, tf.math.mean(infoPerLabel(tf, eps), tf.constant(0)));
      Operand<TFloat32> total = tf.math.add(dS, tf.math.div(heatNext, tf.constant(diffusion)));
      metric(g, measured, "information", info);
      metric(g, measured, "entropy_production_total", total);
      metric(g, measured, "efficiency", tf.math.div(info, total));
    }

    // The step: write w' and the heat after everything that reads the old state has run.
    Ops after = tf.withControlDependencies(measured);
    g.addTrainTarget(after.withName("update_w").assign(w, wNext), after.withName("update_heat").assign(heatTotal, heatNext));

    // State metrics: ε from R of the current weights, and the error measured directly on a
    // held-out set of data.generated_test_size inputs drawn from a fixed seed.
    Operand<TFloat32> rNow = overlap(tf, w, teacher);
    Operand<TFloat32> epsNow = tf.withName("eps_from_R").math.mean(
        tf.math.div(tf.math.acos(rNow), tf.constant((float) Math.PI)), tf.constant(0));
    g.stateMetric("eps_from_R", epsNow);
    g.stateMetric("R_now", tf.math.mean(rNow, tf.constant(0)));
    int heldOut = e.getData().getGeneratedTestSize();
    if (heldOut > 0) {
      long s = Seeds.mix(seed, 0x4e1dL);
      Operand<TFloat32> xiTest = plusMinusOne(tf, tf.constant(new long[] {s, Seeds.mix(s, 1)}), heldOut, n);
      Operand<TFloat32> sigmaTest = tf.math.sign(tf.linalg.matMul(xiTest, reshapeVector(tf, teacher),
          org.tensorflow.op.linalg.MatMul.transposeB(true))); // [P, 1]
      Operand<TFloat32> aTest = tf.linalg.matMul(xiTest, w, org.tensorflow.op.linalg.MatMul.transposeB(true)); // [P, chains]
      g.stateMetric("heldout_error", tf.withName("heldout_error").math.mean(
          LearningRules.wrong(tf, aTest, sigmaTest), tf.constant(new int[] {0, 1})));
    }
    g.exportSignature(Signature.builder().key("generalisation")
        .output("R", tf.withName("R_export").math.mean(rNow, tf.constant(0)))
        .output("eps", epsNow).build());
    return g;
  }

  /** ν = nu_scale · n^nu_exponent. */
  public static double nu(LangevinConfig c) {
    return c.getNuScale() * Math.pow(c.getN(), c.getNuExponent());
  }

  private static void metric(TrainingGraph g, List<Op> measured, String name, Operand<TFloat32> value) {
    g.metric(name, value);
    measured.add((Op) value); // every metric here is a RawOp
  }

  /** [seed stream constant, step]: a fresh seed pair per step and stream. */
  private static Operand<TInt64> stepSeed(Ops tf, Operand<TInt64> step, long seed, long stream) {
    return tf.stack(List.of(tf.constant(Seeds.mix(seed, 0x7e1L, stream)), step));
  }

  /** Uniform ±1 entries of the given shape from a stateless seed. */
  private static Operand<TFloat32> plusMinusOne(Ops tf, Operand<TInt64> seedPair, int... shape) {
    Operand<TInt32> bits = tf.random.statelessRandomUniformInt(tf.constant(shape), seedPair, tf.constant(0), tf.constant(2));
    return tf.math.sub(tf.math.mul(tf.dtypes.cast(bits, TFloat32.class), tf.constant(2f)), tf.constant(1f));
  }

  private static Operand<TFloat32> reshapeVector(Ops tf, Operand<TFloat32> v) {
    return tf.reshape(v, tf.constant(new int[] {1, -1}));
  }

  /** R = w·T / (|w| |T|) per chain. */
  private static Operand<TFloat32> overlap(Ops tf, Operand<TFloat32> w, Operand<TFloat32> teacher) {
    Operand<TFloat32> dot = tf.sum(tf.math.mul(w, reshapeVector(tf, teacher)), tf.constant(1));
    Operand<TFloat32> norms = tf.math.mul(tf.math.sqrt(tf.sum(tf.math.square(w), tf.constant(1))),
        tf.math.sqrt(tf.sum(tf.math.square(teacher), tf.constant(0))));
    Operand<TFloat32> r = tf.math.div(dot, norms);
    return tf.clipByValue(r, tf.constant(-1f), tf.constant(1f));
  }

  /** Standard error of the mean over the chains (sample standard deviation / √chains). */
  private static Operand<TFloat32> standardError(Ops tf, Operand<TFloat32> x, int chains) {
    Operand<TFloat32> mean = tf.math.mean(x, tf.constant(0));
    Operand<TFloat32> ss = tf.sum(tf.math.square(tf.math.sub(x, mean)), tf.constant(0));
    return tf.math.sqrt(tf.math.div(ss, tf.constant((float) (chains - 1) * chains)));
  }

  /**
   * Gaussian estimate (diagonal covariance) of S[p(w)] − S[p(w(0))] from the chains:
   * S ≈ Σ_i ½ ln(2πe σ_i²) with σ_i² estimated by the unbiased sample variance s_i² over the chains,
   * whose log is bias-corrected (E ln s² = ln σ² + ψ(ν/2) − ln(ν/2) for ν = chains − 1 degrees of
   * freedom); the initial entropy is exact, n/2 ln(2πe init_stddev²). Correlations between weight
   * components are neglected (a diagonal Gaussian), which overestimates S. With few chains the
   * estimate is noisy per component; the sum over n components averages that noise.
   */
  private static Operand<TFloat32> weightEntropyChangeGaussian(Ops tf, Operand<TFloat32> w, int chains, float initStd) {
    Operand<TFloat32> mean = tf.math.mean(w, tf.constant(0));
    Operand<TFloat32> var = tf.math.div(tf.sum(tf.math.square(tf.math.sub(w, mean)), tf.constant(0)),
        tf.constant((float) (chains - 1)));
    double dof = chains - 1;
    float bias = (float) (Theory.digamma(dof / 2) - Math.log(dof / 2));
    // Two float32 chains can coincide exactly in a component (rare, but n·steps chances): floor
    // the variance at 1e-12 of its mean so that one such component cannot make the sum −∞.
    Operand<TFloat32> floor = tf.math.mul(tf.math.mean(var, tf.constant(0)), tf.constant(1e-12f));
    Operand<TFloat32> logVar = tf.math.sub(tf.math.log(tf.math.maximum(var, floor)), tf.constant(bias));
    Operand<TFloat32> logInit = tf.constant((float) Math.log((double) initStd * initStd));
    return tf.math.mul(tf.constant(0.5f), tf.sum(tf.math.sub(logVar, logInit), tf.constant(0)));
  }

  /** ln 2 − h(ε) in nats, h(ε) = −ε ln ε − (1−ε) ln(1−ε). */
  private static Operand<TFloat32> infoPerLabel(Ops tf, Operand<TFloat32> eps) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> h = tf.math.neg(tf.math.add(tf.math.xlogy(eps, eps),
        tf.math.xlogy(tf.math.sub(one, eps), tf.math.sub(one, eps))));
    return tf.math.sub(tf.constant((float) Math.log(2)), h);
  }
}
