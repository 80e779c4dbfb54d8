package org.plasticity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticity.config.Configs;
import org.plasticity.config.Experiment;
import org.plasticity.core.MetricsLog;
import org.plasticity.core.RunDirectory;
import org.plasticity.core.UserError;
import org.plasticity.data.Datasets;
import org.plasticity.testing.TestData;
import org.plasticity.testing.TestRuns;

/** A distilled run records its teacher's fingerprint, and a resume refuses a replaced teacher. */
class TeacherResumeTest {
  @TempDir
  Path tmp;

  @Test
  void aResumedRunRefusesAReplacedTeacher() throws Exception {
    Path data = TestData.writeMnistLike(tmp.resolve("d"), 60, 20, 4);
    Path teacher = tmp.resolve("teacher");
    TestData.writeLinearTeacher(teacher, 1);
    Experiment e = Configs.merge(TestRuns.smallMnistManifold(data, 4, 10),
        "data { teacher: '" + teacher + "' teacher_weight: 0.5 teacher_temperature: 2 }"
            + " train { export_at_end: false eval_every: 0 }");
    Path config = tmp.resolve("taught.pbtxt");
    Files.writeString(config, Configs.toText(e));
    Path runDir = tmp.resolve("runs").resolve("taught");
    assertEquals(0, Main.execute("train", config.toString(), "--checkpoints", tmp.resolve("runs").toString(),
        "--run", "taught"));
    String recorded = RunDirectory.open(runDir.toString()).record().get(TrainCommand.TEACHER_SHA256).getAsString();
    assertEquals(64, recorded.length());
    assertEquals(Datasets.teacherFingerprint(e), recorded);

    // the same teacher: the run extends
    assertEquals(0, Main.execute("train", "--resume", runDir.toString(), "--steps", "15"));
    long lastStep = new MetricsLog(runDir.resolve("metrics.jsonl")).read().stream()
        .mapToLong(m -> m.get("step").getAsLong()).max().orElseThrow();
    assertEquals(15, lastStep);

    // a teacher re-exported with other weights: a one-line data.teacher error, nothing trained
    TestData.writeLinearTeacher(teacher, 2);
    assertNotEquals(recorded, Datasets.teacherFingerprint(e));
    UserError err = assertThrows(UserError.class,
        () -> TrainCommand.checkTeacher(RunDirectory.open(runDir.toString()), () -> Datasets.teacherFingerprint(e)));
    assertTrue(err.getMessage().startsWith("data.teacher: " + teacher + " is not the teacher this run started with"),
        err.getMessage());
    assertEquals(1, err.getMessage().lines().count());
    assertNotEquals(0, Main.execute("train", "--resume", runDir.toString(), "--steps", "20"));
    assertEquals(lastStep, new MetricsLog(runDir.resolve("metrics.jsonl")).read().stream()
        .mapToLong(m -> m.get("step").getAsLong()).max().orElseThrow());
  }

  /** A run recorded before teachers were fingerprinted resumes unchecked, without hashing its teacher. */
  @Test
  void aRunWithoutARecordedFingerprintIsNeitherCheckedNorHashed() throws Exception {
    Path data = TestData.writeMnistLike(tmp.resolve("d"), 20, 10, 4);
    Experiment e = TestRuns.smallMnistManifold(data, 4, 10);
    com.google.gson.JsonObject record = new com.google.gson.JsonObject();
    record.addProperty("seed", 7);
    RunDirectory run = RunDirectory.create(tmp.resolve("old"), e, record);
    TrainCommand.checkTeacher(run, () -> {
      throw new AssertionError("the teacher was hashed");
    });
  }
}
