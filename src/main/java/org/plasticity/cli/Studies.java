package org.plasticity.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plasticity.core.Study;
import org.plasticity.thermo.ThermoStudies;
import org.plasticity.hopfield.CapacityStudy;
import org.plasticity.hopfield.ModernMnistStudy;
import org.plasticity.local.HeatExchangerStudy;
import org.plasticity.local.RecirculationStudy;

/** Every registered study, by id. Each learning system adds its own here. */
public final class Studies {
  private Studies() {}

  public static Map<String, Study> all() {
    Map<String, Study> m = new LinkedHashMap<>();
    List<Study> studies = new java.util.ArrayList<>(List.<Study>of(
        org.plasticity.manifold.TradeoffStudy.sessionTwo(),
        org.plasticity.manifold.TradeoffStudy.calibrated(),
        org.plasticity.manifold.TradeoffStudy.pathsOnly(),
        new org.plasticity.manifold.CostModelStudy(),
        new RecirculationStudy(4, 2, 200, 1000),
        new RecirculationStudy(8, 3, 200, 1000),
        new HeatExchangerStudy(),
        new CapacityStudy(),
        new ModernMnistStudy()));
    studies.addAll(ThermoStudies.all());
    studies.addAll(org.plasticity.dni.DniStudies.all());
    for (Study s : studies) {
      m.put(s.id(), s);
    }
    return m;
  }
}
