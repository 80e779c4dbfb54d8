package org.plasticity.thermo;

import java.util.List;
import org.plasticity.core.Study;
import org.plasticity.thermo.SteadyStateStudy.Setting;

/** The thermo package's reproductions, at the scales that fit a shared 2-core machine (see docs/RESULTS.md). */
public final class ThermoStudies {
  private ThermoStudies() {}

  public static List<Study> all() {
    StudySupport.RuleChoice hebb = StudySupport.ALL_RULES.get(0);
    StudySupport.RuleChoice perceptron = StudySupport.ALL_RULES.get(1);
    return List.of(
        // The seed's setting (n = 10,000), two teachers (seeds) x 2 chains: the eps(t) plot of every rule.
        new RulesStudy("thermo-rules", 10000, 2, new long[] {1, 2}, 6),
        // The same at n = 1,000 with three teachers (seeds): the table's mean ± SE.
        new RulesStudy("thermo-rules-n1000", 1000, 2, new long[] {1, 2, 3}, 6),
        // And at n = 100, where the efficiency as defined exceeds 1 (see docs/RESULTS.md).
        new RulesStudy("thermo-rules-n100", 100, 4, new long[] {1, 2, 3}, 6),
        new SteadyStateStudy("thermo-hebb-theory",
            "Hebbian steady state vs its closed form for n = 100, 1,000, 10,000 at dt = 1e-3",
            List.of(hebb),
            List.of(new Setting(100, 1e-3, 8, new long[] {1, 2, 3}),
                new Setting(1000, 1e-3, 4, new long[] {1, 2, 3}),
                new Setting(10000, 1e-3, 4, new long[] {1})),
            7, 2),
        new SteadyStateStudy("thermo-step-size",
            "Steady-state eps for dt = 1e-3, 3e-4, 1e-4 (Hebbian with its closed form, and perceptron), n = 1,000",
            List.of(hebb, perceptron),
            List.of(new Setting(1000, 1e-3, 2, new long[] {1, 2}),
                new Setting(1000, 3e-4, 2, new long[] {1, 2}),
                new Setting(1000, 1e-4, 2, new long[] {1, 2})),
            6, 2),
        // The seed's n = 10,000, where the mini-batch noise matters most (Hebbian only, one teacher).
        new SteadyStateStudy("thermo-step-size-n10000",
            "Hebbian steady-state eps for dt = 1e-3, 3e-4, 1e-4 at the seed's n = 10,000, vs the closed form",
            List.of(hebb),
            List.of(new Setting(10000, 1e-3, 2, new long[] {1}),
                new Setting(10000, 3e-4, 2, new long[] {1}),
                new Setting(10000, 1e-4, 2, new long[] {1})),
            6, 2),
        new LearningCurveStudy(500, 8, new long[] {1, 2, 3}, 100, 10));
  }
}
