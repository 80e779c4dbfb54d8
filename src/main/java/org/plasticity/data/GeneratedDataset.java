package org.plasticity.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A task whose examples are drawn fresh for every training step from a seeded generator, with a
 * fixed held-out set drawn once from its own stream.
 */
public final class GeneratedDataset implements Dataset {
  /** Writes one example: for each field, {@code width} floats into its row. */
  @FunctionalInterface
  public interface ExampleGenerator {
    void generate(SplittableRandom random, Map<String, float[]> rows);
  }

  private final Map<String, Integer> widths;
  private final ExampleGenerator generator;
  private final long seed;
  private final Batch test;

  public GeneratedDataset(Map<String, Integer> widths, ExampleGenerator generator, long seed, int testSize) {
    this.widths = new LinkedHashMap<>(widths);
    this.generator = generator;
    this.seed = seed;
    this.test = draw(new SplittableRandom(Seeds.mix(seed, 0x7e57L)), testSize);
  }

  @Override
  public Map<String, Integer> widths() {
    return widths;
  }

  @Override
  public Batch trainBatch(long step, int batchSize) {
    return draw(new SplittableRandom(Seeds.mix(seed, 0x7a1eL, step)), batchSize);
  }

  @Override
  public int testSize() {
    return test.size();
  }

  @Override
  public long trainSize() {
    return Long.MAX_VALUE;
  }

  @Override
  public Batch testBatch(int from, int to) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : widths.entrySet()) {
      int w = e.getValue();
      float[] all = test.field(e.getKey());
      float[] part = new float[(to - from) * w];
      System.arraycopy(all, from * w, part, 0, part.length);
      out.put(e.getKey(), part);
    }
    return new Batch(to - from, out);
  }

  private Batch draw(SplittableRandom random, int n) {
    Map<String, float[]> out = new LinkedHashMap<>();
    Map<String, float[]> rows = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : widths.entrySet()) {
      out.put(e.getKey(), new float[n * e.getValue()]);
      rows.put(e.getKey(), new float[e.getValue()]);
    }
    for (int k = 0; k < n; k++) {
      generator.generate(random, rows);
      for (Map.Entry<String, Integer> e : widths.entrySet()) {
        System.arraycopy(rows.get(e.getKey()), 0, out.get(e.getKey()), k * e.getValue(), e.getValue());
      }
    }
    return new Batch(n, out);
  }
}
