package org.plasticity.data;

import java.util.Map;

/**
 * A task whose examples are drawn inside the learning system's graph (stateless random ops
 * seeded from the fed step), so the dataset feeds nothing: its batches have no fields. The
 * test size is the size of the held-out set the graph generates (it is only reported).
 */
public final class InGraphExamples implements Dataset {
  private final int testSize;

  public InGraphExamples(int testSize) {
    this.testSize = testSize;
  }

  @Override
  public Map<String, Integer> widths() {
    return Map.of();
  }

  @Override
  public Batch trainBatch(long step, int batchSize) {
    return new Batch(batchSize, Map.of());
  }

  @Override
  public int testSize() {
    return testSize;
  }

  @Override
  public Batch testBatch(int from, int to) {
    return new Batch(to - from, Map.of());
  }

  @Override
  public long trainSize() {
    return Long.MAX_VALUE;
  }
}
