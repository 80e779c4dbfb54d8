package org.plasticity.thermo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.plasticity.config.DataConfig;
import org.plasticity.config.Experiment;
import org.plasticity.config.LangevinConfig;
import org.plasticity.core.Study;
import org.plasticity.thermo.StudySupport.RuleChoice;
import org.plasticity.viz.LinePlot;

/**
 * Learning-curve exponents in the noise-free online limit: one fresh example per step, no
 * thermal noise (D = 0), no weight decay (k = 0), and Δw = σ_T ξ 𝓕(A, σ_T)/√n (Δt = 1,
 * ν = 1/√n). ε against α = examples/n should fall as α^(−1/2) (Hebb), α^(−1/3) (perceptron) and
 * α^(−1) (AdaTron) (Biehl & Riegler 1994); the exponents are fitted as least-squares slopes of
 * ln ε against ln α over α ∈ [alphaFit, alphaMax], per seed (each seed's curve is its chains' mean).
 */
public final class LearningCurveStudy implements Study {
  private final int n;
  private final int chains;
  private final long[] seeds;
  private final double alphaMax;
  private final double alphaFit;

  public LearningCurveStudy(int n, int chains, long[] seeds, double alphaMax, double alphaFit) {
    this.n = n;
    this.chains = chains;
    this.seeds = seeds;
    this.alphaMax = alphaMax;
    this.alphaFit = alphaFit;
  }

  @Override
  public String id() {
    return "thermo-learning-curves";
  }

  @Override
  public String description() {
    return String.format("noise-free online learning curves eps(alpha), n=%d, fitted exponents vs -1/2, -1/3, -1", n);
  }

  @Override
  public void run(Path outDir, boolean quick, PrintStream out) {
    int n = quick ? 100 : this.n;
    long[] seeds = quick ? new long[] {1, 2} : this.seeds;
    double alphaMax = quick ? 20 : this.alphaMax;
    double alphaFit = quick ? 5 : this.alphaFit;
    long steps = Math.round(alphaMax * n);
    int logEvery = Math.max(1, n / 10);
    List<RuleChoice> rules = List.of(StudySupport.ALL_RULES.get(0), StudySupport.ALL_RULES.get(1), StudySupport.ALL_RULES.get(2));
    double[] theory = {-0.5, -1.0 / 3, -1.0};
    StringBuilder table = new StringBuilder(String.format(
        "Noise-free online learning (D = 0, k = 0, batch 1, dt = 1, nu = 1/sqrt(n)), n = %d, %d chains x seeds %s, "
            + "%d steps (alpha up to %.0f), w(0) ~ N(0, 0.01^2); slope of ln eps vs ln alpha over alpha in [%.0f, %.0f]; %s",
        n, chains, java.util.Arrays.toString(seeds), steps, alphaMax, alphaFit, alphaMax, StudySupport.stamp()));
    table.append(StudySupport.header("rule", "fitted exponent (mean ± SE over seeds)", "per seed", "theory",
        "eps at alpha = " + (int) alphaMax));
    LinePlot plot = new LinePlot("Noise-free online learning, n = " + n, "alpha = examples / n", "eps").logX().logY();
    for (int ri = 0; ri < rules.size(); ri++) {
      RuleChoice rule = rules.get(ri);
      double[] slopes = new double[seeds.length];
      double[] finals = new double[seeds.length];
      double[] meanCurve = null;
      double[] alphas = null;
      for (int i = 0; i < seeds.length; i++) {
        LangevinConfig c = LangevinConfig.newBuilder().setN(n).setChains(chains).setRule(rule.rule())
            .setAlpha(rule.alpha()).setK(0).setDiffusion(0).setDt(1).setNuScale(1).setNuExponent(-0.5f)
            .setInitStddev(0.01f).build();
        Experiment e = Experiment.newBuilder().setName("thermo-online-" + rule.label()).setSeed(seeds[i])
            .setData(DataConfig.newBuilder().setSource(DataConfig.Source.TEACHER_PERCEPTRON).setGeneratedTestSize(0))
            .setTrain(StudySupport.single(steps, 1, logEvery)).setLangevin(c).build();
        out.printf("%s seed %d: %d steps%n", rule.label(), seeds[i], steps);
        ThermoRun.Result res = ThermoRun.run(e, outDir.resolve("runs").resolve(rule.label() + "-seed" + seeds[i]), null);
        double[] eps = res.values("eps");
        double[] a = new double[eps.length];
        List<Double> lx = new ArrayList<>();
        List<Double> ly = new ArrayList<>();
        for (int j = 0; j < eps.length; j++) {
          a[j] = res.steps().get(j) / (double) n;
          if (a[j] >= alphaFit && eps[j] > 0) {
            lx.add(Math.log(a[j]));
            ly.add(Math.log(eps[j]));
          }
        }
        slopes[i] = StudySupport.slope(lx.stream().mapToDouble(Double::doubleValue).toArray(),
            ly.stream().mapToDouble(Double::doubleValue).toArray());
        finals[i] = eps[eps.length - 1];
        out.printf("  slope %.4f  eps(end) %.5f%n", slopes[i], finals[i]);
        if (meanCurve == null) {
          meanCurve = eps.clone();
          alphas = a;
        } else {
          for (int j = 0; j < eps.length; j++) {
            meanCurve[j] += eps[j];
          }
        }
      }
      for (int j = 0; j < meanCurve.length; j++) {
        meanCurve[j] /= seeds.length;
      }
      plot.series(rule.label(), alphas, meanCurve);
      // Theory guide: the slope anchored at the simulated curve's value at alphaFit.
      double anchor = meanCurve[Math.max(0, (int) Math.round(alphaFit * n / logEvery) - 1)];
      double[] gx = {alphaFit, alphaMax};
      double[] gy = {anchor, anchor * Math.pow(alphaMax / alphaFit, theory[ri])};
      plot.series(String.format("alpha^(%.2f)", theory[ri]), gx, gy);
      StringBuilder per = new StringBuilder();
      for (double s : slopes) {
        per.append(per.length() == 0 ? "" : ", ").append(String.format("%.3f", s));
      }
      table.append(StudySupport.row(rule.label(),
          StudySupport.pm("%.3f", StudySupport.mean(slopes), StudySupport.se(slopes)), per,
          String.format("%.3f", theory[ri]),
          StudySupport.pm("%.4f", StudySupport.mean(finals), StudySupport.se(finals))));
    }
    plot.save(outDir.resolve(id() + "-eps.png"));
    StudySupport.write(outDir.resolve("table.md"), table.toString(), out);
  }
}
