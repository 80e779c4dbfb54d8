package org.plasticity.thermo;

import org.plasticity.config.LangevinConfig;

/**
 * Closed forms for the Hebbian student at steady state, and small math helpers.
 *
 * <p><b>Hebbian steady state (derivation).</b> With 𝓕 = 1 the learning force does not depend on
 * w: F = −k w + ν m_t, m_t = (1/B) Σ_b σ_b ξ_b. For ξ uniform on {−1,+1}ⁿ and h = T·ξ, the pair
 * (ξ_i, h) has E[ξ_i h] = T_i and Var h = |T|² (because E[ξ ξᵀ] = I); for large n, h is Gaussian
 * (central limit) and E[ξ_i sign h] = E[ξ_i h] √(2/π) / |T|, so
 * <pre>   m̄ = E[σ_T ξ] = √(2/π) T/|T|,    Var(σ_T ξ_i) = 1 − (2/π) T_i²/|T|².</pre>
 * The Euler–Maruyama chain w' = (1 − k Δt) w + Δt ν m_t + √(2DΔt) η is linear with independent
 * kicks, so its stationary law is Gaussian with mean w̄ = ν m̄ / k (|w̄| = ν √(2/π)/k) and per
 * component variance
 * <pre>   v_i = [2D + Δt ν² Var(m_i)] / (k (2 − k Δt)),   Var(m_i) = Var(σ_T ξ_i)/B.</pre>
 * (Δt → 0: v = D/k, the Ornstein–Uhlenbeck value; the Δt ν² Var(m)/B term is the mini-batch
 * noise of the inputs, which vanishes only when inputs are infinitely faster than the weights.)
 * For large n, |w|² concentrates at |w̄|² + Σ_i v_i and w·T/|T| at |w̄|, so
 * <pre>   R = |w̄| / √(|w̄|² + Σ_i v_i),   ε = arccos(R)/π,</pre>
 * with Σ_i Var(σ_T ξ_i) = n − 2/π. Fluctuations of the numerator and the CLT error of m̄ for ±1
 * inputs give corrections of relative order 1/n.
 *
 * <p>Steady heat rate: with dq = F(w_mid)·dw, the decay part −(k/2)(|w'|² − |w|²) averages to zero
 * at stationarity and ν m_t·dw averages to Δt ν² (E|m_t|² − |m̄|²), so
 * <pre>   q̇ = ν² Σ_i Var(m_i) = ν² (n − 2/π) / B,</pre>
 * independent of k, D and Δt: all of it comes from the variance of the force over inputs (the
 * mean Hebbian force is conservative).
 */
public final class Theory {
  private Theory() {}

  /** Σ_i Var(σ_T ξ_i) for large n. */
  public static double inputVarianceSum(int n) {
    return n - 2 / Math.PI;
  }

  /** Steady-state |w̄| of the Hebbian student. */
  public static double hebbMeanNorm(LangevinConfig c) {
    return LangevinPerceptron.nu(c) * Math.sqrt(2 / Math.PI) / c.getK();
  }

  /** Σ_i v_i of the stationary Hebbian Gaussian, for the EM step Δt and batch B. */
  public static double hebbVarianceSum(LangevinConfig c, int batch) {
    double nu = LangevinPerceptron.nu(c);
    double k = c.getK();
    double dt = c.getDt();
    double noise = 2 * c.getDiffusion() * c.getN() + dt * nu * nu * inputVarianceSum(c.getN()) / batch;
    return noise / (k * (2 - k * dt));
  }

  /** Steady-state teacher overlap R of the Hebbian student (large n). */
  public static double hebbR(LangevinConfig c, int batch) {
    double a = hebbMeanNorm(c);
    return a / Math.sqrt(a * a + hebbVarianceSum(c, batch));
  }

  /** Steady-state generalisation error arccos(R)/π of the Hebbian student. */
  public static double hebbEps(LangevinConfig c, int batch) {
    return Math.acos(hebbR(c, batch)) / Math.PI;
  }

  /** Steady-state heat rate of the Hebbian student, ν² (n − 2/π)/B. */
  public static double hebbHeatRate(LangevinConfig c, int batch) {
    double nu = LangevinPerceptron.nu(c);
    return nu * nu * inputVarianceSum(c.getN()) / batch;
  }

  /** Binary entropy in nats. */
  public static double binaryEntropy(double p) {
    if (p <= 0 || p >= 1) {
      return 0;
    }
    return -p * Math.log(p) - (1 - p) * Math.log(1 - p);
  }

  /** Digamma ψ(x) for x > 0 (recurrence up to x ≥ 6, then the asymptotic series). */
  public static double digamma(double x) {
    if (!(x > 0)) {
      throw new IllegalArgumentException("digamma: expected x > 0, got " + x);
    }
    double r = 0;
    while (x < 6) {
      r -= 1 / x;
      x += 1;
    }
    double f = 1 / (x * x);
    return r + Math.log(x) - 0.5 / x
        - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
  }
}
