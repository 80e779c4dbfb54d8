package org.plasticity.thermo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticity.core.Study;

class ThermoStudiesTest {
  @TempDir
  Path dir;

  @Test
  void studiesAreRegisteredUnderDistinctIds() {
    Set<String> ids = ThermoStudies.all().stream().map(Study::id).collect(Collectors.toSet());
    assertEquals(ThermoStudies.all().size(), ids.size());
    assertTrue(ids.containsAll(Set.of("thermo-rules", "thermo-hebb-theory", "thermo-step-size", "thermo-learning-curves")));
  }

  @Test
  void quickLearningCurveStudyWritesItsTableAndPlot() throws Exception {
    Study s = ThermoStudies.all().stream().filter(x -> x.id().equals("thermo-learning-curves")).findFirst().orElseThrow();
    s.run(dir, true, new PrintStream(OutputStream.nullOutputStream()));
    String table = Files.readString(dir.resolve("table.md"));
    for (String rule : new String[] {"hebbian", "perceptron", "adatron"}) {
      assertTrue(table.contains("| " + rule + " |"), table);
    }
    assertTrue(Files.size(dir.resolve("thermo-learning-curves-eps.png")) > 1000);
  }
}
