package org.plasticity.thermo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.plasticity.config.Experiment;
import org.plasticity.config.LangevinConfig;
import org.plasticity.core.Study;
import org.plasticity.thermo.StudySupport.RuleChoice;
import org.plasticity.viz.LinePlot;

/**
 * Steady states against the Hebbian closed form ({@link Theory}): either across sizes n at the
 * seed's Δt ("thermo-hebb-theory"), or across Δt ∈ {1e-3, 3e-4, 1e-4} at one n, for the Hebbian
 * and perceptron rules ("thermo-step-size"), since time-scale separation is the weak point.
 */
public final class SteadyStateStudy implements Study {
  /** One simulated setting: size, step, chains, seeds. */
  public record Setting(int n, double dt, int chains, long[] seeds) {}

  private final String id;
  private final String what;
  private final List<RuleChoice> rules;
  private final List<Setting> settings;
  private final double time;
  private final double window;

  public SteadyStateStudy(String id, String what, List<RuleChoice> rules, List<Setting> settings, double time, double window) {
    this.id = id;
    this.what = what;
    this.rules = rules;
    this.settings = settings;
    this.time = time;
    this.window = window;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return what;
  }

  @Override
  public void run(Path outDir, boolean quick, PrintStream out) {
    StringBuilder table = new StringBuilder();
    double time = quick ? 1.0 : this.time;
    double window = quick ? 0.5 : this.window;
    table.append(String.format("%s%nk = 1, nu = 3 sqrt(n), D = 1, batch 30, run time t = %.1f, steady state = mean over t in [%.1f, %.1f]; %s",
        what, time, time - window, time, StudySupport.stamp()));
    table.append(StudySupport.header("rule", "n", "dt", "chains x seeds", "steps", "R theory", "R simulated",
        "eps theory", "eps simulated", "held-out error (end)", "entropy prod. rate theory", "entropy prod. rate simulated"));
    LinePlot plot = new LinePlot(id + ": steady-state generalisation error", "dt", "eps").logX();
    for (RuleChoice rule : rules) {
      double[] xs = new double[settings.size()];
      double[] ys = new double[settings.size()];
      double[] th = new double[settings.size()];
      int idx = 0;
      for (Setting s : settings) {
        // Quick: small n and 10x larger steps, kept distinct per setting.
        int n = quick ? Math.min(s.n(), 100 * (idx + 1)) : s.n();
        long[] seeds = quick ? new long[] {1, 2} : s.seeds();
        double dt = quick ? 10 * s.dt() : s.dt();
        long steps = Math.round(time / dt);
        long ssStep = Math.round((time - window) / dt);
        double[] r = new double[seeds.length];
        double[] eps = new double[seeds.length];
        double[] held = new double[seeds.length];
        double[] sigma = new double[seeds.length];
        double rSe = 0;
        double epsSe = 0;
        LangevinConfig cfg = null;
        for (int i = 0; i < seeds.length; i++) {
          Experiment e = StudySupport.langevin("thermo-" + rule.label(), seeds[i], n, s.chains(), rule, dt, time, 100);
          cfg = e.getLangevin();
          out.printf("%s n=%d dt=%g seed %d: %d steps%n", rule.label(), n, dt, seeds[i], steps);
          ThermoRun.Result res = ThermoRun.run(e, outDir.resolve("runs")
              .resolve(String.format("%s-n%d-dt%g-seed%d", rule.label(), n, dt, seeds[i])), null);
          if (!res.ok()) {
            throw new org.plasticity.core.UserError(id + ": " + rule.label() + " n=" + n + " dt=" + dt + ": " + res.diverged());
          }
          r[i] = res.meanFrom("R", ssStep);
          eps[i] = res.meanFrom("eps", ssStep);
          rSe = res.meanFrom("R_se", ssStep);
          epsSe = res.meanFrom("eps_se", ssStep);
          held[i] = res.eval().get("heldout_error");
          sigma[i] = res.rateFrom("heat_cumulative", ssStep, dt) / cfg.getDiffusion();
          out.printf("  R %.5f  eps %.5f  held-out %.5f  sigma %.5g%n", r[i], eps[i], held[i], sigma[i]);
        }
        boolean hebb = rule.rule() == LangevinConfig.Rule.HEBBIAN;
        // One seed: the error bar is the chains' standard error of the instantaneous value
        // (averaged over the window), a conservative bar for the time average.
        double rErr = seeds.length > 1 ? StudySupport.se(r) : rSe;
        double eErr = seeds.length > 1 ? StudySupport.se(eps) : epsSe;
        table.append(StudySupport.row(rule.label(), n, dt, s.chains() + " x " + seeds.length, steps,
            hebb ? String.format("%.4f", Theory.hebbR(cfg, 30)) : "—",
            StudySupport.pm("%.4f", StudySupport.mean(r), rErr),
            hebb ? String.format("%.4f", Theory.hebbEps(cfg, 30)) : "—",
            StudySupport.pm("%.4f", StudySupport.mean(eps), eErr),
            StudySupport.pm("%.4f", StudySupport.mean(held), StudySupport.se(held)),
            hebb ? String.format("%.4g", Theory.hebbHeatRate(cfg, 30) / cfg.getDiffusion()) : "—",
            StudySupport.pm("%.4g", StudySupport.mean(sigma), StudySupport.se(sigma))));
        xs[idx] = dt;
        ys[idx] = StudySupport.mean(eps);
        th[idx] = hebb ? Theory.hebbEps(cfg, 30) : Double.NaN;
        idx++;
      }
      // Lines through the simulated points (LinePlot draws no markers).
      plot.series(rule.label() + " simulated", xs, ys);
      if (rule.rule() == LangevinConfig.Rule.HEBBIAN) {
        plot.series("hebbian theory", xs, th);
      }
    }
    if (settings.stream().mapToDouble(Setting::dt).distinct().count() > 1) {
      plot.save(outDir.resolve(id + "-eps.png"));
    }
    StudySupport.write(outDir.resolve("table.md"), table.toString(), out);
  }
}
