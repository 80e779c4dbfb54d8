package org.plasticity.hopfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticity.config.DataConfig;
import org.plasticity.config.Experiment;
import org.plasticity.config.HopfieldConfig;
import org.plasticity.config.TrainConfig;
import org.plasticity.core.Placement;
import org.plasticity.core.RunDirectory;
import org.plasticity.core.Tensors;
import org.plasticity.core.Trainer;
import org.plasticity.core.TrainingGraph;
import org.plasticity.data.Dataset;
import org.plasticity.data.Datasets;
import org.plasticity.data.RandomPatterns;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

class HopfieldSystemTest {
  /** The generic trainer stores 5 patterns in 64 units (Storkey); all are retrieved; the export retrieves too. */
  @Test
  void trainsEvaluatesAndExports(@TempDir Path dir) {
    Experiment e = Experiment.newBuilder().setSeed(3)
        .setData(DataConfig.newBuilder().setSource(DataConfig.Source.RANDOM_PATTERNS))
        .setTrain(TrainConfig.newBuilder().setSteps(1).setBatchSize(5).setLogEvery(1).setEvalBatchSize(5)
            .setTensorboard(false).setIntraOpThreads(1).setInterOpThreads(1))
        .setHopfield(HopfieldConfig.newBuilder().setUnits(64).setPatterns(5).setRule(HopfieldConfig.Rule.STORKEY))
        .build();
    Dataset data = Datasets.open(e);
    RunDirectory run = RunDirectory.create(dir.resolve("run"), e, new JsonObject());
    try (TrainingGraph g = new HopfieldSystem().build(e, data.widths(), Placement.CPU)) {
      Map<String, Double> m = new Trainer(e, g, data, run).train(false);
      assertEquals(1.0, m.get("test/fixed_point_fraction"), 1e-9);
      assertEquals(1.0, m.get("test/perfect_retrieval"), 1e-9);
    }
    assertTrue(Files.isDirectory(run.savedModel()));
    float[] x = RandomPatterns.draw(5, 64, 3);
    float[] probe = x.clone();
    for (int i = 0; i < 5; i++) {
      probe[i * 64] = -probe[i * 64];
      probe[i * 64 + 7] = -probe[i * 64 + 7];
    }
    try (SavedModelBundle b = SavedModelBundle.load(run.savedModel().toString(), "serve");
        TFloat32 in = Tensors.matrix(probe, 5, 64);
        Result out = b.function("retrieve").call(Map.of("probe", in))) {
      float[] got = Tensors.toArray((TFloat32) out.get("retrieved").orElseThrow());
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i], got[i], "unit " + i);
      }
    }
  }
}
