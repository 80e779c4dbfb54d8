package org.plasticity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.plasticity.config.Configs;
import org.plasticity.config.Experiment;
import org.plasticity.testing.TestData;
import org.plasticity.testing.TestRuns;

/** {@code plasticity bench} on a small trained manifold: training configurations and both exports. */
class BenchCommandTest {
  @TempDir
  Path tmp;

  /**
   * Two training configurations are timed in interleaved rounds with exactly --steps steps each
   * and a speed-up of the second against the first; the dense and the pruned export are timed at
   * batch 1 and at the whole (20-example) test set, under TF's thread pools and in the calling
   * thread, each with a positive time and a speed-up. A model that deskews its inputs also has the
   * deskewing's share timed.
   */
  @ParameterizedTest(name = "deskew_inputs: {0}")
  @ValueSource(booleans = {false, true})
  void timesTrainingConfigurationsAndBothExportsUnderBothServingSettings(boolean deskew) throws Exception {
    Path data = TestData.writeMnistLike(tmp.resolve("d"), 60, 20, 5);
    Experiment e = Configs.merge(TestRuns.smallMnistManifold(data, 6, 10),
        "train { eval_every: 0 } manifold { deskew_inputs: " + deskew + " }");
    Path config = tmp.resolve("small.pbtxt");
    Files.writeString(config, Configs.toText(e));
    Path runs = tmp.resolve("runs");
    assertEquals(0, Main.execute("train", config.toString(), "--checkpoints", runs.toString(), "--run", "small"));
    String run = runs.resolve("small").toString();
    assertEquals(0, Main.execute("export", run, "--pruned"));

    List<String> lines = bench("--config", config.toString(), "--steps", "7", "--warmup", "1",
        "--variant", "fast=manifold { evaluation: ITERATED }", "--run", run);

    Matcher base = find(lines, "train step \\[as configured\\] batch 20: ([0-9.]+) ms/step median, [0-9.]+ ms mean over 7 steps"
        + " in 5 interleaved rounds");
    assertTrue(Double.parseDouble(base.group(1)) > 0, base.group());
    Matcher fast = find(lines, "train step \\[fast\\] batch 20: [0-9.]+ ms/step median, [0-9.]+ ms mean over 7 steps in 5"
        + " interleaved rounds .*; ([0-9.]+)x the speed of \\[as configured\\]");
    assertTrue(Double.parseDouble(fast.group(1)) > 0, fast.group());

    assertExportsTimed(lines, deskew);

    // --steps 0: the exports alone, in a process that has trained nothing
    List<String> exportsOnly = bench("--config", config.toString(), "--steps", "0", "--run", run);
    assertTrue(exportsOnly.stream().noneMatch(l -> l.startsWith("train step")), String.join("\n", exportsOnly));
    assertExportsTimed(exportsOnly, deskew);
    assertEquals(1, Main.execute("bench", "--config", config.toString(), "--steps", "0"), "--steps 0 without --run: a user error");
  }

  /** Runs {@code plasticity bench} and returns its output lines; it must succeed. */
  private static List<String> bench(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = System.out;
    int rc;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      String[] all = new String[args.length + 1];
      all[0] = "bench";
      System.arraycopy(args, 0, all, 1, args.length);
      rc = Main.execute(all);
    } finally {
      System.setOut(out);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, text);
    return text.lines().toList();
  }

  /**
   * Both exports timed at batch 1 and 20 under both serving settings, with positive times, a
   * speed-up, the copy-only call, and the deskewing's share exactly when the model deskews.
   */
  private static void assertExportsTimed(List<String> lines, boolean deskew) {
    for (String how : List.of("TF's thread pools", "ops in the calling thread")) {
      for (int batch : new int[] {1, 20}) {
        Matcher m = find(lines, "inference batch " + batch + ", " + Pattern.quote(how)
            + ": dense ([0-9.]+) ms, pruned ([0-9.]+) ms \\(medians over rounds\\), speed-up ([0-9.]+)x");
        for (int g = 1; g <= 3; g++) {
          assertTrue(Double.parseDouble(m.group(g)) > 0, m.group());
        }
        Matcher copy = find(lines, "inference batch " + batch + ", " + Pattern.quote(how)
            + ": a call that only copies the images through \\(feed, one Mul, fetch\\) takes ([0-9.]+) ms; the dense export"
            + " takes ([0-9.]+)x as long");
        assertTrue(Double.parseDouble(copy.group(1)) > 0 && Double.parseDouble(copy.group(2)) > 0, copy.group());
        boolean share = lines.stream().anyMatch(l -> l.startsWith("inference batch " + batch + ", " + how + ": deskewing "));
        assertEquals(deskew, share, "deskewing share for batch " + batch + ", " + how);
      }
    }
  }

  private static Matcher find(List<String> lines, String regex) {
    Pattern p = Pattern.compile(regex);
    for (String l : lines) {
      Matcher m = p.matcher(l);
      if (m.find()) {
        return m;
      }
    }
    throw new AssertionError("no line matches " + regex + " in:\n" + String.join("\n", lines));
  }
}
