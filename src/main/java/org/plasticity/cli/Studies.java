package org.plasticity.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plasticity.core.Study;

/** Every registered study, by id. Each learning system adds its own here. */
public final class Studies {
  private Studies() {}

  public static Map<String, Study> all() {
    Map<String, Study> m = new LinkedHashMap<>();
    List<Study> studies = new java.util.ArrayList<>(List.<Study>of(
        // learning systems register their studies here
        ));
    studies.addAll(org.plasticity.dni.DniStudies.all());
    for (Study s : studies) {
      m.put(s.id(), s);
    }
    return m;
  }
}
