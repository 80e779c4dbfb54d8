package org.plasticity.thermo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.plasticity.config.Experiment;
import org.plasticity.config.LangevinConfig;
import org.plasticity.core.Study;
import org.plasticity.thermo.StudySupport.RuleChoice;
import org.plasticity.viz.LinePlot;

/**
 * ε(t) of every rule on one plot, and a table of the steady state per rule: ε, held-out error,
 * entropy production rate with its input-variance part, the Gaussian ΔS_w, and the learning
 * efficiency η = I/ΔS_tot at the end of the run (checked ≤ 1 in every run).
 */
public final class RulesStudy implements Study {
  private final String id;
  private final int n;
  private final int chains;
  private final long[] seeds;
  private final double time;

  public RulesStudy(String id, int n, int chains, long[] seeds, double time) {
    this.id = id;
    this.n = n;
    this.chains = chains;
    this.seeds = seeds;
    this.time = time;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return String.format("Langevin perceptron, all rules, n=%d, %d chains x %d seeds, t=%.0f: eps(t), steady eps, "
        + "entropy production, efficiency", n, chains, seeds.length, time);
  }

  @Override
  public void run(Path outDir, boolean quick, PrintStream out) {
    int n = quick ? 100 : this.n;
    long[] seeds = quick ? new long[] {1, 2} : this.seeds;
    double time = quick ? 1.0 : this.time;
    double dt = 1e-3;
    double window = quick ? 0.5 : 2.0; // steady state: the last `window` time units
    long steps = Math.round(time / dt);
    long ssStep = Math.round((time - window) / dt);
    StringBuilder table = new StringBuilder();
    table.append(String.format("Langevin perceptron, n = %d, k = 1, nu = 3 sqrt(n) = %.1f, D = 1, dt = %g, batch 30, "
        + "%d chains x seeds %s, %d steps (t = %.1f); steady state = mean over t in [%.1f, %.1f]; %s%n",
        n, 3 * Math.sqrt(n), dt, chains, java.util.Arrays.toString(seeds), steps, time, time - window, time,
        StudySupport.stamp()));
    table.append(StudySupport.header("rule", "eps steady", "held-out error (end)", "R steady", "‖w‖ (end)",
        "entropy production rate (1/time)", "input-variance part", "mean-force part", "Delta S_w Gaussian (end)",
        "eta = I/Delta S_tot (end)", "eta <= 1"));
    LinePlot plot = new LinePlot(String.format("Langevin perceptron, n = %d: generalisation error", n), "time t", "eps = arccos(R)/pi");
    List<String> violations = new ArrayList<>();
    for (RuleChoice rule : StudySupport.ALL_RULES) {
      // Per converged seed: eps, chainSe, held, R, sigma, sigmaVar, dS, eta, |w|.
      List<double[]> rows = new ArrayList<>();
      List<String> diverged = new ArrayList<>();
      List<String> runaway = new ArrayList<>();
      double[] curveX = null;
      double[] curve = null;
      int curves = 0;
      for (long seed : seeds) {
        Experiment e = StudySupport.langevin("thermo-" + rule.label(), seed, n, chains, rule, dt, time, 100);
        out.printf("%s seed %d: %d steps%n", rule.label(), seed, steps);
        ThermoRun.Result res = ThermoRun.run(e, outDir.resolve("runs").resolve(rule.label() + "-seed" + seed), null);
        double[] x = new double[res.steps().size()];
        for (int j = 0; j < x.length; j++) {
          x[j] = res.steps().get(j) * dt;
        }
        if (!res.ok()) {
          double t = x.length > 0 ? x[x.length - 1] : 0;
          diverged.add(String.format("seed %d after t = %.2f", seed, t));
          out.printf("  diverged: %s%n", res.diverged());
          if (diverged.size() == 1 && x.length > 0) {
            plot.series(rule.label() + " (diverged, seed " + seed + ")", x, res.values("eps"));
          }
          continue;
        }
        double kT = e.getLangevin().getDiffusion();
        double[] v = {
            res.meanFrom("eps", ssStep), res.meanFrom("eps_se", ssStep), res.eval().get("heldout_error"),
            res.meanFrom("R", ssStep),
            res.rateFrom("heat_cumulative", ssStep, dt) / kT,
            res.meanFrom("heat_rate_input_variance", ssStep) / kT,
            res.last("weight_entropy_change_gaussian"), res.last("efficiency"), res.last("w_norm")};
        rows.add(v);
        double growth = res.last("w_norm") / res.at("w_norm", ssStep);
        if (growth > 1.2) {
          runaway.add(String.format("seed %d: ‖w‖ x%.3g over the window", seed, growth));
        }
        if (!(v[7] <= 1)) {
          violations.add(String.format("%s seed %d: eta = %.4g", rule.label(), seed, v[7]));
        }
        out.printf("  eps %.4f  held-out %.4f  sigma %.4g  eta %.4g%n", v[0], v[2], v[4], v[7]);
        double[] y = res.values("eps");
        if (curve == null) {
          curveX = x;
          curve = y.clone();
        } else {
          for (int j = 0; j < curve.length; j++) {
            curve[j] += y[j];
          }
        }
        curves++;
      }
      String note = (diverged.isEmpty() ? "" : " (diverged: " + String.join(", ", diverged) + ")")
          + (runaway.isEmpty() ? "" : " (no steady state, " + String.join(", ", runaway) + ")");
      if (rows.isEmpty()) {
        table.append(StudySupport.row(rule.label() + note, "—", "—", "—", "—", "—", "—", "—", "—", "—", "—"));
        continue;
      }
      for (int j = 0; j < curve.length; j++) {
        curve[j] /= curves;
      }
      plot.series(rule.label(), curveX, curve);
      double[][] col = new double[9][rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        for (int c = 0; c < 9; c++) {
          col[c][i] = rows.get(i)[c];
        }
      }
      double[] meanForce = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        meanForce[i] = col[4][i] - col[5][i];
      }
      double epsSe = rows.size() > 1 ? StudySupport.se(col[0]) : col[1][0];
      table.append(StudySupport.row(rule.label() + note,
          StudySupport.pm("%.4f", StudySupport.mean(col[0]), epsSe),
          StudySupport.pm("%.4f", StudySupport.mean(col[2]), StudySupport.se(col[2])),
          StudySupport.pm("%.4f", StudySupport.mean(col[3]), StudySupport.se(col[3])),
          StudySupport.pm("%.4g", StudySupport.mean(col[8]), StudySupport.se(col[8])),
          StudySupport.pm("%.4g", StudySupport.mean(col[4]), StudySupport.se(col[4])),
          StudySupport.pm("%.4g", StudySupport.mean(col[5]), StudySupport.se(col[5])),
          StudySupport.pm("%.3g", StudySupport.mean(meanForce), StudySupport.se(meanForce)),
          StudySupport.pm("%.4g", StudySupport.mean(col[6]), StudySupport.se(col[6])),
          StudySupport.pm("%.4g", StudySupport.mean(col[7]), StudySupport.se(col[7])),
          violationsFor(col[7])));
    }
    LangevinConfig hebb = StudySupport.langevin("x", 1, n, chains, StudySupport.ALL_RULES.get(0), dt, time, 1).getLangevin();
    double theory = Theory.hebbEps(hebb, 30);
    plot.hline(String.format("Hebbian theory %.4f", theory), theory, 0, time);
    plot.save(outDir.resolve(id + "-eps.png"));
    table.append(String.format("%nHebbian closed form at this n and dt: eps = %.4f, R = %.4f, entropy production rate = %.4g.%n",
        theory, Theory.hebbR(hebb, 30), Theory.hebbHeatRate(hebb, 30)));
    table.append(violations.isEmpty() ? "eta <= 1 held in every run.\n"
        : "eta > 1 in " + violations.size() + " run(s): " + String.join("; ", violations) + "\n");
    StudySupport.write(outDir.resolve("table.md"), table.toString(), out);
  }

  private static String violationsFor(double[] eta) {
    int bad = 0;
    for (double v : eta) {
      if (!(v <= 1)) {
        bad++;
      }
    }
    return bad == 0 ? "yes (all " + eta.length + ")" : "NO in " + bad + " of " + eta.length;
  }
}
