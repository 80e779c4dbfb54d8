package org.plasticity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticity.config.Configs;
import org.plasticity.config.Experiment;
import org.plasticity.testing.TestData;
import org.plasticity.testing.TestRuns;

/** {@code plasticity eval} of a small trained manifold: its checkpoint, its dense and its pruned export. */
class EvalCommandTest {
  @TempDir
  Path tmp;

  @Test
  void prunedExportScoresAsTheDenseExportAndTheCheckpoint() throws Exception {
    Path data = TestData.writeMnistLike(tmp.resolve("d"), 60, 40, 5);
    Experiment e = Configs.merge(TestRuns.smallMnistManifold(data, 8, 30), "train { eval_every: 0 }");
    Path config = tmp.resolve("small.pbtxt");
    Files.writeString(config, Configs.toText(e));
    Path runs = tmp.resolve("runs");
    assertEquals(0, Main.execute("train", config.toString(), "--checkpoints", runs.toString(), "--run", "small"));
    String run = runs.resolve("small").toString();
    assertEquals(1, Main.execute("eval", run, "--pruned"), "no pruned export yet: a user error");
    assertEquals(0, Main.execute("export", run, "--pruned"));
    assertEquals(1, Main.execute("eval", run, "--pruned", "--saved-model"), "both: a user error");

    double checkpoint = accuracy(eval(run), "checkpoint step 30");
    double dense = accuracy(eval(run, "--saved-model"), "saved_model,");
    double pruned = accuracy(eval(run, "--pruned"), "saved_model_pruned,");
    assertTrue(checkpoint > 0 && checkpoint <= 1, "accuracy " + checkpoint);
    assertEquals(checkpoint, dense, 1e-9);
    assertEquals(dense, pruned, 1e-9);
  }

  private static String eval(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = System.out;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      String[] all = new String[args.length + 1];
      all[0] = "eval";
      System.arraycopy(args, 0, all, 1, args.length);
      assertEquals(0, Main.execute(all));
    } finally {
      System.setOut(out);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  /** The test accuracy eval printed, after checking its header names what was evaluated. */
  private static double accuracy(String text, String header) {
    assertTrue(text.contains(header) && text.contains("40 test examples"), text);
    Matcher m = Pattern.compile("test/accuracy = ([0-9.]+)").matcher(text);
    assertTrue(m.find(), text);
    return Double.parseDouble(m.group(1));
  }
}
